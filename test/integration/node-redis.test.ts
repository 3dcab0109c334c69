import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrategyResult } from '../../src/schema/bench.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { benchJson, runCli } from '../helpers/run-cli.js';

// bench --client node-redis: node-redis' own client and pool against a real server, measured as ioredis runs are.
const NODE_REDIS_VERSION = (createRequire(import.meta.url)('redis/package.json') as { version: string }).version;
const BURSTY = fileURLToPath(new URL('../../scenarios/bursty.yaml', import.meta.url));

let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.stop();
});

const byStrategy = (results: StrategyResult[], name: string): StrategyResult =>
  results.find((r) => r.strategy === name)!;

describe('bench --client node-redis', () => {
  it('runs the three strategies with node-redis, counted by the client and by the server alike', async () => {
    const result = await benchJson(redis.url, [
      '--client',
      'node-redis',
      '--concurrency',
      '8',
      '--think',
      '0',
      '--requests',
      '1500',
      '--warmup',
      '300req',
    ]);
    expect(result.config.client).toEqual({ name: 'node-redis', version: NODE_REDIS_VERSION });
    expect(result.results.map((r) => r.strategy)).toEqual(['per-request', 'pooled', 'multiplexed']);
    for (const r of result.results) {
      expect(r.requests, r.label).toBe(1500);
      expect(r.errors, r.label).toBe(0);
      expect(r.latency.p50, r.label).toBeGreaterThan(0);
      // A throwaway server with no other client: what node-redis reported opening is what the server accepted.
      expect(r.connections.serverAcceptedInWindow, r.label).toBe(r.connections.openedInWindow);
      expect(r.connections.closed, r.label).toBe(r.connections.opened);
      expect(r.connections.serverClientsAfter, r.label).toBe(r.connections.serverClientsBefore);
    }
    // A client per request: one connection each, its connect time recorded from node-redis' own figure.
    const perRequest = byStrategy(result.results, 'per-request');
    expect(perRequest.connections.openedInWindow).toBe(1500);
    expect(perRequest.connect!.count).toBeGreaterThanOrEqual(1500);
    // node-redis' pool with its own defaults: maximum 100, minimum 1, acquireTimeout 3 s; at most 8 at once here.
    const pooled = byStrategy(result.results, 'pooled');
    expect(pooled.pool).toMatchObject({ max: 100, minIdle: 1, acquireTimeoutMs: 3000, order: 'fifo', profile: null });
    expect(pooled.pool!.hits + pooled.pool!.misses + pooled.pool!.timeouts).toBe(1500);
    expect(pooled.connections.peakOpen).toBeGreaterThanOrEqual(1);
    expect(pooled.acquireWait!.count).toBe(1500);
    expect(byStrategy(result.results, 'multiplexed').connections.opened).toBe(1);
  });

  it('sweeps its pool with the model beside each row, the pool flags mapped to its own options', async () => {
    const result = await benchJson(redis.url, [
      '--client',
      'node-redis',
      '--strategy',
      'pooled',
      '--pool-size',
      '2,6',
      '--min-idle',
      '2',
      '--acquire-timeout',
      '4s',
      '--idle-timeout',
      '10s',
      '--concurrency',
      '8',
      '--utilization',
      '50%',
      '--duration',
      '1500ms',
      '--warmup',
      '300ms',
    ]);
    expect(result.results.map((r) => r.pool!.max)).toEqual([2, 6]);
    expect(result.results.every((r) => r.pool!.acquireTimeoutMs === 4000 && r.pool!.minIdle === 2)).toBe(true);
    const rows = result.sweep!.rows;
    expect(rows.map((r) => r.poolSize)).toEqual([2, 6]);
    for (const row of rows) {
      expect(row.model).toBe('finite-source');
      expect(row.predictedWaitProbability).toBeGreaterThan(0);
      expect(row.waitProbability).toBeGreaterThanOrEqual(0);
    }
    // Eight workers half busy on two connections wait far more often than on six, measured as the model says.
    expect(rows[0]!.waitProbability).toBeGreaterThan(rows[1]!.waitProbability);
    expect(rows[0]!.predictedWaitProbability).toBeGreaterThan(rows[1]!.predictedWaitProbability);
  });

  it('runs a scenario that names its client, and on two threads', async () => {
    const result = await benchJson(redis.url, [
      '--scenario',
      BURSTY,
      '--client',
      'node-redis',
      '--threads',
      '2',
      '--duration',
      '1s',
    ]);
    expect(result.config.client?.name).toBe('node-redis');
    expect(result.config.threads).toBe(2);
    expect(result.results[0]!.requests).toBeGreaterThan(0);
    expect(result.results[0]!.errors).toBe(0);
  });
});

describe('the real pool does what the model does not: it closes idle clients and opens them again', () => {
  it('bursts further apart than its cleanupDelay churn connections in node-redis, not in this project’s pool', async () => {
    const bursty = ['--scenario', BURSTY, '--duration', '2s'];
    const churning = await benchJson(redis.url, [...bursty, '--client', 'node-redis']);
    const keeping = await benchJson(redis.url, bursty);
    const churned = churning.results[0]!;
    const kept = keeping.results[0]!;
    // Five bursts of 20 in 2 s, 150 ms of cleanupDelay in 400 ms gaps: node-redis reopens most of its pool each time.
    expect(churned.connections.openedInWindow).toBeGreaterThan(3 * 20);
    expect(churned.connections.closedInWindow).toBeGreaterThan(3 * 20);
    expect(churned.connections.serverAcceptedInWindow).toBe(churned.connections.openedInWindow);
    expect(churning.warnings.map((w) => w.code)).toContain('pool-churn');
    // The same scenario on this project's pool: an idle timeout acts only on an eviction run, and there is none.
    expect(kept.connections.openedInWindow).toBeLessThanOrEqual(20);
    expect(kept.connections.closedInWindow).toBe(0);
    expect(keeping.warnings.map((w) => w.code)).not.toContain('pool-churn');
    // And the terminal says it on the first screen.
    const terminal = await runCli(['bench', '--url', redis.url, ...bursty, '--client', 'node-redis']);
    expect(terminal.exitCode).toBe(0);
    expect(terminal.stdout).toMatch(/warning: pooled\(max=20\): the pool closed [\d,]+ and opened [\d,]+ connections/);
  });
});

describe('refused before connecting: exit 2, one line naming the flag and what node-redis takes', () => {
  const unreachable = 'redis://127.0.0.1:1';
  it.each([
    [['--max-lifetime', '1s'], /^--max-lifetime \(a connection lifetime\) has no counterpart in node-redis' pool/],
    [['--pool-profile', 'jedis'], /^--pool-profile \(jedis, which imitates a client\) has no counterpart/],
    [['--min-idle', '0'], /^--min-idle 0: node-redis' pool keeps at least 1 client/],
    [['--idle-timeout', '0'], /^--idle-timeout 0 \(never\): node-redis' pool closes idle clients after cleanupDelay/],
    [['--auto-pipelining'], /^--auto-pipelining is ioredis' option/],
    [['--cluster'], /^--client node-redis and --cluster do not go together yet/],
  ])('%j', async (flags, message) => {
    const run = await runCli(['bench', '--url', unreachable, '--client', 'node-redis', ...flags]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.replace(/^redis-pool: /, '')).toMatch(message);
  });

  it('an unknown client', async () => {
    const run = await runCli(['bench', '--url', unreachable, '--client', 'jedis']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--client must be one of ioredis, node-redis \(got "jedis"\)/);
  });
});
