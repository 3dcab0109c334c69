import { defaultBenchConfig } from '../bench/config.js';
import { UsageError } from '../errors.js';
import { COMMAND_NAMES, STRATEGY_NAMES, type BenchConfig } from '../report/bench-schema.js';
import { parseChoice, parseChoiceList, parseDuration, parseInteger } from './parse-values.js';

/** Raw option strings of `bench`, as commander hands them over. */
export interface RawBenchOptions {
  url?: string;
  strategy?: string;
  concurrency?: string;
  requests?: string;
  duration?: string;
  warmup?: string;
  command?: string;
  valueSize?: string;
  keyspace?: string;
  poolSize?: string;
  minIdle?: string;
  acquireTimeout?: string;
  poolOrder?: string;
  connectTimeout?: string;
  commandTimeout?: string;
  json?: boolean;
  output?: string;
}

const MAX_CONNECTIONS = 10_000;

/** Every value checked and reconciled before anything connects anywhere. */
export function parseBenchConfig(raw: RawBenchOptions): BenchConfig {
  if (raw.requests !== undefined && raw.duration !== undefined) {
    throw new UsageError('give --requests or --duration, not both');
  }
  const concurrency = raw.concurrency === undefined ? undefined : parseInteger('--concurrency', raw.concurrency, { min: 1, max: MAX_CONNECTIONS });
  const base = defaultBenchConfig({
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(raw.requests !== undefined ? { requests: parseInteger('--requests', raw.requests, { min: 1, max: 1e9 }) } : {}),
  });
  const config: BenchConfig = {
    ...base,
    durationMs: raw.duration !== undefined ? parseDuration('--duration', raw.duration) : base.durationMs,
    warmup: raw.warmup !== undefined ? parseWarmup(raw.warmup) : base.warmup,
    strategies: raw.strategy !== undefined ? parseChoiceList('--strategy', raw.strategy, STRATEGY_NAMES) : base.strategies,
    command: raw.command !== undefined ? parseChoice('--command', raw.command, COMMAND_NAMES) : base.command,
    valueSize: raw.valueSize !== undefined ? parseInteger('--value-size', raw.valueSize, { min: 1, max: 64 * 1024 * 1024 }) : base.valueSize,
    keyspace: raw.keyspace !== undefined ? parseInteger('--keyspace', raw.keyspace, { min: 1, max: 10_000_000 }) : base.keyspace,
    pool: {
      size: raw.poolSize !== undefined ? parseInteger('--pool-size', raw.poolSize, { min: 1, max: MAX_CONNECTIONS }) : base.pool.size,
      minIdle: raw.minIdle !== undefined ? parseInteger('--min-idle', raw.minIdle, { min: 0, max: MAX_CONNECTIONS }) : base.pool.minIdle,
      acquireTimeoutMs: raw.acquireTimeout !== undefined ? parseInteger('--acquire-timeout', raw.acquireTimeout, { min: 0, max: 3_600_000 }) : base.pool.acquireTimeoutMs,
      order: raw.poolOrder !== undefined ? parseChoice('--pool-order', raw.poolOrder, ['lifo', 'fifo'] as const) : base.pool.order,
    },
    connectTimeoutMs: raw.connectTimeout !== undefined ? parseInteger('--connect-timeout', raw.connectTimeout, { min: 1, max: 600_000 }) : base.connectTimeoutMs,
    commandTimeoutMs: raw.commandTimeout !== undefined ? parseInteger('--command-timeout', raw.commandTimeout, { min: 0, max: 600_000 }) : base.commandTimeoutMs,
  };
  if (config.pool.minIdle > config.pool.size) {
    throw new UsageError(`--min-idle (${config.pool.minIdle}) must not exceed --pool-size (${config.pool.size})`);
  }
  return config;
}

/** --warmup takes a time (2s) or a number of requests (500); 0 turns it off. */
function parseWarmup(raw: string): BenchConfig['warmup'] {
  const text = raw.trim();
  if (text === '0') return { requests: null, durationMs: null };
  if (/^\d+$/.test(text)) return { requests: parseInteger('--warmup', raw, { min: 1, max: 1e9 }), durationMs: null };
  return { requests: null, durationMs: parseDuration('--warmup', raw) };
}
