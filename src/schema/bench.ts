/**
 * The bench result document, `redis-pool.bench/v1`: what `bench --json` writes and every reporter reads.
 * A leaf: it imports nothing from the project but the other schema files.
 */
import type { Warning } from './warning.js';

export const BENCH_SCHEMA = 'redis-pool.bench/v1';

export const STRATEGY_NAMES = ['per-request', 'pooled', 'multiplexed'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** The --command shorthands: mix = 80 % GET, 20 % SET. */
export const COMMAND_NAMES = ['get', 'set', 'mix'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** Commands a scenario's workload can mix. */
export const WORKLOAD_COMMANDS = ['get', 'set', 'incr', 'lpush', 'rpop', 'blpop'] as const;
export type WorkloadCommandName = (typeof WORKLOAD_COMMANDS)[number];

export interface WorkloadCommand {
  command: WorkloadCommandName;
  weight: number;
  valueSize: number;
  keyspace: number;
  /** BLPOP's timeout, ms; null for every other command. */
  blockMs: number | null;
}

export interface WorkloadConfig {
  commands: WorkloadCommand[];
  /** Commands one request runs while it holds its connection. */
  commandsPerRequest: number;
  /** Send a request's commands as one pipeline (one round trip) instead of one after another. */
  pipeline: boolean;
  /**
   * ioredis' enableAutoPipelining on the benchmark's connections: the commands issued in one tick of the event loop
   * on one connection go out in one write. Absent from results written before it existed (= false).
   */
  autoPipelining: boolean;
}

export interface LoadConfig {
  /** Open loop: requests per second on a fixed schedule; null = closed loop. */
  ratePerSec: number | null;
  /** Closed loop: think time derived from the measured hold time so that hold / (hold + think) = u. */
  targetUtilization: number | null;
  /** Closed loop: a fixed mean think time instead. */
  thinkMs: number | null;
  thinkDistribution: 'exponential' | 'fixed';
}

export interface PoolConfig {
  size: number;
  minIdle: number;
  acquireTimeoutMs: number;
  order: 'lifo' | 'fifo';
  idleTimeoutMs: number;
  evictionRunIntervalMs: number;
  maxLifetimeMs: number;
  testOnBorrow: boolean;
  healthCheckIntervalMs: number;
  failFast: boolean;
  /** The real client whose pool these settings model, if any. */
  profile: string | null;
}

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

/** A Redis Cluster's nodes as CLUSTER NODES tells them: every node, its role, and the slot ranges it serves. */
export interface ClusterTopology {
  nodes: ClusterNode[];
}

export interface ClusterNode {
  id: string;
  host: string;
  port: number;
  role: 'master' | 'replica';
  /** Inclusive slot ranges [first, last] (a replica: those of its master). */
  slots: [number, number][];
}

/** The error replies by which a cluster redirects a client: the slot moved, is moving, is busy, or the cluster is down. */
export const REDIRECT_KINDS = ['moved', 'ask', 'tryagain', 'clusterdown'] as const;
export type RedirectKind = (typeof REDIRECT_KINDS)[number];
export type RedirectCounts = Record<RedirectKind, number>;

/** One cluster node's part of one strategy's run (the counts of this node only). */
export interface ClusterNodeResult {
  /** host:port, as MOVED replies name it. */
  node: string;
  /** Its node id (CLUSTER NODES), null for a node the topology read at the start did not list. */
  id: string | null;
  /** Successful requests of the measured window whose hash tag this node served, and their latency (null: none). */
  requests: number;
  latency: LatencySummary | null;
  /**
   * Redirections this node answered with, over the strategy's whole run (warm-up included). The pool per shard
   * knows which node replied; ioredis' Cluster does not tell, and its redirections are filed under the slot's
   * owner as the slot map said when they came.
   */
  redirects: RedirectCounts;
  /** Connection counts as ConnectionsResult, client side (sockets to this node) and server side (its INFO). */
  connections: ConnectionsResult;
}

/** A strategy's run against a Redis Cluster, node by node. */
export interface ClusterRunResult {
  nodes: ClusterNodeResult[];
  /** Every redirection, those no node could be named for (a TRYAGAIN or CLUSTERDOWN through ioredis) included. */
  redirects: RedirectCounts;
  /**
   * The slot map changed during the run (a resharding or a failover): it differs at the end from the start, or a
   * node answered MOVED (slots moved away and back leave the same map, but not without MOVED).
   */
  topologyChanged: boolean;
}

/**
 * What `size` predicts a run holds: its fleet budget (`size --shards <masters> --instances <threads>`) for the
 * run's pool (pooled: `pool.size` per shard; multiplexed: one connection per node).
 */
export interface PredictedConnections {
  /** Client connections each Redis node (the server, or each master) receives from the run's instances. */
  perNode: number;
  /** Sockets one instance (thread, load process) holds: pool × shards. */
  perProcess: number;
  /** The pool it was given: its size per shard (pooled), 1 (multiplexed: one shared connection per node). */
  pool: number;
  /** The size command whose fleet budget this is, e.g. `size --shards 3 --instances 2`. */
  command: string;
}

/** Everything needed to run the same benchmark again. */
export interface BenchConfig {
  strategies: StrategyName[];
  concurrency: number;
  /** Requests per strategy (closed loop ends when all are done), or null when the run is timed. */
  requests: number | null;
  durationMs: number | null;
  warmup: { requests: number | null; durationMs: number | null };
  workload: WorkloadConfig;
  load: LoadConfig;
  pool: PoolConfig;
  /** A sweep: the pooled strategy once per size; null = one pooled run at pool.size. */
  poolSizes: number[] | null;
  /** k6-style threshold expressions, kept for the reports. */
  thresholds: string[];
  scenario: { name: string; description: string; file: string } | null;
  /** Faults injected into every strategy's measured window (a server redis-pool started itself only). */
  faults: FaultSpec[];
  /** --rtt: the built-in proxy's round-trip delay in ms; 0 = direct. */
  rttMs: number;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  socketTimeoutMs: number;
  /**
   * --run-id: the id the result carries, the same on every load machine of one distributed run (merge checks the
   * configurations are equal); null = a random one. Keys and connection names stay unique to each process.
   */
  runId?: string | null;
  /**
   * --threads: worker threads, each with its own event loop, connections and pool (one service instance each, as
   * `size --instances`); concurrency, requests and rate are split over them; pool settings are per thread.
   * Absent in results written before it existed (= 1).
   */
  threads?: number;
  /**
   * --cluster: the target is a Redis Cluster; the strategies are its clients' (a cluster client per request, a
   * pool per shard, ioredis' Cluster). Absent in results written before it existed (= false).
   */
  cluster?: boolean;
}

/**
 * What the load was, measured: hold and think times, utilization, and the open-loop schedule. A request holds a
 * connection (the finite-source model's "hold") from per-request's connect to its close, from pooled's acquire
 * (got it) to its release, and on multiplexed's shared connection from the first command to the last reply.
 */
export interface LoadResult {
  /** Mean hold time of the successful requests, ms (see above for what it spans per strategy). */
  holdMeanMs: number;
  /** Mean think time between release and the next request, ms (0 without think time). */
  thinkMeanMs: number;
  /** hold / (hold + think): the utilization u a thread would have if it never waited (the models' input). */
  modelUtilization: number;
  /**
   * Total hold time ÷ (workers × wall time): the share of the workers' time spent holding a connection; × workers,
   * the mean number of connections held at once. Null for multiplexed, where no request holds a connection
   * exclusively (its connection is shared by every worker all the time).
   */
  measuredUtilization: number | null;
  /** Open loop: the schedule's rate, what was achieved, and how many requests started more than 1 ms late. */
  requestedRate: number | null;
  achievedRate: number;
  lateRequests: number;
  /** Open loop: latency from the actual start (coordinated omission NOT corrected), for comparison. */
  uncorrectedLatency: LatencySummary | null;
  /**
   * Pooled: the mean hold at each number of busy connections, from the time the pool spent there and the releases
   * that left it (k × time ÷ releases; `holds` = those releases). The models take holds that do not depend on it;
   * on a CPU shared by Redis and the generator they grow with it.
   */
  holdByBusy?: HoldByBusy[];
  /** Least-squares growth of the mean hold per extra busy connection, as a share of the hold with one busy; null with fewer than two levels. */
  holdGrowthPerBusy?: number | null;
}

export interface HoldByBusy {
  busy: number;
  holds: number;
  meanMs: number;
}

/** One row of a pool-size sweep: what was measured beside what the models predict. */
export interface SweepRow {
  poolSize: number;
  label: string;
  throughput: number;
  /** Share of acquires that queued for a connection. */
  waitProbability: number;
  acquireP50: number;
  acquireP99: number;
  /** The model's P(wait) at this row's own measured load: its u = hold / (hold + think) and mean hold (finite-source), or rate × hold (Erlang C). */
  predictedWaitProbability: number;
  model: 'finite-source' | 'erlang-c';
  /** This row's measured model inputs: u = hold / (hold + think) (closed loop) and the mean hold, ms. */
  utilization?: number;
  holdMs?: number;
  /** waitProbability − predictedWaitProbability. */
  difference?: number;
  /** |difference| ≤ the sweep's tolerance. */
  agrees?: boolean;
  /**
   * Closed loop, pooled runs that measured load.holdByBusy: the same model fed with the mean hold at each number
   * of busy connections instead of one mean hold, and the measurement's difference from it.
   */
  loadDependentPredictedWaitProbability?: number;
  loadDependentDifference?: number;
}

export interface SweepResult {
  model: 'finite-source' | 'erlang-c';
  /** The model inputs, from the runs' measurements: workers and u (finite-source), or rate and hold (Erlang C). */
  workers: number;
  utilization: number;
  ratePerSec: number | null;
  holdMs: number;
  /** ceil(workers × u) with no buffer, and the model's smallest pool with P(wait) ≤ 1 %. */
  formulaPoolSize: number;
  modelPoolSize: number;
  /** Largest |measured − predicted| P(wait) a row may show and still agree with the model. */
  tolerance?: number;
  rows: SweepRow[];
}

/**
 * How much the load generator itself distorted a run: a generator that wakes its workers late, or whose event
 * loop is saturated, does not apply the load it was asked for.
 */
export interface GeneratorResult {
  /** Share of the window the event loop was busy, 0–1 (perf_hooks eventLoopUtilization). */
  eventLoopUtilization: number;
  /** Event-loop delay p99 over the window, ms (perf_hooks monitorEventLoopDelay). */
  lagP99Ms: number;
  /** How late the scheduled wake-ups (think times, open-loop start times) fired, µs; null when none was scheduled. */
  wakeLateness: { count: number; p50Us: number; p90Us: number; p99Us: number; maxUs: number } | null;
  /** CPU time of the whole process over the window (user + system), ms; and per second of wall time. */
  cpuMs: number;
  cpuShare: number;
}

/**
 * Connection counts of one strategy's run. "Setup" is everything before the measured window: the strategy's
 * start (the pool's min-idle connections, the multiplexed connection) and the warm-up. "At end" is the
 * strategy's close() after the window. The unqualified fields count the whole run, setup and end included.
 */
export interface ConnectionsResult {
  /** Client sockets the strategy opened for this run: openedBeforeWindow + openedInWindow. */
  opened: number;
  openedBeforeWindow: number;
  openedInWindow: number;
  /** Client sockets closed in the whole run: closedBeforeWindow + closedInWindow + closedAtEnd. */
  closed: number;
  closedBeforeWindow: number;
  closedInWindow: number;
  /** Closed by the strategy's close() after the window (the pool's connections, the shared one). */
  closedAtEnd: number;
  /** Most client sockets open at once over the whole run, and over the measured window only. */
  peakOpen: number;
  peakOpenInWindow: number;
  /** Distinct sockets that served the window: open when it began plus opened during it. */
  used: number;
  /** The server's total_connections_received delta over the whole run: before + in the window + at the end. */
  serverAccepted: number;
  serverAcceptedBeforeWindow: number;
  serverAcceptedInWindow: number;
  /**
   * The server's rejected_connections delta over the whole run: connections it refused at its maxclients limit
   * (anyone's). Absent in results written before it was recorded.
   */
  serverRejected?: number;
  /** Highest connected_clients sampled from before the strategy's start to its close, minus the clients connected before it. */
  serverPeakClients: number;
  /** Connection attempts that failed, over the whole run and in the window. */
  connectErrors: number;
  connectErrorsInWindow: number;
  /** connected_clients before the strategy and after it closed everything (the tool's monitor included). */
  serverClientsBefore: number;
  serverClientsAfter: number;
}

export type PoolResult = PoolStats & { acquireTimeoutMs: number; order: 'lifo' | 'fifo'; profile: string | null };

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
  load: LoadResult;
  /** Per-request: connect time split into socket (TCP + TLS) and setup (AUTH/HELLO, SELECT, ready check). */
  connectPhases: { socket: LatencySummary; setup: LatencySummary } | null;
  faults: FaultResult[];
  /** The generator's own health over the window (absent in results written before it was recorded). */
  generator?: GeneratorResult;
  /**
   * The measured window on the wall clock (ISO 8601, ms): what runs on several machines are lined up by. Absent in
   * results written before it was recorded.
   */
  window?: { startedAt: string; endedAt: string };
  /** --cluster: the run node by node. Absent against a single server. */
  cluster?: ClusterRunResult;
  /** What size predicts this run holds, beside what it measured; null for per-request (no pool). Absent in older results. */
  predictedConnections?: PredictedConnections | null;
}

export interface FaultResult {
  fault: string;
  kind: string;
  atMs: number;
  /** When it was injected, ms after the measured window began. */
  injectedAtMs: number;
  /** Until requests flowed without errors again (10 ms resolution); null if they never did. */
  recoveryMs: number | null;
  /** Failed requests from the fault to the next one (or the end). */
  errorsAfter: number;
  /** Why the injection itself failed, if it did. */
  error: string | null;
}

export interface BenchResult {
  schema: typeof BENCH_SCHEMA;
  tool: { name: string; version: string };
  runId: string;
  startedAt: string;
  interrupted: boolean;
  /** `cluster`: the topology (CLUSTER NODES) when the run began; absent against a single server. */
  target: { url: string; mode: 'ephemeral' | 'external'; redisVersion: string; tls: boolean; cluster?: ClusterTopology };
  machine: { platform: string; arch: string; cpus: number; cpuModel: string; memoryGb: number; node: string };
  config: BenchConfig;
  results: StrategyResult[];
  sweep: SweepResult | null;
  /** Each threshold's verdict on each run it names; any `ok: false` makes the run exit 99. */
  thresholds: ThresholdVerdict[];
  /** --baseline: the deltas against an earlier result; null without one. */
  baseline: BaselineComparison | null;
  warnings: Warning[];
  /** `redis-pool merge`: the results this one adds up (one per load machine); absent from a single run. */
  merged?: {
    /** What was added up: the threads of one run (--threads), or the results of several machines (merge). */
    of: 'threads' | 'machines';
    /** Each input, with its requests per run (by label). */
    inputs: { file: string; runId: string; startedAt: string; machine: BenchResult['machine']; requests: Record<string, number> }[];
  };
}

/**
 * The pool's counters, the one list of them: totals since the pool was made, which a result reports over the
 * measured window (end minus start). PoolStats, the pool's own tallies and the runner's window all derive from it.
 */
export const POOL_COUNTERS = [
  /** Acquires served by an existing resource (idle, or handed over by release()). */
  'hits',
  /** Acquires for which a resource creation was started. */
  'misses',
  /** Acquires rejected by acquireTimeoutMs. */
  'timeouts',
  /** Acquires rejected by failFast. */
  'exhausted',
  /** Acquires that had to queue. */
  'waitCount',
  /** Total time spent in the wait queue by all waiters, integer microseconds. */
  'waitDurationUs',
  /** Resources found stale (failed validate, or past maxLifetimeMs) and destroyed. */
  'staleConns',
  'created',
  /** Resources handed to factory.destroy() (failed ones included). */
  'destroyed',
  'createErrors',
  'destroyErrors',
  /** Destroyed by the idle-timeout eviction. */
  'evicted',
  /** Idle resources checked by the periodic health check, and those that failed it (also counted in staleConns). */
  'healthChecks',
  'healthCheckFailures',
] as const;

export type PoolCounter = (typeof POOL_COUNTERS)[number];

/** What is not a running total (the pool's state now, its high-water mark, its settings): a result reports them as at the window's end. */
export interface PoolGauges {
  /** Waiters queued now. */
  pending: number;
  /** Resources existing now: idle + borrowed + being created. */
  totalConns: number;
  idleConns: number;
  /** Highest totalConns seen. */
  peakTotal: number;
  max: number;
  minIdle: number;
}

export type PoolStats = Record<PoolCounter, number> & PoolGauges;

export type FaultKind = 'restart' | 'kill-clients' | 'pause' | 'stall';

/** A fault injected into each strategy's measured window, `atMs` after it starts. */
export interface FaultSpec {
  kind: FaultKind;
  atMs: number;
  /** pause and stall: how long the server stops answering. */
  durationMs: number | null;
  /** As written, e.g. "pause:500@2s". */
  text: string;
}

/** One metric of one run against its counterpart in an earlier result. */
export interface BaselineDelta {
  run: string;
  /** The baseline's run it was compared with (another pool size when the pool was resized). */
  baselineRun: string;
  metric: 'throughput' | 'p50' | 'p99';
  baseline: number;
  current: number;
  /** Positive = worse: lower throughput, or higher latency, in percent of the baseline. */
  regressionPct: number;
  regressed: boolean;
}

/** A setting that differs between the two results, both values as shown to a person. */
export interface ConfigDifference {
  /** Where it sits in the result document: `concurrency`, `workload.valueSize`, `pool.size`, `target.redisVersion`… */
  field: string;
  baseline: string;
  current: string;
  /** The pair of runs it concerns (`pooled(max=8)`), or null when it concerns the whole benchmark. */
  run: string | null;
}

export interface BaselineComparison {
  file: string;
  maxRegressionPct: number;
  deltas: BaselineDelta[];
  /** Runs of this result that have no counterpart in the baseline. */
  unmatched: string[];
  /** Runs of the baseline that have no counterpart in this result. */
  baselineUnmatched: string[];
  /** What was measured differently: the deltas compare like with like only when this is empty. */
  configDifferences: ConfigDifference[];
}

export interface ThresholdVerdict {
  threshold: string;
  /** The run it was checked on (its label); null when no run matched. */
  run: string | null;
  actual: number | null;
  ok: boolean;
}

