import type { BenchConfig, CommandName, LoadConfig, PoolConfig, WorkloadCommand } from '../../schema/bench.js';
import { STRATEGY_NAMES } from '../../schema/names.js';

/**
 * The defaults of `bench`, in one place (the flags' help reads them here). The default load is the tutorial's
 * example: 10,000 requests a second, which a pool of 50 connections serves and a connection per request cannot, on
 * an open loop (latency from each request's due time) with twice as many workers as the pool has connections, so
 * that a request can wait for a connection and the run answers whether the pool is big enough. A flag or a scenario
 * file that gives a load (--rate, --utilization, --think) replaces it.
 */
export const BENCH_DEFAULTS = {
  strategies: [...STRATEGY_NAMES],
  concurrency: 100,
  /** Open loop, when neither the flags nor the scenario give a load model. */
  ratePerSec: 10_000,
  /** The pool's most connections (per thread), at most the workers. */
  poolSize: 50,
  durationMs: 10_000,
  warmupMs: 1_000,
  command: 'get' as CommandName,
  valueSize: 64,
  keyspace: 10_000,
  minIdle: 0,
  acquireTimeoutMs: 5_000,
  poolOrder: 'lifo',
  connectTimeoutMs: 5_000,
  commandTimeoutMs: 0,
} as const;

/** The share of SETs in the `mix` shorthand: a read-heavy cache, 4 reads for every write. */
export const MIX_WRITE_SHARE = 0.2;

/** The --command shorthands as weighted commands, as a scenario file would list them. */
export function shorthandCommands(name: CommandName): { command: 'get' | 'set'; weight: number }[] {
  switch (name) {
    case 'get':
      return [{ command: 'get', weight: 1 }];
    case 'set':
      return [{ command: 'set', weight: 1 }];
    case 'mix':
      return [
        { command: 'get', weight: 1 - MIX_WRITE_SHARE },
        { command: 'set', weight: MIX_WRITE_SHARE },
      ];
  }
}

/** The --command shorthands as weighted command lists. */
export function commandsFor(name: CommandName, valueSize: number, keyspace: number): WorkloadCommand[] {
  return shorthandCommands(name).map(({ command, weight }) => ({
    command,
    weight,
    valueSize,
    keyspace,
    blockMs: null,
  }));
}

/** The pool's default size for this many workers (per thread): BENCH_DEFAULTS.poolSize, but never more than the workers. */
export function defaultPoolSize(workers: number): number {
  return Math.min(BENCH_DEFAULTS.poolSize, workers);
}

/** The default load: an open loop at BENCH_DEFAULTS.ratePerSec. */
export function defaultLoad(): LoadConfig {
  return {
    ratePerSec: BENCH_DEFAULTS.ratePerSec,
    targetUtilization: null,
    thinkMs: null,
    thinkDistribution: 'exponential',
  };
}

export function defaultPoolConfig(size: number): PoolConfig {
  return {
    size,
    minIdle: BENCH_DEFAULTS.minIdle,
    acquireTimeoutMs: BENCH_DEFAULTS.acquireTimeoutMs,
    order: BENCH_DEFAULTS.poolOrder,
    idleTimeoutMs: 0,
    evictionRunIntervalMs: 0,
    maxLifetimeMs: 0,
    testOnBorrow: false,
    healthCheckIntervalMs: 0,
    failFast: false,
    profile: null,
  };
}

/** A config with every default filled in; the CLI and scenario files only override fields. */
export function defaultBenchConfig(overrides: Partial<BenchConfig> = {}): BenchConfig {
  const concurrency = overrides.concurrency ?? BENCH_DEFAULTS.concurrency;
  const timed = overrides.requests === undefined || overrides.requests === null;
  return {
    strategies: [...BENCH_DEFAULTS.strategies],
    concurrency,
    requests: null,
    durationMs: timed ? BENCH_DEFAULTS.durationMs : null,
    warmup: { requests: null, durationMs: BENCH_DEFAULTS.warmupMs },
    workload: {
      commands: commandsFor(BENCH_DEFAULTS.command, BENCH_DEFAULTS.valueSize, BENCH_DEFAULTS.keyspace),
      commandsPerRequest: 1,
      pipeline: false,
      autoPipelining: false,
    },
    load: defaultLoad(),
    pool: defaultPoolConfig(defaultPoolSize(Math.ceil(concurrency / (overrides.threads ?? 1)))),
    poolSizes: null,
    thresholds: [],
    scenario: null,
    faults: [],
    rttMs: 0,
    connectTimeoutMs: BENCH_DEFAULTS.connectTimeoutMs,
    commandTimeoutMs: BENCH_DEFAULTS.commandTimeoutMs,
    socketTimeoutMs: 0,
    runId: null,
    threads: 1,
    ...overrides,
  };
}
