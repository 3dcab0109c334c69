import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/processes.js';
import { getsServed, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { benchJson, runCli, startCli, writtenDocument } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.stop();
});

// Every worker back to back, so that each thread's pool uses all its connections.
const RUN = [
  '--strategy',
  'pooled,multiplexed',
  '--concurrency',
  '5',
  '--think',
  '0',
  '--requests',
  '3001',
  '--warmup',
  '0',
];

describe('bench --threads: one service instance per thread, added up', () => {
  it('gives the totals of the single-threaded run: every request once, the same connections, each thread its share', async () => {
    const single = await benchJson(redis.url, RUN);
    const threaded = await benchJson(redis.url, [...RUN, '--threads', '2']);
    expect(threaded.config.threads).toBe(2);
    expect(threaded.config.concurrency).toBe(5);
    expect(threaded.merged!.of).toBe('threads');
    // Named for what the two threads held together, and by one thread's label too.
    expect(threaded.results.map((r) => [r.label, r.instanceLabel])).toEqual([
      ['pooled(2 × max=3)', 'pooled(max=3)'],
      ['multiplexed(2 conns)', 'multiplexed(1 conn)'],
    ]);
    for (const [i, run] of threaded.results.entries()) {
      const one = single.results[i]!;
      expect(run.requests).toBe(one.requests);
      expect(run.requests).toBe(3001);
      expect(run.latency.count).toBe(3001);
      expect(run.errors).toBe(0);
    }
    // The pool's connections are the single run's; multiplexed has one shared connection per thread (instance).
    expect(threaded.results[0]!.connections.used).toBe(single.results[0]!.connections.used);
    // 5 workers: 3 and 2, the remainder to the first thread; 3001 requests: 1501 and 1500.
    expect(threaded.merged!.inputs.map((t) => t.requests['pooled(max=3)'])).toEqual([1501, 1500]);
    // Each thread's pool is as large as its workers by default: 3 + 3, of which 3 + 2 are used.
    expect(threaded.results[0]!.pool!.max).toBe(6);
    expect(threaded.results[0]!.connections.used).toBe(5);
    expect(threaded.results[1]!.connections.used).toBe(2);
    expect(single.results[1]!.connections.used).toBe(1);
    // size --instances 2 with the threads' pools of 3 (multiplexed: 1 each): what the server may receive.
    expect(threaded.results.map((r) => r.predictedConnections)).toEqual([
      { perNode: 6, perProcess: 3, pool: 3, command: 'size --shards 1 --instances 2' },
      { perNode: 2, perProcess: 1, pool: 1, command: 'size --shards 1 --instances 2' },
    ]);
    for (const run of threaded.results)
      expect(run.connections.serverPeakClients).toBeLessThanOrEqual(run.predictedConnections!.perNode);
    expect(threaded.results[1]!.connections.serverPeakClients).toBe(2);
    expect(await redis.client().dbsize()).toBe(0);
    // size --from sizes one of the two instances: the larger thread's 3 workers, not all 5.
    const file = join(tempDir('threads'), 'threaded.json');
    writeFileSync(file, JSON.stringify(threaded));
    const sized = writtenDocument((await runCli(['size', '--from', file, '--json'])).stdout, 'size');
    expect(sized.inputs.threads).toBe(3);
    expect(sized.inputs.from!.reason).toMatch(/; each of its 2 instances' share of the load$/);
  });

  it('runs a capacity curve on every thread: each offers its share of each step, the curve is of the whole rates', async () => {
    const run = ['--strategy', 'pooled', '--concurrency', '5', '--pool-size', '3', '--warmup', '0'];
    const result = await benchJson(redis.url, [
      ...run,
      '--rate',
      '200,600',
      '--slo',
      'p99<2s',
      '--duration',
      '600ms',
      '--threads',
      '2',
    ]);
    expect(result.results.map((r) => [r.label, r.instanceLabel])).toEqual([
      ['pooled(2 × max=3)@200', 'pooled(max=3)@200'],
      ['pooled(2 × max=3)@600', 'pooled(max=3)@600'],
    ]);
    // 5 workers, 3 and 2: each thread offered 3/5 and 2/5 of each step's rate.
    expect(result.merged!.inputs.map((t) => Object.keys(t.requests))).toEqual([
      ['pooled(max=3)@120', 'pooled(max=3)@360'],
      ['pooled(max=3)@80', 'pooled(max=3)@240'],
    ]);
    const [curve] = result.capacity!;
    expect(curve!.label).toBe('pooled(2 × max=3)');
    expect(curve!.instances).toBe(2);
    for (const [i, row] of curve!.rows.entries()) {
      const step = result.results[i]!;
      expect(row.offeredRatePerSec).toBe([200, 600][i]);
      expect(step.load.requestedRate).toBeCloseTo(row.offeredRatePerSec, 6);
      // The curve's rate served is its step's req/s, and the threads' requests add up to the step's.
      expect(row.achievedRatePerSec).toBe(step.throughput);
      expect(step.requests).toBe(result.merged!.inputs.reduce((n, t) => n + Object.values(t.requests)[i]!, 0));
      expect(step.errors).toBe(0);
    }
    // A knee, when there is one, is a step of the curve that met everything.
    if (curve!.kneeRatePerSec !== null)
      expect(curve!.rows.find((row) => row.offeredRatePerSec === curve!.kneeRatePerSec)!.misses).toEqual([]);
    expect(await redis.client().dbsize()).toBe(0);
  });

  it('stops every thread on SIGINT, writes the partial result and exits 130', async () => {
    // The server is shared with the tests before: count from what it has served already.
    const before = (await getsServed(redis.port, 0))!;
    const running = startCli([
      'bench',
      '--url',
      redis.url,
      '--threads',
      '2',
      '--concurrency',
      '4',
      '--duration',
      '30s',
      '--warmup',
      '0',
      '--json',
    ]);
    // Once the load is under way, however long the threads took to start: no fixed delay.
    expect(await waitFor(() => getsServed(redis.port, before + 100), 30_000)).not.toBeNull();
    running.child.kill('SIGINT');
    const run = await running.done;
    expect(run.exitCode).toBe(130);
    const result = writtenDocument(run.stdout, 'bench');
    expect(result.interrupted).toBe(true);
    expect(result.config.threads).toBe(2);
    expect(run.stderr).toMatch(/interrupted: partial results written/);
  });

  it('refuses more threads than workers, a fault and a sweep with threads, before anything runs', async () => {
    for (const [args, message] of [
      [['--threads', '3', '--concurrency', '2'], /--threads 3 is more than the 2 workers/],
      [['--threads', '0'], /--threads/],
      [['--threads', '2', '--fault', 'kill-clients@1s'], /--fault and --threads do not go together/],
      [['--threads', '2', '--pool-size', '2,4'], /--threads and a sweep/],
    ] as const) {
      const run = await runCli(['bench', ...args]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr.trim()).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
