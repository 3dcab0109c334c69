/**
 * The names the result documents use, without their validators: the schema strings and the enumerations. A command
 * that only names them (size, --help, a run before it writes) does not load zod; the schemas in bench.ts, size.ts
 * and observe.ts are built from these.
 */

export const BENCH_SCHEMA = 'redis-pool.bench/v1';
export const SIZE_SCHEMA = 'redis-pool.size/v1';
export const OBSERVE_SCHEMA = 'redis-pool.observe/v1';

export const STRATEGY_NAMES = ['per-request', 'pooled', 'multiplexed'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** The client libraries bench runs its strategies with (--client): ioredis, or node-redis (npm's `redis`). */
export const CLIENT_LIBRARIES = ['ioredis', 'node-redis'] as const;
export type ClientLibrary = (typeof CLIENT_LIBRARIES)[number];

/** The --command shorthands: mix = 80 % GET, 20 % SET. */
export const COMMAND_NAMES = ['get', 'set', 'mix'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** Commands a scenario's workload can mix. */
export const WORKLOAD_COMMANDS = ['get', 'set', 'incr', 'lpush', 'rpop', 'blpop'] as const;
export type WorkloadCommandName = (typeof WORKLOAD_COMMANDS)[number];

/** The error replies by which a cluster redirects a client: the slot moved, is moving, is busy, or the cluster is down. */
export const REDIRECT_KINDS = ['moved', 'ask', 'tryagain', 'clusterdown'] as const;
export type RedirectKind = (typeof REDIRECT_KINDS)[number];

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

/** The commands observe may send, and the ACL rule each one needs. */
export const OBSERVE_COMMANDS = ['ping', 'info', 'client|list', 'config|get', 'client|setname'] as const;
export type ObserveCommand = (typeof OBSERVE_COMMANDS)[number];

export const FINDING_KINDS = [
  'churn',
  'idle-pool',
  'at-ceiling',
  'blocking',
  'maxclients-headroom',
  'rejected-connections',
  'evicted-clients',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];
