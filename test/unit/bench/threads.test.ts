import { describe, expect, it } from 'vitest';
import { defaultBenchConfig } from '../../../src/bench/config/config.js';
import { splitEvenly, threadConfigs } from '../../../src/bench/scale-out/threads.js';

describe('--threads: each thread its share', () => {
  it('splits a count into whole shares at most one apart, the remainder first, nothing dropped', () => {
    expect(splitEvenly(50, 3)).toEqual([17, 17, 16]);
    expect(splitEvenly(3001, 2)).toEqual([1501, 1500]);
    expect(splitEvenly(4, 4)).toEqual([1, 1, 1, 1]);
    for (const [total, parts] of [
      [1_000_003, 7],
      [64, 64],
      [5, 2],
    ])
      expect(splitEvenly(total!, parts!).reduce((a, b) => a + b, 0)).toBe(total);
  });

  it('gives each thread its workers, requests, warm-up requests and rate, the rate in proportion to its workers', () => {
    const config = defaultBenchConfig({
      concurrency: 5,
      threads: 2,
      requests: 1001,
      warmup: { requests: 11, durationMs: null },
    });
    config.load = { ...config.load, ratePerSec: 1000 };
    const shares = threadConfigs(config);
    expect(shares.map((s) => s.concurrency)).toEqual([3, 2]);
    expect(shares.map((s) => s.requests)).toEqual([501, 500]);
    expect(shares.map((s) => s.warmup.requests)).toEqual([6, 5]);
    expect(shares.map((s) => s.load.ratePerSec)).toEqual([600, 400]);
    expect(shares.every((s) => s.threads === 1 && s.pool === config.pool)).toBe(true);
    expect(shares.every((s) => s.rates === undefined)).toBe(true);
    // A capacity curve: each step's rate shared out the same way.
    expect(threadConfigs({ ...config, rates: [500, 4000] }).map((s) => s.rates)).toEqual([
      [300, 2400],
      [200, 1600],
    ]);
    // A timed run: every thread runs the whole time.
    const timed = threadConfigs(defaultBenchConfig({ concurrency: 4, threads: 2 }));
    expect(timed.map((s) => [s.requests, s.durationMs])).toEqual([
      [null, 10_000],
      [null, 10_000],
    ]);
  });
});
