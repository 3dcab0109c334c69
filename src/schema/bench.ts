/**
 * The bench result document, `redis-pool.bench/v1`: what `bench --json` writes and every reporter reads. The zod
 * schemas are the contract: the TypeScript types are derived from them, and every document read back is validated
 * whole against `benchResultSchema` before use. A leaf: it imports nothing from the project but the other schema files.
 */
import { z } from 'zod';
import {
  BENCH_SCHEMA,
  CLIENT_LIBRARIES,
  POOL_COUNTERS,
  STRATEGY_NAMES,
  WORKLOAD_COMMANDS,
  type PoolCounter,
  type RedirectKind,
} from './names.js';
import { count, nonNegative } from './numbers.js';
import { serverSchema, toolSchema, warningSchema } from './warning.js';

export { BENCH_SCHEMA } from './names.js';
export type {
  ClientLibrary,
  CommandName,
  PoolCounter,
  RedirectKind,
  StrategyName,
  WorkloadCommandName,
} from './names.js';

const workloadCommandSchema = z.object({
  command: z.enum(WORKLOAD_COMMANDS),
  weight: nonNegative,
  valueSize: count,
  keyspace: count,
  /** BLPOP's timeout, ms; null for every other command. */
  blockMs: nonNegative.nullable(),
});
export type WorkloadCommand = z.infer<typeof workloadCommandSchema>;

const workloadConfigSchema = z.object({
  commands: z.array(workloadCommandSchema).min(1),
  /** Commands one request runs while it holds its connection. */
  commandsPerRequest: count,
  /** Send a request's commands as one pipeline (one round trip) instead of one after another. */
  pipeline: z.boolean(),
  /**
   * ioredis' enableAutoPipelining on the benchmark's connections: the commands issued in one tick of the event loop
   * on one connection go out in one write. Absent from results written before it existed: read as false.
   */
  autoPipelining: z.boolean().default(false),
});
export type WorkloadConfig = z.infer<typeof workloadConfigSchema>;

const loadConfigSchema = z.object({
  /** Open loop: requests per second on a fixed schedule; null = closed loop. */
  ratePerSec: nonNegative.nullable(),
  /** Closed loop: think time derived from the measured hold time so that hold / (hold + think) = u. */
  targetUtilization: nonNegative.nullable(),
  /** Closed loop: a fixed mean think time instead. */
  thinkMs: nonNegative.nullable(),
  thinkDistribution: z.enum(['exponential', 'fixed']),
});
export type LoadConfig = z.infer<typeof loadConfigSchema>;

const poolOrder = z.enum(['lifo', 'fifo']);

const poolConfigSchema = z.object({
  size: count,
  minIdle: count,
  acquireTimeoutMs: nonNegative,
  order: poolOrder,
  idleTimeoutMs: nonNegative,
  evictionRunIntervalMs: nonNegative,
  maxLifetimeMs: nonNegative,
  testOnBorrow: z.boolean(),
  healthCheckIntervalMs: nonNegative,
  failFast: z.boolean(),
  /** The real client whose pool these settings model, if any. */
  profile: z.string().nullable(),
});
export type PoolConfig = z.infer<typeof poolConfigSchema>;

/** A histogram summary in milliseconds, with the exact histogram (HdrHistogram V2 compressed, base64) beside it. */
export const latencySummarySchema = z.object({
  unit: z.literal('ms'),
  count,
  mean: nonNegative,
  p50: nonNegative,
  p90: nonNegative,
  p99: nonNegative,
  p999: nonNegative,
  max: nonNegative,
  hdr: z.string(),
});
export type LatencySummary = z.infer<typeof latencySummarySchema>;

const clusterNodeSchema = z.object({
  id: z.string(),
  host: z.string(),
  port: count,
  role: z.enum(['master', 'replica']),
  /** Inclusive slot ranges [first, last] (a replica: those of its master). */
  slots: z.array(z.tuple([count, count])),
});
export type ClusterNode = z.infer<typeof clusterNodeSchema>;

/** A Redis Cluster's nodes as CLUSTER NODES tells them: every node, its role, and the slot ranges it serves. */
const clusterTopologySchema = z.object({ nodes: z.array(clusterNodeSchema) });
export type ClusterTopology = z.infer<typeof clusterTopologySchema>;

const redirectCountsSchema = z.object({ moved: count, ask: count, tryagain: count, clusterdown: count });
export type RedirectCounts = Record<RedirectKind, number>;

/**
 * Connection counts of one strategy's run. "Setup" is everything before the measured window: the strategy's
 * start (the pool's min-idle connections, the multiplexed connection) and the warm-up. "At end" is the
 * strategy's close() after the window. The unqualified fields count the whole run, setup and end included.
 */
const connectionsResultSchema = z.object({
  /** Client sockets the strategy opened for this run: openedBeforeWindow + openedInWindow. */
  opened: count,
  openedBeforeWindow: count,
  openedInWindow: count,
  /** Client sockets closed in the whole run: closedBeforeWindow + closedInWindow + closedAtEnd. */
  closed: count,
  closedBeforeWindow: count,
  closedInWindow: count,
  /** Closed by the strategy's close() after the window (the pool's connections, the shared one). */
  closedAtEnd: count,
  /** Most client sockets open at once over the whole run, and over the measured window only. */
  peakOpen: count,
  peakOpenInWindow: count,
  /** Distinct sockets that served the window: open when it began plus opened during it. */
  used: count,
  /** The server's total_connections_received delta over the whole run: before + in the window + at the end. */
  serverAccepted: count,
  serverAcceptedBeforeWindow: count,
  serverAcceptedInWindow: count,
  /**
   * The server's rejected_connections delta over the whole run: connections it refused at its maxclients limit
   * (anyone's). Absent in results written before it was recorded.
   */
  serverRejected: count.optional(),
  /** Highest connected_clients sampled from before the strategy's start to its close, minus the clients connected before it. */
  serverPeakClients: z.number().int(),
  /** Connection attempts that failed, over the whole run and in the window. */
  connectErrors: count,
  connectErrorsInWindow: count,
  /** connected_clients before the strategy and after it closed everything (the tool's monitor included). */
  serverClientsBefore: count,
  serverClientsAfter: count,
});
export type ConnectionsResult = z.infer<typeof connectionsResultSchema>;

/** One cluster node's part of one strategy's run (the counts of this node only). */
const clusterNodeResultSchema = z.object({
  /** host:port, as MOVED replies name it. */
  node: z.string(),
  /** Its node id (CLUSTER NODES), null for a node the topology read at the start did not list. */
  id: z.string().nullable(),
  /** Successful requests of the measured window whose hash tag this node served, and their latency (null: none). */
  requests: count,
  latency: latencySummarySchema.nullable(),
  /**
   * Redirections this node answered with, over the strategy's whole run (warm-up included). The pool per shard
   * knows which node replied; ioredis' Cluster does not tell, and its redirections are filed under the slot's
   * owner as the slot map said when they came.
   */
  redirects: redirectCountsSchema,
  /** Connection counts as ConnectionsResult, client side (sockets to this node) and server side (its INFO). */
  connections: connectionsResultSchema,
});
export type ClusterNodeResult = z.infer<typeof clusterNodeResultSchema>;

/** A strategy's run against a Redis Cluster, node by node. */
const clusterRunResultSchema = z.object({
  nodes: z.array(clusterNodeResultSchema),
  /** Every redirection, those no node could be named for (a TRYAGAIN or CLUSTERDOWN through ioredis) included. */
  redirects: redirectCountsSchema,
  /**
   * The slot map changed during the run (a resharding or a failover): it differs at the end from the start, or a
   * node answered MOVED (slots moved away and back leave the same map, but not without MOVED).
   */
  topologyChanged: z.boolean(),
});
export type ClusterRunResult = z.infer<typeof clusterRunResultSchema>;

/**
 * What `size` predicts a run holds: its fleet budget (`size --shards <masters> --instances <threads>`) for the
 * run's pool (pooled: `pool.size` per shard; multiplexed: one connection per node).
 */
const predictedConnectionsSchema = z.object({
  /** Client connections each Redis node (the server, or each master) receives from the run's instances. */
  perNode: count,
  /** Sockets one instance (thread, load process) holds: pool × shards. */
  perProcess: count,
  /** The pool it was given: its size per shard (pooled), 1 (multiplexed: one shared connection per node). */
  pool: count,
  /** The size command whose fleet budget this is, e.g. `size --shards 3 --instances 2`. */
  command: z.string(),
});
export type PredictedConnections = z.infer<typeof predictedConnectionsSchema>;

export type FaultKind = 'restart' | 'kill-clients' | 'pause' | 'stall';

/** A fault injected into each strategy's measured window, `atMs` after it starts. */
const faultSpecSchema = z.object({
  kind: z.enum(['restart', 'kill-clients', 'pause', 'stall']),
  atMs: nonNegative,
  /** pause and stall: how long the server stops answering. */
  durationMs: nonNegative.nullable(),
  /** As written, e.g. "pause:500@2s". */
  text: z.string(),
});
export type FaultSpec = z.infer<typeof faultSpecSchema>;

/**
 * What a scenario file's `target` asks the server to be; an absent field asks nothing. A URL must meet it, and a
 * throwaway server is started to match it (or the run is refused).
 */
const scenarioTargetSchema = z.object({
  /** true: TLS (rediss://); false: plain (redis://). */
  tls: z.boolean().optional(),
  /** The ACL user the benchmark connects as. */
  user: z.string().optional(),
  /** The database the benchmark selects. */
  db: count.optional(),
});
export type ScenarioTarget = z.infer<typeof scenarioTargetSchema>;

/** Everything needed to run the same benchmark again. */
const benchConfigSchema = z.object({
  strategies: z.array(z.enum(STRATEGY_NAMES)).min(1),
  concurrency: count,
  /** Requests per strategy (closed loop ends when all are done), or null when the run is timed. */
  requests: count.nullable(),
  durationMs: nonNegative.nullable(),
  warmup: z.object({ requests: count.nullable(), durationMs: nonNegative.nullable() }),
  workload: workloadConfigSchema,
  load: loadConfigSchema,
  pool: poolConfigSchema,
  /** A sweep: the pooled strategy once per size; null = one pooled run at pool.size. */
  poolSizes: z.array(count).nullable(),
  /** k6-style threshold expressions, kept for the reports. */
  thresholds: z.array(z.string()),
  /** `target`: what the scenario asked the server to be, which the run's target met (absent when it asked nothing). */
  scenario: z
    .object({ name: z.string(), description: z.string(), file: z.string(), target: scenarioTargetSchema.optional() })
    .nullable(),
  /** Faults injected into every strategy's measured window (a server redis-pool started itself only). */
  faults: z.array(faultSpecSchema),
  /** --rtt: the built-in proxy's round-trip delay in ms; 0 = direct. */
  rttMs: nonNegative,
  connectTimeoutMs: nonNegative,
  commandTimeoutMs: nonNegative,
  socketTimeoutMs: nonNegative,
  /**
   * --run-id: the id the result carries, the same on every load machine of one distributed run (merge checks the
   * configurations are equal); null = a random one. Keys and connection names stay unique to each process.
   */
  runId: z.string().nullable().optional(),
  /**
   * --threads: worker threads, each with its own event loop, connections and pool (one service instance each, as
   * `size --instances`); concurrency, requests and rate are split over them; pool settings are per thread.
   * Absent in results written before it existed (= 1).
   */
  threads: count.optional(),
  /**
   * --cluster: the target is a Redis Cluster; the strategies are its clients' (a cluster client per request, a
   * pool per shard, ioredis' Cluster). Absent in results written before it existed (= false).
   */
  cluster: z.boolean().optional(),
  /**
   * --client: the library the strategies ran with, and its version (pooled with node-redis is its own
   * createClientPool). Absent in results written before it existed (= ioredis).
   */
  client: z.object({ name: z.enum(CLIENT_LIBRARIES), version: z.string() }).optional(),
  /**
   * --rate with several rates: a capacity curve, each strategy run open loop at each rate in turn (load.ratePerSec
   * is the first); null = one rate. Absent in results written before it existed.
   */
  rates: z.array(nonNegative).nullable().optional(),
  /** --slo: the objectives a step of the curve must meet (`p99<2ms`). Absent in results written before it existed. */
  slo: z.array(z.string()).optional(),
});
export type BenchConfig = z.infer<typeof benchConfigSchema>;

export const holdByBusySchema = z.object({ busy: count, holds: count, meanMs: nonNegative });
export type HoldByBusy = z.infer<typeof holdByBusySchema>;

/**
 * What the load was, measured: hold and think times, utilization, and the open-loop schedule. A request holds a
 * connection (the finite-source model's "hold") from per-request's connect to its close, from pooled's acquire
 * (got it) to its release, and on multiplexed's shared connection from the first command to the last reply.
 */
const loadResultSchema = z.object({
  /** Mean hold time of the successful requests, ms (see above for what it spans per strategy). */
  holdMeanMs: nonNegative,
  /** Mean think time between release and the next request, ms (0 without think time). */
  thinkMeanMs: nonNegative,
  /** hold / (hold + think): the utilization u a thread would have if it never waited (the models' input). */
  modelUtilization: nonNegative,
  /**
   * Total hold time ÷ (workers × wall time): the share of the workers' time spent holding a connection; × workers,
   * the mean number of connections held at once. Null for multiplexed, where no request holds a connection
   * exclusively (its connection is shared by every worker all the time).
   */
  measuredUtilization: nonNegative.nullable(),
  /** Open loop: the schedule's rate, what was achieved, and how many requests started more than 1 ms late. */
  requestedRate: nonNegative.nullable(),
  achievedRate: nonNegative,
  lateRequests: count,
  /**
   * Open loop run for a time: requests due in the window that had not started when it ended (the schedule fell that
   * far behind). Absent from results written before the window ended on time.
   */
  unstartedRequests: count.optional(),
  /** Open loop: latency from the actual start (coordinated omission NOT corrected), for comparison. */
  uncorrectedLatency: latencySummarySchema.nullable(),
  /**
   * Pooled: the mean hold at each number of busy connections, from the time the pool spent there and the releases
   * that left it (k × time ÷ releases; `holds` = those releases). The models take holds that do not depend on it;
   * on a CPU shared by Redis and the generator they grow with it.
   */
  holdByBusy: z.array(holdByBusySchema).optional(),
  /** Least-squares growth of the mean hold per extra busy connection, as a share of the hold with one busy; null with fewer than two levels. */
  holdGrowthPerBusy: z.number().nullable().optional(),
});
export type LoadResult = z.infer<typeof loadResultSchema>;

const queueModel = z.enum(['finite-source', 'erlang-c']);

/** One row of a pool-size sweep: what was measured beside what the models predict. */
const sweepRowSchema = z.object({
  poolSize: count,
  label: z.string(),
  throughput: nonNegative,
  /** Share of acquires that queued for a connection. */
  waitProbability: nonNegative,
  acquireP50: nonNegative,
  acquireP99: nonNegative,
  /** The model's P(wait) at this row's own measured load: its u = hold / (hold + think) and mean hold (finite-source), or rate × hold (Erlang C). */
  predictedWaitProbability: nonNegative,
  model: queueModel,
  /** This row's measured model inputs: u = hold / (hold + think) (closed loop) and the mean hold, ms. */
  utilization: nonNegative.optional(),
  holdMs: nonNegative.optional(),
  /** waitProbability − predictedWaitProbability. */
  difference: z.number().optional(),
  /** |difference| ≤ the sweep's tolerance. */
  agrees: z.boolean().optional(),
  /**
   * Closed loop, pooled runs that measured load.holdByBusy: the same model fed with the mean hold at each number
   * of busy connections instead of one mean hold, and the measurement's difference from it.
   */
  loadDependentPredictedWaitProbability: nonNegative.optional(),
  loadDependentDifference: z.number().optional(),
});
export type SweepRow = z.infer<typeof sweepRowSchema>;

const sweepResultSchema = z.object({
  model: queueModel,
  /** The model inputs, from the runs' measurements: workers and u (finite-source), or rate and hold (Erlang C). */
  workers: count,
  utilization: nonNegative,
  ratePerSec: nonNegative.nullable(),
  holdMs: nonNegative,
  /** ceil(workers × u) with no buffer, and the model's smallest pool with P(wait) ≤ 1 %. */
  formulaPoolSize: count,
  modelPoolSize: count,
  /** Largest |measured − predicted| P(wait) a row may show and still agree with the model. */
  tolerance: nonNegative.optional(),
  rows: z.array(sweepRowSchema),
});
export type SweepResult = z.infer<typeof sweepResultSchema>;

/**
 * How much the load generator itself distorted a run: a generator that wakes its workers late, or whose event
 * loop is saturated, does not apply the load it was asked for.
 */
const generatorResultSchema = z.object({
  /** Share of the window the event loop was busy, 0–1 (perf_hooks eventLoopUtilization). */
  eventLoopUtilization: nonNegative,
  /** Event-loop delay p99 over the window, ms (perf_hooks monitorEventLoopDelay). */
  lagP99Ms: nonNegative,
  /**
   * Event-loop delay mean over the window, ms: how long a callback that became ready waited for the loop, on
   * average (absent from results written before it was measured).
   */
  lagMeanMs: nonNegative.optional(),
  /** How late the scheduled wake-ups (think times, open-loop start times) fired, µs; null when none was scheduled. */
  wakeLateness: z
    .object({
      count,
      meanUs: nonNegative.optional(),
      p50Us: nonNegative,
      p90Us: nonNegative,
      p99Us: nonNegative,
      maxUs: nonNegative,
    })
    .nullable(),
  /** CPU time of the whole process over the window (user + system), ms; and per second of wall time. */
  cpuMs: nonNegative,
  cpuShare: nonNegative,
  /**
   * Measured on one thread of several (--threads): its loop figures are its own, its CPU the whole process's, every
   * thread's together (Node 20 has no CPU time per thread). Absent on a run of one thread.
   */
  onThread: z.literal(true).optional(),
});
export type GeneratorResult = z.infer<typeof generatorResultSchema>;

const poolCountersShape = Object.fromEntries(POOL_COUNTERS.map((counter) => [counter, count])) as Record<
  PoolCounter,
  typeof count
>;

/** What is not a running total (the pool's state now, its high-water mark, its settings): a result reports them as at the window's end. */
const poolGaugesShape = {
  /** Waiters queued now. */
  pending: count,
  /** Resources existing now: idle + borrowed + being created. */
  totalConns: count,
  idleConns: count,
  /** Highest totalConns seen. */
  peakTotal: count,
  max: count,
  minIdle: count,
};
export type PoolGauges = z.infer<z.ZodObject<typeof poolGaugesShape>>;

export type PoolStats = Record<PoolCounter, number> & PoolGauges;

const poolResultSchema = z.object({
  ...poolCountersShape,
  ...poolGaugesShape,
  acquireTimeoutMs: nonNegative,
  order: poolOrder,
  profile: z.string().nullable(),
});
export type PoolResult = z.infer<typeof poolResultSchema>;

const faultResultSchema = z.object({
  fault: z.string(),
  kind: z.string(),
  atMs: nonNegative,
  /** When it was injected, ms after the measured window began. */
  injectedAtMs: nonNegative,
  /** Until requests flowed without errors again (10 ms resolution); null if they never did. */
  recoveryMs: nonNegative.nullable(),
  /** Failed requests from the fault to the next one (or the end). */
  errorsAfter: count,
  /** Why the injection itself failed, if it did. */
  error: z.string().nullable(),
});
export type FaultResult = z.infer<typeof faultResultSchema>;

const strategyResultSchema = z.object({
  strategy: z.enum(STRATEGY_NAMES),
  label: z.string(),
  /**
   * Where the run stands for several service instances (--threads, merged machines), its label names what they held
   * together (`multiplexed(2 conns)`, `pooled(2 × max=10)`); this is the label of one instance (`multiplexed(1 conn)`),
   * which thresholds may name too. Absent when the run is one instance.
   */
  instanceLabel: z.string().optional(),
  /** Requests completed in the measured window, failed ones included. */
  requests: count,
  errors: count,
  errorsByKind: z.record(z.string(), count),
  durationMs: nonNegative,
  /** Successful requests per second. */
  throughput: nonNegative,
  latency: latencySummarySchema,
  acquireWait: latencySummarySchema.nullable(),
  connect: latencySummarySchema.nullable(),
  connections: connectionsResultSchema,
  pool: poolResultSchema.nullable(),
  load: loadResultSchema,
  /** Per-request: connect time split into socket (TCP + TLS) and setup (AUTH/HELLO, SELECT, ready check). */
  connectPhases: z.object({ socket: latencySummarySchema, setup: latencySummarySchema }).nullable(),
  faults: z.array(faultResultSchema),
  /** The generator's own health over the window (absent in results written before it was recorded). */
  generator: generatorResultSchema.optional(),
  /**
   * The measured window on the wall clock (ISO 8601, ms): what runs on several machines are lined up by. Absent in
   * results written before it was recorded.
   */
  window: z.object({ startedAt: z.string(), endedAt: z.string() }).optional(),
  /** --cluster: the run node by node. Absent against a single server. */
  cluster: clusterRunResultSchema.optional(),
  /** What size predicts this run holds, beside what it measured; null for per-request (no pool). Absent in older results. */
  predictedConnections: predictedConnectionsSchema.nullable().optional(),
});
export type StrategyResult = z.infer<typeof strategyResultSchema>;

/** One metric of one run against its counterpart in an earlier result. */
const baselineDeltaSchema = z.object({
  run: z.string(),
  /** The baseline's run it was compared with (another pool size when the pool was resized). */
  baselineRun: z.string(),
  metric: z.enum(['throughput', 'p50', 'p99']),
  baseline: z.number(),
  current: z.number(),
  /** Positive = worse: lower throughput, or higher latency, in percent of the baseline. */
  regressionPct: z.number(),
  regressed: z.boolean(),
});
export type BaselineDelta = z.infer<typeof baselineDeltaSchema>;

/** A setting that differs between the two results, both values as shown to a person. */
const configDifferenceSchema = z.object({
  /** Where it sits in the result document: `concurrency`, `workload.valueSize`, `pool.size`, `target.redisVersion`… */
  field: z.string(),
  baseline: z.string(),
  current: z.string(),
  /** The pair of runs it concerns (`pooled(max=8)`), or null when it concerns the whole benchmark. */
  run: z.string().nullable(),
});
export type ConfigDifference = z.infer<typeof configDifferenceSchema>;

const baselineComparisonSchema = z.object({
  file: z.string(),
  maxRegressionPct: z.number(),
  deltas: z.array(baselineDeltaSchema),
  /** Runs of this result that have no counterpart in the baseline. */
  unmatched: z.array(z.string()),
  /** Runs of the baseline that have no counterpart in this result. */
  baselineUnmatched: z.array(z.string()),
  /** What was measured differently: the deltas compare like with like only when this is empty. */
  configDifferences: z.array(configDifferenceSchema),
});
export type BaselineComparison = z.infer<typeof baselineComparisonSchema>;

const thresholdVerdictSchema = z.object({
  threshold: z.string(),
  /** The run it was checked on (its label); null when no run matched. */
  run: z.string().nullable(),
  actual: z.number().nullable(),
  ok: z.boolean(),
});
export type ThresholdVerdict = z.infer<typeof thresholdVerdictSchema>;

const machineSchema = z.object({
  platform: z.string(),
  arch: z.string(),
  cpus: count,
  cpuModel: z.string(),
  memoryGb: nonNegative,
  node: z.string(),
});

const benchTargetSchema = z.object({
  url: z.string(),
  mode: z.enum(['ephemeral', 'external']),
  /** INFO server's redis_version: Redis' version, or the one Valkey reports for compatibility (7.2.4 on Valkey 8). */
  redisVersion: z.string(),
  /**
   * Which server it is and its own version (Valkey 8.0.1, Redis 7.0.15): what every output names. Absent in results
   * written before it, which read redis_version only (read as Redis at redisVersion).
   */
  server: serverSchema.optional(),
  /**
   * The server's run_id (INFO server): what tells one server from another, whatever address reached it; merge
   * adds up only inputs that read the same one. Null where INFO did not say; absent in results written before it.
   */
  serverRunId: z.string().nullable().optional(),
  tls: z.boolean(),
  /** `cluster`: the topology (CLUSTER NODES) when the run began; absent against a single server. */
  cluster: clusterTopologySchema.optional(),
});

/** One step of a capacity curve: a strategy at one offered rate, and whether it was within capacity. */
const capacityRowSchema = z.object({
  offeredRatePerSec: nonNegative,
  /** The step's throughput: successful requests per second over its window, as its run's req/s. */
  achievedRatePerSec: nonNegative,
  p50Ms: nonNegative,
  p90Ms: nonNegative,
  p99Ms: nonNegative,
  p999Ms: nonNegative,
  errors: count,
  /** The load generator was the bottleneck of this step: it can be no knee. */
  generatorSaturated: z.boolean(),
  /** pooled: the acquire wait's p99, ms, and the connections busy on average (achieved rate × mean hold). */
  acquireWaitP99Ms: nonNegative.nullable(),
  busyConnections: nonNegative.nullable(),
  /** Why the step is not within capacity: the objectives it missed, 'rate not kept' (under 95 %), 'errors'. */
  misses: z.array(z.string()),
});
export type CapacityRow = z.infer<typeof capacityRowSchema>;

/** A strategy's capacity curve: its steps and its knee, the highest rate it served within every objective. */
const capacityCurveSchema = z.object({
  strategy: z.enum(STRATEGY_NAMES),
  label: z.string(),
  slo: z.array(z.string()),
  /** Null where even the lowest step missed. */
  kneeRatePerSec: nonNegative.nullable(),
  /**
   * The service instances whose load the rates are (--threads, merged machines): the knee is what they served
   * together. Absent: one.
   */
  instances: count.optional(),
  rows: z.array(capacityRowSchema),
});
export type CapacityCurve = z.infer<typeof capacityCurveSchema>;

export const benchResultSchema = z.object({
  schema: z.literal(BENCH_SCHEMA),
  tool: toolSchema,
  runId: z.string(),
  /**
   * The one process (or --threads thread) that measured this result: every file one run writes carries the same,
   * so merge can tell a result given twice. Absent in results written before it existed.
   */
  instanceId: z.string().optional(),
  startedAt: z.string(),
  interrupted: z.boolean(),
  target: benchTargetSchema,
  machine: machineSchema,
  config: benchConfigSchema,
  results: z.array(strategyResultSchema),
  sweep: sweepResultSchema.nullable(),
  /** --rate with several rates: each strategy's capacity curve. Absent without one, and before it existed. */
  capacity: z.array(capacityCurveSchema).optional(),
  /** Each threshold's verdict on each run it names; any `ok: false` makes the run exit 99. */
  thresholds: z.array(thresholdVerdictSchema),
  /** --baseline: the deltas against an earlier result; null without one. */
  baseline: baselineComparisonSchema.nullable(),
  warnings: z.array(warningSchema),
  /** `redis-pool merge`: the results this one adds up (one per load machine); absent from a single run. */
  merged: z
    .object({
      /** What was added up: the threads of one run (--threads), or the results of several machines (merge). */
      of: z.enum(['threads', 'machines']),
      /** Each input, with its requests per run (by label). */
      inputs: z.array(
        z.object({
          file: z.string(),
          runId: z.string(),
          /** The processes (threads) whose measurements this input holds: its own instanceId, or its inputs'. */
          instances: z.array(z.string()).optional(),
          startedAt: z.string(),
          machine: machineSchema,
          requests: z.record(z.string(), count),
        }),
      ),
    })
    .optional(),
});
export type BenchResult = z.infer<typeof benchResultSchema>;
