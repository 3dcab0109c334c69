import type { BenchConfig, CommandName, PoolConfig, WorkloadCommand } from '../schema/bench.js';
import { STRATEGY_NAMES } from '../schema/names.js';

export const BENCH_DEFAULTS = {
  strategies: [...STRATEGY_NAMES],
  concurrency: 50,
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

/** The --command shorthands as weighted command lists. */
export function commandsFor(name: CommandName, valueSize: number, keyspace: number): WorkloadCommand[] {
  const one = (command: 'get' | 'set', weight: number): WorkloadCommand => ({ command, weight, valueSize, keyspace, blockMs: null });
  switch (name) {
    case 'get':
      return [one('get', 1)];
    case 'set':
      return [one('set', 1)];
    case 'mix':
      return [one('get', 1 - MIX_WRITE_SHARE), one('set', MIX_WRITE_SHARE)];
  }
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
    load: { ratePerSec: null, targetUtilization: null, thinkMs: null, thinkDistribution: 'exponential' },
    pool: defaultPoolConfig(concurrency),
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
