import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kneeOf } from '../../src/bench/findings/capacity-curve.js';
import { parseSlo } from '../../src/bench/gates/slo.js';
import { DEFAULT_CHART_TITLE } from '../../src/report/ascii-chart.js';
import { CURVE_CHART_TITLE } from '../../src/report/curve-chart.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { benchJson, runCli } from '../helpers/run-cli.js';

// The capacity curve against a real server: each strategy at each offered rate, and the knee of each.
let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.stop();
});

describe('bench --rate with several rates: a capacity curve', () => {
  it('finds each strategy’s knee from its own steps, a connection per request’s below the pool’s', async () => {
    const result = await benchJson(redis.url, [
      '--strategy',
      'per-request,pooled',
      '--rate',
      '500,4000,16000',
      // Generous: the two files that share this 2-core machine in CI can stall a step for hundreds of ms. What
      // tells the strategies apart here is the rate a connection per request cannot keep.
      '--slo',
      'p99<2s',
      '--duration',
      '1500ms',
      '--warmup',
      '300ms',
    ]);
    expect(result.config.rates).toEqual([500, 4000, 16000]);
    expect(result.results.map((r) => r.label)).toEqual([
      'per-request@500',
      'per-request@4000',
      'per-request@16000',
      'pooled(max=50)@500',
      'pooled(max=50)@4000',
      'pooled(max=50)@16000',
    ]);
    const curves = result.capacity!;
    expect(curves.map((c) => c.label)).toEqual(['per-request', 'pooled(max=50)']);
    for (const curve of curves) {
      expect(curve.slo).toEqual(['p99<2s']);
      expect(curve.rows.map((r) => r.offeredRatePerSec)).toEqual([500, 4000, 16000]);
      // The knee agrees with the curve's own rows: every step up to it met everything, the knee's generator kept up.
      const steps = curve.rows.map((r) => ({
        offeredRatePerSec: r.offeredRatePerSec,
        achievedRatePerSec: r.achievedRatePerSec,
        latencyMs: { 50: r.p50Ms, 90: r.p90Ms, 99: r.p99Ms, 99.9: r.p999Ms },
        errors: r.errors,
        generatorSaturated: r.generatorSaturated,
      }));
      expect(curve.kneeRatePerSec).toBe(kneeOf(steps, [parseSlo('p99<2s')]));
      for (const row of curve.rows.filter((r) => r.offeredRatePerSec <= (curve.kneeRatePerSec ?? -1)))
        expect(row.misses).toEqual([]);
    }
    const [perRequest, pooled] = curves;
    // A connection per request cannot open 4,000 a second here: it falls behind the offered rate.
    expect(perRequest!.rows[1]!.misses).toContain('rate not kept');
    expect(pooled!.kneeRatePerSec).not.toBeNull();
    expect(perRequest!.kneeRatePerSec ?? 0).toBeLessThan(pooled!.kneeRatePerSec!);
    // The pool's rows carry its acquire wait and its busy connections (Little's law), beside its 50.
    expect(pooled!.rows.every((r) => r.acquireWaitP99Ms !== null && r.busyConnections! < 50)).toBe(true);
    expect(perRequest!.rows.every((r) => r.busyConnections === null)).toBe(true);
  });

  it('says the knee first on the terminal, draws the curve with --chart, and fits 80 columns', async () => {
    const run = await runCli(
      [
        'bench',
        '--url',
        redis.url,
        '--strategy',
        'pooled',
        '--rate',
        '500,2000',
        '--slo',
        'p99<2s',
        '-d',
        '1s',
        '--chart',
      ],
      { env: { COLUMNS: '80' } },
    );
    expect(run.exitCode).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[1]).toMatch(/open loop at 2 rates from 500 to 2,000 requests\/s/);
    expect(run.stdout).toMatch(/pooled\(max=50\): one instance serves up to [\d,]+ req\/s with p99<2s/);
    expect(run.stdout).toContain('Capacity curve: each strategy at each offered rate');
    // --chart: the curve's p99 at each rate, not the percentile chart of its steps.
    expect(run.stdout).toContain(CURVE_CHART_TITLE);
    expect(run.stdout).not.toContain(DEFAULT_CHART_TITLE);
    expect(run.stdout).toMatch(/┄+ p99<2s\n/);
    expect(run.stdout).toMatch(/\n● pooled\(max=50\) \(knee [\d,]+\/s\) {2}★ knee\n/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it.each([
    [['--rate', '500,4000', '--slo', 'p99<5'], /^--slo "p99<5": not an objective; expected a percentile/],
    [['--slo', 'p99<5ms'], /^--slo is the objective of a capacity curve: give --rate several rates/],
    [['--rate', '500,4000', '--pool-size', '2,4'], /do not go together: a capacity curve runs one pool size/],
    [['--rate', '500,500'], /^--rate lists a rate twice/],
    [['--rate', '500..100'], /^--rate must be a rate \(5000\), a list .*; a range goes from the smaller to the larger/],
  ])('refuses %j before connecting: exit 2, one line', async (flags, message) => {
    const run = await runCli(['bench', '--url', 'redis://127.0.0.1:1', ...flags]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.replace(/^redis-pool: /, '')).toMatch(message);
  });
});
