import type { BenchConfig } from '../report/bench-schema.js';
import { STRATEGY_NAMES } from '../report/bench-schema.js';

export const BENCH_DEFAULTS = {
  strategies: [...STRATEGY_NAMES],
  concurrency: 50,
  durationMs: 10_000,
  warmupMs: 1_000,
  command: 'get',
  valueSize: 64,
  keyspace: 10_000,
  minIdle: 0,
  acquireTimeoutMs: 5_000,
  poolOrder: 'lifo',
  connectTimeoutMs: 5_000,
  commandTimeoutMs: 0,
} as const;

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
    command: BENCH_DEFAULTS.command,
    valueSize: BENCH_DEFAULTS.valueSize,
    keyspace: BENCH_DEFAULTS.keyspace,
    pool: {
      size: concurrency,
      minIdle: BENCH_DEFAULTS.minIdle,
      acquireTimeoutMs: BENCH_DEFAULTS.acquireTimeoutMs,
      order: BENCH_DEFAULTS.poolOrder,
    },
    connectTimeoutMs: BENCH_DEFAULTS.connectTimeoutMs,
    commandTimeoutMs: BENCH_DEFAULTS.commandTimeoutMs,
    ...overrides,
  };
}
