import type { Redis } from 'ioredis';
import type { FaultSpec } from '../../schema/bench.js';
import { realClock } from '../../clock.js';

/** What a fault may act on: the server redis-pool started itself, through its monitoring connection. */
export interface FaultContext {
  monitor: Redis;
  /** Names of this run's connections start with it; kill-clients only touches those. */
  connectionNamePrefix: string;
  restartServer: () => Promise<void>;
}

export interface InjectedFault {
  fault: FaultSpec;
  injectedNs: bigint;
  error: string | null;
}

/**
 * Starts a timer per fault; returns the faults as they were injected and a cancel function. `now`: the clock of
 * the window the faults are timed from.
 */
export function scheduleFaults(
  faults: FaultSpec[],
  context: FaultContext,
  now: () => bigint = realClock.now,
): { injected: Promise<InjectedFault[]>; cancel: () => void } {
  const timers: NodeJS.Timeout[] = [];
  const cancels: (() => void)[] = [];
  const results = faults.map(
    (fault) =>
      new Promise<InjectedFault>((resolve) => {
        const timer = setTimeout(() => {
          const injectedNs = now();
          inject(fault, context).then(
            () => resolve({ fault, injectedNs, error: null }),
            (error: unknown) =>
              resolve({ fault, injectedNs, error: error instanceof Error ? error.message : String(error) }),
          );
        }, fault.atMs);
        timers.push(timer);
        // A fault still pending when the window ends is reported, not dropped: its time was past the end.
        cancels.push(() => resolve({ fault, injectedNs: now(), error: 'the measured window ended before it was due' }));
      }),
  );
  return {
    injected: Promise.all(results),
    cancel: () => {
      for (const timer of timers) clearTimeout(timer);
      for (const cancel of cancels) cancel();
    },
  };
}

async function inject(fault: FaultSpec, context: FaultContext): Promise<void> {
  switch (fault.kind) {
    case 'restart':
      return context.restartServer();
    case 'kill-clients':
      return killOwnClients(context);
    case 'pause':
      await context.monitor.call('CLIENT', 'PAUSE', String(fault.durationMs), 'ALL');
      return;
    case 'stall':
      await context.monitor.call('DEBUG', 'SLEEP', String(fault.durationMs! / 1000));
      return;
  }
}

/** CLIENT KILL of this run's load connections only (never the monitor, never anybody else's). */
async function killOwnClients(context: FaultContext): Promise<void> {
  const list = String(await context.monitor.call('CLIENT', 'LIST'));
  const ids = list
    .split('\n')
    .map((line) => ({ id: /\bid=(\d+)/.exec(line)?.[1], name: /\bname=(\S*)/.exec(line)?.[1] ?? '' }))
    .filter(
      (c) => c.id !== undefined && c.name.startsWith(context.connectionNamePrefix) && !c.name.endsWith(':monitor'),
    );
  for (const { id } of ids) await context.monitor.call('CLIENT', 'KILL', 'ID', id!);
}
