import type { PoolStats } from '../pool/pool.js';
import type { Warning } from './warnings.js';

export const BENCH_SCHEMA = 'redis-pool.bench/v1';

export const STRATEGY_NAMES = ['per-request', 'pooled', 'multiplexed'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export const COMMAND_NAMES = ['get', 'set', 'mix'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** A histogram summary in milliseconds, with the exact histogram (HdrHistogram V2 compressed, base64) beside it. */
export interface LatencySummary {
  unit: 'ms';
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  hdr: string;
}

/** Everything needed to run the same benchmark again. */
export interface BenchConfig {
  strategies: StrategyName[];
  concurrency: number;
  /** Requests per strategy (closed loop ends when all are done), or null when the run is timed. */
  requests: number | null;
  durationMs: number | null;
  warmup: { requests: number | null; durationMs: number | null };
  command: CommandName;
  valueSize: number;
  keyspace: number;
  pool: { size: number; minIdle: number; acquireTimeoutMs: number; order: 'lifo' | 'fifo' };
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

export interface ConnectionsResult {
  /** Sockets this strategy's clients opened and closed during the measured window. */
  opened: number;
  closed: number;
  /** Most client sockets open at once. */
  peakOpen: number;
  /** Distinct sockets that served the window: open when it began plus opened during it. */
  used: number;
  /** Server's total_connections_received delta over the measured window. */
  serverAccepted: number;
  /** Highest connected_clients sampled during the strategy, minus the clients connected before it started. */
  serverPeakClients: number;
  connectErrors: number;
  /** connected_clients before the strategy and after it closed everything (the tool's monitor included). */
  serverClientsBefore: number;
  serverClientsAfter: number;
}

export type PoolResult = PoolStats & { acquireTimeoutMs: number; order: 'lifo' | 'fifo' };

export interface StrategyResult {
  strategy: StrategyName;
  label: string;
  /** Requests completed in the measured window, failed ones included. */
  requests: number;
  errors: number;
  errorsByKind: Record<string, number>;
  durationMs: number;
  /** Successful requests per second. */
  throughput: number;
  latency: LatencySummary;
  acquireWait: LatencySummary | null;
  connect: LatencySummary | null;
  connections: ConnectionsResult;
  pool: PoolResult | null;
}

export interface BenchResult {
  schema: typeof BENCH_SCHEMA;
  tool: { name: string; version: string };
  runId: string;
  startedAt: string;
  interrupted: boolean;
  target: { url: string; mode: 'ephemeral' | 'external'; redisVersion: string; tls: boolean };
  machine: { platform: string; arch: string; cpus: number; cpuModel: string; memoryGb: number; node: string };
  config: BenchConfig;
  results: StrategyResult[];
  warnings: Warning[];
}
