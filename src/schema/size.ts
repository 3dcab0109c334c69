/**
 * The size document, `redis-pool.size/v1`: what `size --json` writes and `report --size` reads back, validated whole
 * against `sizeResultSchema`. The types are derived from the schemas. A leaf: it imports only the other schema files.
 */
import { z } from 'zod';
import { SIZE_SCHEMA } from './names.js';
import { count, nonNegative } from './numbers.js';
import { toolSchema, warningSchema } from './warning.js';

export { SIZE_SCHEMA } from './names.js';

/** The tutorial's three worked examples (src/sizing/presets.ts holds their figures). */
export type SizePresetName = 'api' | 'worker' | 'batch';

/** The bench result and run whose measured load `size --from` used, and why that run. */
const measuredSourceSchema = z.object({ file: z.string(), run: z.string(), reason: z.string() });
export type MeasuredSource = z.infer<typeof measuredSourceSchema>;

/** The knee of a capacity curve that `size --from` read: the highest rate one instance served within its objectives. */
const kneeSourceSchema = z.object({
  ratePerSec: nonNegative,
  /** The curve's objectives, as written: `p99<5ms`. */
  slo: z.array(z.string()),
  file: z.string(),
  /** The curve's strategy label: `pooled(max=50)`. */
  label: z.string(),
});
export type KneeSource = z.infer<typeof kneeSourceSchema>;

/** Where the instances of a fleet at its peak came from: --instances, or ceil(peak ÷ knee). */
const instancesFromSchema = z.enum(['flag', 'knee']);
export type InstancesFrom = z.infer<typeof instancesFromSchema>;

/** The fleet a pool size is multiplied across, and what it costs each Redis node and each process. */
const fleetInputsSchema = z.object({
  instances: count,
  shards: count,
  maxclients: count,
  fdLimit: count,
});
export type FleetInputs = z.infer<typeof fleetInputsSchema>;

const sizeInputsSchema = z.object({
  preset: z.enum(['api', 'worker', 'batch']).nullable(),
  threads: count.nullable(),
  /** Fraction of its time a thread holds a connection when it never waits: given, from a preset, or derived from the rate. */
  utilization: nonNegative.nullable(),
  ratePerSec: nonNegative.nullable(),
  holdMs: nonNegative.nullable(),
  buffer: count,
  targetWait: nonNegative,
  fleet: fleetInputsSchema,
  /** Set by --from: where the load came from (flags given beside it override single values). Absent in older documents. */
  from: measuredSourceSchema.nullable().optional(),
  /**
   * --peak-rate: the whole fleet's peak rate, which its instances share evenly (ratePerSec is then one instance's
   * share), and where the instance count came from. Absent in older documents.
   */
  peak: z.object({ ratePerSec: nonNegative, instancesFrom: instancesFromSchema }).nullable().optional(),
  /** --from a capacity curve: the knee it took. Absent in older documents. */
  knee: kneeSourceSchema.nullable().optional(),
});
export type SizeInputs = z.infer<typeof sizeInputsSchema>;

export type QueueingModelName = 'finite-source' | 'erlang-c';

/** What a queueing model predicts for one pool size. Infinite values (an overloaded pool) are null. */
const waitPredictionSchema = z.object({
  poolSize: count,
  waitProbability: nonNegative,
  /** Mean wait over all requests, in ms; null when the hold time is unknown or the queue grows without bound. */
  meanWaitMs: nonNegative.nullable(),
  /** Mean wait over all requests in units of the mean hold time; null when unbounded. */
  meanWaitInHoldTimes: nonNegative.nullable(),
  /** 99th percentile wait in ms (Erlang C only); null when unknown or unbounded. */
  p99WaitMs: nonNegative.nullable(),
});
export type WaitPrediction = z.infer<typeof waitPredictionSchema>;

const queueingResultSchema = waitPredictionSchema.extend({
  model: z.enum(['finite-source', 'erlang-c']),
  targetWait: nonNegative,
  /** The same model evaluated at the formula's pool size. */
  atFormulaSize: waitPredictionSchema,
});
export type QueueingResult = z.infer<typeof queueingResultSchema>;

const fleetBudgetSchema = z.object({
  poolSize: count,
  /** Client connections one Redis node (each shard's primary) receives from the whole fleet. */
  connectionsPerNode: count,
  /** maxclients used on each node, as a fraction. */
  maxclientsFraction: nonNegative,
  /** Connections (file descriptors) one service process holds: one pool per shard. */
  connectionsPerProcess: count,
  fdFraction: nonNegative,
  /** All client connections across the fleet and every shard. */
  totalConnections: count,
});
export type FleetBudget = z.infer<typeof fleetBudgetSchema>;

/** The fleet at its peak (--peak-rate): how many instances, each taking what share of the knee; `fleet` holds their connections. */
const peakPlanSchema = z.object({
  peakRatePerSec: nonNegative,
  instances: count,
  instancesFrom: instancesFromSchema,
  /** peak ÷ instances: the rate each instance's pool is sized for. */
  ratePerInstance: nonNegative,
  /** The knee one instance served within its objectives (size --from a curve), else null. */
  kneeRatePerSec: nonNegative.nullable(),
  /** ratePerInstance ÷ knee: above 1, each instance takes more than one was measured to serve. */
  shareOfKnee: nonNegative.nullable(),
});
export type PeakPlan = z.infer<typeof peakPlanSchema>;

export const sizeResultSchema = z.object({
  schema: z.literal(SIZE_SCHEMA),
  tool: toolSchema,
  inputs: sizeInputsSchema,
  /** The formula's answer: ceil(busy) + buffer. */
  poolSize: count,
  formula: z.object({
    expression: z.string(),
    busyConnections: nonNegative,
    busySource: z.enum(['threads×utilization', 'rate×hold']),
    buffer: count,
    poolSize: count,
  }),
  /** The primary queueing model: finite-source when the threads are known, else Erlang C. */
  queueing: queueingResultSchema,
  /** Every model that the inputs allow (the primary first). */
  models: z.array(queueingResultSchema),
  fleet: fleetInputsSchema.extend({ formula: fleetBudgetSchema, queueing: fleetBudgetSchema }),
  /** --peak-rate: the fleet at its peak; null without. Absent in older documents. */
  peak: peakPlanSchema.nullable().optional(),
  warnings: z.array(warningSchema),
});
export type SizeResult = z.infer<typeof sizeResultSchema>;
