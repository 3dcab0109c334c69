import { describe, expect, it } from 'vitest';
import { parseBenchConfig } from '../../../src/cli/bench-options.js';
import { parseDuration } from '../../../src/cli/parse-values.js';
import { UsageError } from '../../../src/errors.js';

describe('bench options', () => {
  it('defaults to all three strategies, 50 workers, 10 s each, a pool as large as the concurrency', () => {
    const config = parseBenchConfig({});
    expect(config).toMatchObject({
      strategies: ['per-request', 'pooled', 'multiplexed'],
      concurrency: 50,
      requests: null,
      durationMs: 10_000,
      warmup: { durationMs: 1000, requests: null },
      command: 'get',
      valueSize: 64,
      keyspace: 10_000,
      pool: { size: 50, minIdle: 0, acquireTimeoutMs: 5000, order: 'lifo' },
    });
  });

  it('counts requests instead of time when --requests is given', () => {
    const config = parseBenchConfig({ requests: '500', concurrency: '8' });
    expect(config).toMatchObject({ requests: 500, durationMs: null, concurrency: 8, pool: { size: 8 } });
  });

  it('reads a warm-up as a time or a request count', () => {
    expect(parseBenchConfig({ warmup: '2s' }).warmup).toEqual({ requests: null, durationMs: 2000 });
    expect(parseBenchConfig({ warmup: '300' }).warmup).toEqual({ requests: 300, durationMs: null });
    expect(parseBenchConfig({ warmup: '0' }).warmup).toEqual({ requests: null, durationMs: null });
  });

  it('takes a strategy list in the order given', () => {
    expect(parseBenchConfig({ strategy: 'multiplexed, pooled' }).strategies).toEqual(['multiplexed', 'pooled']);
    expect(() => parseBenchConfig({ strategy: 'pooled,pooled' })).toThrow(/each at most once/);
  });

  it.each([
    [{ concurrency: '0' }],
    [{ concurrency: '10001' }],
    [{ requests: '-1' }],
    [{ duration: '10 minutes' }],
    [{ command: 'flushall' }],
    [{ poolSize: '0' }],
    [{ poolOrder: 'random' }],
    [{ acquireTimeout: '1.5' }],
    [{ requests: '5', duration: '5s' }],
    [{ poolSize: '4', minIdle: '5' }],
  ])('refuses %j', (raw) => {
    expect(() => parseBenchConfig(raw)).toThrow(UsageError);
  });
});

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['2m', 120_000],
    ['1.5h', 5_400_000],
    ['3', 3000],
  ])('%s = %i ms', (raw, ms) => {
    expect(parseDuration('--duration', raw)).toBe(ms);
  });

  it.each(['', '0', '-1s', '10 years', 'Infinity', '25h'])('refuses %j', (raw) => {
    expect(() => parseDuration('--duration', raw)).toThrow(UsageError);
  });
});
