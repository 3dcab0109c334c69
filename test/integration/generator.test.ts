import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../../src/schema/bench.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { benchJson, runCli } from '../helpers/run-cli.js';

let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const bench = (args: string[]): Promise<BenchResult> => benchJson(redis.url, [...args]);

describe("the load generator's own health", () => {
  it('is in every result: event-loop busy share and lag, how late the wake-ups fired, CPU', async () => {
    const result = await bench(['--concurrency', '4', '--utilization', '0.2', '--duration', '1s', '--warmup', '200ms']);
    expect(result.results.map((r) => r.strategy)).toEqual(['per-request', 'pooled', 'multiplexed']);
    for (const { label, generator, load } of result.results) {
      expect(generator, label).toBeDefined();
      expect(generator!.eventLoopUtilization).toBeGreaterThan(0);
      expect(generator!.eventLoopUtilization).toBeLessThanOrEqual(1);
      expect(generator!.lagP99Ms).toBeGreaterThanOrEqual(0);
      expect(generator!.cpuMs).toBeGreaterThan(0);
      expect(generator!.cpuShare).toBeGreaterThan(0);
      // Every think time was a scheduled wake-up: one per request that finished thinking.
      const lateness = generator!.wakeLateness!;
      expect(lateness.count, label).toBeGreaterThan(0);
      expect(lateness.p50Us).toBeLessThanOrEqual(lateness.p90Us);
      expect(lateness.p90Us).toBeLessThanOrEqual(lateness.p99Us);
      expect(lateness.p99Us).toBeLessThanOrEqual(lateness.maxUs);
      expect(load.thinkMeanMs, label).toBeGreaterThan(0);
    }
  });

  it('a closed loop without think time schedules no wake-up', async () => {
    const result = await bench([
      '--strategy',
      'pooled',
      '--concurrency',
      '2',
      '--think',
      '0',
      '--requests',
      '300',
      '--warmup',
      '0',
    ]);
    expect(result.results[0]!.generator!.wakeLateness).toBeNull();
  });

  it('500 workers on one event loop against one-command holds: the run says the generator distorted it', async () => {
    const run = await runCli([
      'bench',
      '--url',
      redis.url,
      '--wide',
      '--strategy',
      'pooled',
      '--concurrency',
      '500',
      '--pool-size',
      '50',
      '--utilization',
      '0.1',
      '--duration',
      '1s',
      '--warmup',
      '300ms',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/warning: pooled\(max=50\): the load generator woke its workers late/);
    const json = await bench([
      '--strategy',
      'pooled',
      '--concurrency',
      '500',
      '--pool-size',
      '50',
      '--utilization',
      '0.1',
      '--duration',
      '1s',
      '--warmup',
      '300ms',
    ]);
    const saturated = json.warnings.filter((w) => w.kind === 'generator-saturated');
    expect(saturated).toHaveLength(1);
    expect(saturated[0]!.code).toBe('generator-saturated');
  });

  it(
    '200 workers back to back on one event loop: the generator is the bottleneck, ' +
      'says how much of the latency is its own waiting, and what its connect times are',
    async () => {
      const args = [
        '--strategy',
        'per-request,pooled',
        '--concurrency',
        '200',
        '--think',
        '0',
        '--duration',
        '1s',
        '--warmup',
        '200ms',
      ];
      // --details: the connect-time line; --wide: whole sentences, which a 120-column pipe would wrap.
      const run = await runCli(['bench', '--url', redis.url, '--details', '--wide', ...args]);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toMatch(
        /warning: per-request: the load generator was the bottleneck: its event loop was busy with no scheduled wake-up to wait for \(event loop [\d.]+ % busy/,
      );
      expect(run.stdout).toMatch(
        new RegExp(
          /per-request connect p50: .* setup \(AUTH\/SELECT when needed, ready check\), measured with the /.source +
            /load generator saturated, its own waiting included: redis-pool anatomy times one connection unloaded/
              .source,
        ),
      );
      const json = await bench(args);
      const perRequest = json.results.find((r) => r.strategy === 'per-request')!;
      // Nothing was scheduled: the busy share of the loop means what it says.
      expect(perRequest.generator!.wakeLateness).toBeNull();
      expect(perRequest.generator!.eventLoopUtilization).toBeGreaterThanOrEqual(0.9);
      expect(perRequest.generator!.lagMeanMs).toBeGreaterThanOrEqual(0);
      const warning = json.warnings.find(
        (w) => w.kind === 'generator-saturated' && w.message.startsWith('per-request:'),
      )!;
      expect(warning.message).toMatch(
        /(at least [\d.]+ % of the mean request latency|the throughput is the generator's limit)/,
      );
      expect(warning.message).toContain('`redis-pool anatomy` times one connection on an idle loop');
      expect(warning.remedy).toMatch(/--threads 2.*fewer workers \(--concurrency\).*a second load machine/);
    },
  );

  it('an open loop at a rate the generator keeps easily, over a 20 ms round trip: no generator-saturated warning', async () => {
    // Latencies of 20 ms and more: a wake-up would have to be 10 ms late, at p99, to be of their order.
    const result = await bench([
      '--strategy',
      'pooled,multiplexed',
      '--rate',
      '200',
      '--concurrency',
      '16',
      '--rtt',
      '20',
      '--duration',
      '2s',
      '--warmup',
      '200ms',
    ]);
    for (const run of result.results) {
      expect(run.generator!.wakeLateness!.count, run.label).toBeGreaterThan(0);
      expect(run.errors).toBe(0);
    }
    expect(result.warnings.filter((w) => w.kind === 'generator-saturated')).toEqual([]);
  });

  it('a pooled run whose workers never think skips the holds by load (nothing compares it with the model)', async () => {
    const result = await bench([
      '--strategy',
      'pooled',
      '--concurrency',
      '8',
      '--pool-size',
      '4',
      '--think',
      '0',
      '--requests',
      '2000',
      '--warmup',
      '200req',
    ]);
    expect(result.results[0]!.load.holdByBusy).toBeUndefined();
    expect(result.results[0]!.load.holdGrowthPerBusy).toBeUndefined();
  });

  it('a pooled run measures the mean hold at each number of busy connections from the time spent there', async () => {
    const result = await bench([
      '--strategy',
      'pooled',
      '--concurrency',
      '8',
      '--pool-size',
      '2,4',
      '--utilization',
      '0.3',
      '--duration',
      '1s',
      '--warmup',
      '200ms',
    ]);
    for (const { label, load, requests, errors, pool } of result.results) {
      const levels = load.holdByBusy!;
      expect(levels.length, label).toBeGreaterThan(0);
      // Every release of the window leaves one level (a release or two of the warm-up's requests may end in it),
      // and no level is above the pool's size.
      const releases = levels.reduce((sum, l) => sum + l.holds, 0);
      expect(releases).toBeGreaterThanOrEqual(requests - errors);
      expect(releases).toBeLessThanOrEqual(requests - errors + pool!.max);
      expect(Math.max(...levels.map((l) => l.busy))).toBeLessThanOrEqual(pool!.max);
      expect(Math.min(...levels.map((l) => l.busy))).toBeGreaterThanOrEqual(1);
      // Σ releases × k × time ÷ releases = all the time connections were lent, per release: the run's mean hold,
      // give or take the moments a connection is handed to a waiting request before that request resumes.
      const weighted = levels.reduce((sum, l) => sum + l.holds * l.meanMs, 0) / releases;
      expect(weighted).toBeGreaterThan(load.holdMeanMs * 0.9);
      expect(weighted).toBeLessThan(load.holdMeanMs * 1.1);
    }
  });
});
