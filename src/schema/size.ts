import type { Warning } from './warning.js';

export const SIZE_SCHEMA = 'redis-pool.size/v1';

/** The tutorial's three worked examples (src/sizing/presets.ts holds their figures). */
export type SizePresetName = 'api' | 'worker' | 'batch';

/** The bench result and run whose measured load `size --from` used, and why that run. */
export interface MeasuredSource {
  file: string;
  run: string;
  reason: string;
}

export interface SizeInputs {
  preset: SizePresetName | null;
  threads: number | null;
  /** Fraction of its time a thread holds a connection when it never waits: given, from a preset, or derived from the rate. */
  utilization: number | null;
  ratePerSec: number | null;
  holdMs: number | null;
  buffer: number;
  targetWait: number;
  fleet: FleetInputs;
  /** Set by --from: where the load came from (flags given beside it override single values). Absent in older documents. */
  from?: MeasuredSource | null;
}

export type QueueingModelName = 'finite-source' | 'erlang-c';

/** What a queueing model predicts for one pool size. Infinite values (an overloaded pool) are null. */
export interface WaitPrediction {
  poolSize: number;
  waitProbability: number;
  /** Mean wait over all requests, in ms; null when the hold time is unknown or the queue grows without bound. */
  meanWaitMs: number | null;
  /** Mean wait over all requests in units of the mean hold time; null when unbounded. */
  meanWaitInHoldTimes: number | null;
  /** 99th percentile wait in ms (Erlang C only); null when unknown or unbounded. */
  p99WaitMs: number | null;
}

export interface QueueingResult extends WaitPrediction {
  model: QueueingModelName;
  targetWait: number;
  /** The same model evaluated at the formula's pool size. */
  atFormulaSize: WaitPrediction;
}

export interface SizeResult {
  schema: typeof SIZE_SCHEMA;
  tool: { name: string; version: string };
  inputs: SizeInputs;
  /** The formula's answer: ceil(busy) + buffer. */
  poolSize: number;
  formula: {
    expression: string;
    busyConnections: number;
    busySource: 'threads×utilization' | 'rate×hold';
    buffer: number;
    poolSize: number;
  };
  /** The primary queueing model: finite-source when the threads are known, else Erlang C. */
  queueing: QueueingResult;
  /** Every model that the inputs allow (the primary first). */
  models: QueueingResult[];
  fleet: FleetInputs & { formula: FleetBudget; queueing: FleetBudget };
  warnings: Warning[];
}

/** The fleet a pool size is multiplied across, and what it costs each Redis node and each process. */
export interface FleetInputs {
  instances: number;
  shards: number;
  maxclients: number;
  fdLimit: number;
}

export interface FleetBudget {
  poolSize: number;
  /** Client connections one Redis node (each shard's primary) receives from the whole fleet. */
  connectionsPerNode: number;
  /** maxclients used on each node, as a fraction. */
  maxclientsFraction: number;
  /** Connections (file descriptors) one service process holds: one pool per shard. */
  connectionsPerProcess: number;
  fdFraction: number;
  /** All client connections across the fleet and every shard. */
  totalConnections: number;
}
