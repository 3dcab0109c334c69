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

/**
 * Samples connected_clients every few milliseconds while a strategy runs, to catch its peak. Short-lived
 * per-request connections can open and close between two samples, so this peak is a lower bound.
 */
export class ServerSampler {
  peakClients = 0;
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly monitor: Redis,
    private readonly intervalMs = 10,
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
    while (this.running) {
      try {
        // Only the clients section: the sampler runs inside the measured window, on the server under test.
        const connectedClients = infoNumber(
          parseInfo(String(await this.monitor.call('INFO', 'clients'))),
          'connected_clients',
        );
        if (connectedClients > this.peakClients) this.peakClients = connectedClients;
      } catch {
        // A sample lost to a busy or restarting server is just a missing sample.
      }
      await sleep(this.intervalMs);
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
