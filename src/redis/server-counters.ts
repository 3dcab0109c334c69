import type { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { infoNumber, parseInfo } from './info.js';

export interface ServerCounters {
  connectedClients: number;
  totalConnectionsReceived: number;
  /** The server process's run_id: a restart changes it and starts the counters from zero again. */
  runId: string;
  /** Connections refused at the maxclients limit. */
  rejectedConnections: number;
}

/** The server's own view of its connections, read on the tool's monitoring connection (which it does not count). */
export async function readServerCounters(monitor: Redis): Promise<ServerCounters> {
  const fields = parseInfo(String(await monitor.call('INFO', 'server', 'clients', 'stats')));
  return {
    connectedClients: infoNumber(fields, 'connected_clients'),
    totalConnectionsReceived: infoNumber(fields, 'total_connections_received'),
    runId: fields.get('run_id') ?? '',
    rejectedConnections: infoNumber(fields, 'rejected_connections'),
  };
}

/** Connections the server accepted between two readings; after a restart, only those since the restart are known. */
export function acceptedBetween(from: ServerCounters, to: ServerCounters): number {
  return counterBetween(from, to, 'totalConnectionsReceived');
}

/** Connections the server refused at its maxclients limit between two readings. */
export function rejectedBetween(from: ServerCounters, to: ServerCounters): number {
  return counterBetween(from, to, 'rejectedConnections');
}

/** A cumulative server counter's growth; a restart in between (another run_id) started it from zero again. */
function counterBetween(
  from: ServerCounters,
  to: ServerCounters,
  counter: 'totalConnectionsReceived' | 'rejectedConnections',
): number {
  return to.runId !== from.runId ? to[counter] : Math.max(0, to[counter] - from[counter]);
}

/** The sampler's intervals: the shortest while the count moves, doubled after each sample that did not move it. */
export const SAMPLE_INTERVAL_MS = { moving: 10, still: 80 };

/**
 * Samples connected_clients while a strategy runs, to catch its peak: every 10 ms while the count moves, and
 * less often (up to every 80 ms) while it holds still, since on a 2-core machine a sample every 10 ms of a
 * steady pool cost some 3 % of the run's throughput. Short-lived per-request connections can open and close
 * between two samples, so this peak is a lower bound.
 */
export class ServerSampler {
  peakClients = 0;
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly monitor: Pick<Redis, 'call'>,
    private readonly wait: (ms: number) => Promise<unknown> = sleep,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<number> {
    this.running = false;
    await this.loop;
    return this.peakClients;
  }

  private async run(): Promise<void> {
    let last: number | null = null;
    let interval = SAMPLE_INTERVAL_MS.moving;
    while (this.running) {
      const count = await this.sample();
      if (count !== null && count > this.peakClients) this.peakClients = count;
      interval =
        count === null || count !== last ? SAMPLE_INTERVAL_MS.moving : Math.min(interval * 2, SAMPLE_INTERVAL_MS.still);
      last = count;
      await this.wait(interval);
    }
  }

  private async sample(): Promise<number | null> {
    try {
      // Only the clients section: the sampler runs inside the measured window, on the server under test.
      return infoNumber(parseInfo(String(await this.monitor.call('INFO', 'clients'))), 'connected_clients');
    } catch {
      // A sample lost to a busy or restarting server is just a missing sample.
      return null;
    }
  }
}

/** The server drops closed connections asynchronously: give it a moment to get back to `clients` (about 2 s at most). */
export async function waitForClients(monitor: Redis, clients: number): Promise<ServerCounters> {
  let counters = await readServerCounters(monitor);
  for (let attempt = 1; attempt < 100 && counters.connectedClients > clients; attempt++) {
    await sleep(20);
    counters = await readServerCounters(monitor);
  }
  return counters;
}
