import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { benchJson, runCli } from '../helpers/run-cli.js';

let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.stop();
});

// --wide: these tests read whole sentences, which a 120-column pipe would wrap.
const bench = (args: string[]) => runCli(['bench', '--url', redis.url, '--wide', ...args]);

describe('alerts fire only where their remedy can help', () => {
  it('the default run answers whether its pool, smaller than the workers, is big enough, and never apologises for its own load', async () => {
    // The defaults (10,000 requests/s, 100 workers, a pool of 50), only shorter.
    const result = await benchJson(redis.url, ['--strategy', 'pooled', '--duration', '1s', '--warmup', '200ms']);
    expect(result.config.load.ratePerSec).toBe(10_000);
    const [pooled] = result.results;
    expect(pooled!.label).toBe('pooled(max=50)');
    expect(result.warnings.map((w) => w.code)).not.toContain('pool-busy-by-construction');
    const answer = result.warnings.find((w) => w.code === 'pool-answer');
    expect(answer, JSON.stringify(result.warnings)).toBeDefined();
    const verdicts = [
      'the pool is big enough for this load',
      'the pool is too small for this load',
      'more requests waited than the model predicts for this pool',
    ];
    expect(answer!.message).toMatch(
      new RegExp(
        `^pooled\\(max=50\\): (${verdicts.join('|')}): ` + /[\d.<  ]+ % of the acquires waited for a connection/.source,
      ),
    );
    expect(answer!.message).toMatch(
      /for the load measured \(10,000 requests\/s × a mean hold of [\d.]+ ms: [\d.]+ connections busy on average\) the Erlang C model predicts/,
    );
  });

  it('a closed loop without think time and a pool as large as the workers notes what its busy pool means and never says "grow the pool"', async () => {
    const run = await bench([
      '--strategy',
      'pooled',
      '--concurrency',
      '50',
      '--think',
      '0',
      '--duration',
      '1s',
      '--warmup',
      '200ms',
    ]);
    expect(run.exitCode).toBe(0);
    const output = run.stdout + run.stderr;
    expect(output).not.toMatch(/grow (it|the pool)/);
    expect(run.stdout).toContain(
      'note: pooled(max=50): closed loop without think time: ' +
        "each of the 50 workers always holds a connection, so 50 of the pool's 50 connections are busy by construction",
    );
    expect(run.stdout).toContain('add --utilization or --rate');
  });

  it('more workers than connections, with requests waiting: the warning to grow the pool stays', async () => {
    const result = await benchJson(redis.url, [
      '--strategy',
      'pooled',
      '--concurrency',
      '12',
      '--think',
      '0',
      '--pool-size',
      '3',
      '--duration',
      '1s',
      '--warmup',
      '200ms',
    ]);
    const [pooled] = result.results;
    expect(pooled!.pool!.waitCount).toBeGreaterThan(0);
    const alert = result.warnings.find((w) => w.code === 'alert-pool-active');
    expect(alert, JSON.stringify(result.warnings)).toBeDefined();
    expect(alert!.level).toBeUndefined();
    expect(alert!.remedy).toContain('grow the pool');
    expect(result.warnings.some((w) => w.level === 'note')).toBe(false);
  });
});

describe('connection counters say when', () => {
  it('counts the connections opened before the window, and those closed at the end', async () => {
    const result = await benchJson(redis.url, [
      '--strategy',
      'pooled,multiplexed',
      '--concurrency',
      '4',
      '--pool-size',
      '4',
      '--requests',
      '500',
      '--warmup',
      '0',
      '--threshold',
      'multiplexed:connections:opened>=1',
      '--threshold',
      'pooled:connections:opened>=1',
    ]);
    expect(result.thresholds.map((v) => v.ok)).toEqual([true, true]);
    const [pooled, multiplexed] = result.results;
    // Multiplexed opens its connection in the strategy's start, before the window, and closes it at the end.
    expect(multiplexed!.connections).toMatchObject({
      opened: 1,
      openedBeforeWindow: 1,
      openedInWindow: 0,
      used: 1,
      closed: 1,
      closedBeforeWindow: 0,
      closedInWindow: 0,
      closedAtEnd: 1,
      peakOpen: 1,
      serverAccepted: 1,
      serverAcceptedBeforeWindow: 1,
      serverAcceptedInWindow: 0,
    });
    // Without a warm-up the pool opens its connections in the window; it closes them all at the end.
    const c = pooled!.connections;
    expect(c.openedBeforeWindow).toBe(0);
    expect(c.openedInWindow).toBeGreaterThanOrEqual(1);
    expect(c.openedInWindow).toBeLessThanOrEqual(4);
    expect(c.opened).toBe(c.openedInWindow);
    expect(c.closedAtEnd).toBe(c.opened);
    expect(c.closed).toBe(c.opened);
    expect(c.serverAccepted).toBe(c.opened);
    expect(c.serverAcceptedInWindow).toBe(c.openedInWindow);
  });

  it("a warm-up moves the pool's connections to setup", async () => {
    const result = await benchJson(redis.url, [
      '--strategy',
      'pooled',
      '--concurrency',
      '4',
      '--think',
      '0',
      '--pool-size',
      '4',
      '--requests',
      '500',
      '--warmup',
      '200ms',
    ]);
    const c = result.results[0]!.connections;
    expect(c.openedBeforeWindow).toBe(4);
    expect(c.openedInWindow).toBe(0);
    expect(c.serverAcceptedBeforeWindow).toBe(4);
    expect(c.used).toBe(4);
    expect(c.closedAtEnd).toBe(4);
  });
});

describe('what a hold spans', () => {
  it('per-request holds its connection through the connect; multiplexed has no utilization', async () => {
    const result = await benchJson(redis.url, [
      '--strategy',
      'per-request,multiplexed',
      '--concurrency',
      '4',
      '--requests',
      '300',
      '--warmup',
      '0',
    ]);
    const [perRequest, multiplexed] = result.results;
    // Every per-request hold contains that request's whole connect, so the mean hold cannot be below the mean
    // connect time (1 % for the histogram's 3 significant digits).
    expect(perRequest!.load.holdMeanMs).toBeGreaterThanOrEqual(perRequest!.connect!.mean * 0.99);
    expect(perRequest!.load.measuredUtilization).toBeGreaterThan(0);
    expect(multiplexed!.load.measuredUtilization).toBeNull();
    expect(multiplexed!.load.holdMeanMs).toBeGreaterThan(0);
  });
});
