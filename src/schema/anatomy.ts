import type { LatencySummary } from './bench.js';
import type { ServerIdentity, Warning } from './warning.js';

export const ANATOMY_SCHEMA = 'redis-pool.anatomy/v1';

/** The steps of opening a connection, in the order a client takes them. */
export const ANATOMY_PHASES = ['dns', 'tcp', 'tls', 'auth', 'select', 'ready-check', 'first-command'] as const;
export type AnatomyPhaseName = (typeof ANATOMY_PHASES)[number];

export interface AnatomyPhase {
  phase: AnatomyPhaseName;
  /** The target does not need this step (an IP address, redis://, no password, database 0). */
  skipped: boolean;
  /** Null when skipped. */
  latency: LatencySummary | null;
}

export interface AnatomyResult {
  schema: typeof ANATOMY_SCHEMA;
  tool: { name: string; version: string };
  startedAt: string;
  target: {
    url: string;
    mode: 'ephemeral' | 'external';
    /** INFO server's redis_version (the one Valkey reports for compatibility: 7.2.4 on Valkey 8). */
    redisVersion: string;
    /** Which server it is, and its own version: Valkey 8.0.1, Redis 7.0.15. */
    server: ServerIdentity;
    tls: boolean;
  };
  /** Connections opened and measured, one after another. */
  samples: number;
  /** Every phase, in order, skipped ones included. */
  phases: AnatomyPhase[];
  /** Each connection's whole setup: from the lookup to the first command's reply. */
  total: LatencySummary;
  /** The yardstick: a PING on one connection kept open for the whole run, timed after each new connection. */
  openConnectionPing: LatencySummary;
  warnings: Warning[];
}
