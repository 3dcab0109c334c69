import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import type { Redis } from 'ioredis';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../../src/schema/bench.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { benchJson, runCli, writtenDocument } from '../helpers/run-cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { expectedServer } from '../helpers/server-binary.js';
import { tempDir } from '../helpers/temp-dir.js';

let redis: TestRedis;
let probe: Redis;

beforeAll(async () => {
  redis = await startRedis();
  probe = redis.client();
  // The user's own data, which a run must leave exactly as it was.
  await probe.mset('user:1', 'alice', 'user:2', 'bob', 'session:xyz', 'keep-me');
});

afterAll(async () => {
  await redis?.stop();
});

const connectedClients = async (): Promise<number> =>
  Number(/connected_clients:(\d+)/.exec(await probe.info('clients'))![1]);

const bench = (args: string[]): Promise<BenchResult> => benchJson(redis.url, ['--warmup', '0', ...args]);

describe('redis-pool bench against a real server', () => {
  it('per-request opens at least one connection per request, and the server counts them', async () => {
    const result = await bench(['--strategy', 'per-request', '--requests', '300', '--concurrency', '4']);
    const [r] = result.results;
    expect(r!.strategy).toBe('per-request');
    expect(r!.requests).toBe(300);
    expect(r!.errors).toBe(0);
    expect(r!.connections.opened).toBeGreaterThanOrEqual(300);
    expect(r!.connections.serverAccepted).toBeGreaterThanOrEqual(300);
    expect(r!.connections.peakOpen).toBeLessThanOrEqual(4);
    expect(r!.connect!.count).toBeGreaterThanOrEqual(300);
    expect(r!.acquireWait).toBeNull();
  });

  it('pooled never opens more than the pool size, and its waits are recorded', async () => {
    const result = await bench([
      '--strategy',
      'pooled',
      '--pool-size',
      '3',
      '--concurrency',
      '12',
      '--think',
      '0',
      '--requests',
      '2000',
    ]);
    const r = result.results[0]!;
    expect(r.label).toBe('pooled(max=3)');
    expect(r.requests).toBe(2000);
    expect(r.connections.used).toBeLessThanOrEqual(3);
    expect(r.connections.peakOpen).toBeLessThanOrEqual(3);
    expect(r.connections.serverAccepted).toBeLessThanOrEqual(3);
    expect(r.connections.serverPeakClients).toBeLessThanOrEqual(3);
    expect(r.acquireWait!.count).toBe(2000);
    expect(r.pool!.max).toBe(3);
    expect(r.pool!.peakTotal).toBeLessThanOrEqual(3);
    // 12 workers and 3 connections: most acquires must queue.
    expect(r.pool!.waitCount).toBeGreaterThan(0);
    expect(r.pool!.hits + r.pool!.misses + r.pool!.waitCount).toBeGreaterThanOrEqual(2000);
  });

  it('multiplexed uses exactly one connection', async () => {
    const result = await bench([
      '--strategy',
      'multiplexed',
      '--concurrency',
      '20',
      '--requests',
      '2000',
      '--command',
      'mix',
    ]);
    const r = result.results[0]!;
    expect(r.label).toBe('multiplexed(1 conn)');
    expect(r.connections.used).toBe(1);
    expect(r.connections.peakOpen).toBe(1);
    // Opened by the strategy's start, before the window: counted, and not as opened in it.
    expect(r.connections.opened).toBe(1);
    expect(r.connections.openedInWindow).toBe(0);
    expect(r.connections.serverAccepted).toBe(1);
    expect(r.connections.serverAcceptedInWindow).toBe(0);
  });

  it('runs all three by default, with histograms that decode to what they summarise', async () => {
    const result = await bench(['--requests', '400', '--concurrency', '8', '--command', 'set', '--value-size', '256']);
    expect(result.schema).toBe('redis-pool.bench/v1');
    expect(result.target).toMatchObject({ mode: 'external', tls: false });
    expect(result.target.redisVersion).toMatch(/^\d+\.\d+\.\d+/);
    const { name, version } = expectedServer();
    expect(result.target.server).toEqual({ name, version });
    expect(result.results.map((r) => r.strategy)).toEqual(['per-request', 'pooled', 'multiplexed']);
    for (const r of result.results) {
      const histogram = decodeFromCompressedBase64(r.latency.hdr);
      expect(histogram.totalCount).toBe(r.latency.count);
      expect(r.latency.count).toBe(400);
      expect(r.latency.p50).toBeLessThanOrEqual(r.latency.p99);
      expect(r.latency.p99).toBeLessThanOrEqual(r.latency.max);
      expect(r.throughput).toBeGreaterThan(0);
    }
    // Reuse means fewer connections: per-request used hundreds, the pool at most 8, multiplexed one.
    const used = result.results.map((r) => r.connections.used);
    expect(used[0]).toBeGreaterThan(used[1]!);
    expect(used[1]).toBeGreaterThanOrEqual(used[2]!);
  });

  it("leaves the user's keys and the server's client count as it found them", async () => {
    const clientsBefore = await connectedClients();
    const keysBefore = (await probe.keys('*')).sort();
    const result = await bench(['--requests', '300', '--concurrency', '5', '--keyspace', '500']);
    expect(result.results).toHaveLength(3);
    for (const r of result.results)
      expect(r.connections.serverClientsAfter).toBeLessThanOrEqual(r.connections.serverClientsBefore);
    expect((await probe.keys('*')).sort()).toEqual(keysBefore);
    expect(await probe.mget('user:1', 'user:2', 'session:xyz')).toEqual(['alice', 'bob', 'keep-me']);
    expect(await probe.keys('redis-pool:*')).toEqual([]);
    expect(await connectedClients()).toBe(clientsBefore);
  });

  it('prints a table with one row per strategy and the ratios', async () => {
    const run = await runCli(['bench', '--url', redis.url, '--warmup', '0', '--requests', '300', '--concurrency', '4']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/per-request\s+│/);
    expect(run.stdout).toMatch(/pooled\(max=4\)\s+│/);
    expect(run.stdout).toMatch(/multiplexed\(1 conn\)\s+│/);
    expect(run.stdout).toMatch(
      /pooled\(max=4\): [\d.,]+× the throughput of per-request, 1\/[\d.,]+ of the connections/,
    );
    expect(run.stdout).not.toMatch(/\u001b\[/);
  });

  it('writes the same document to --output', async () => {
    const dir = tempDir('output');
    const file = join(dir, 'result.json');
    const run = await runCli([
      'bench',
      '--url',
      redis.url,
      '--warmup',
      '0',
      '--requests',
      '100',
      '--strategy',
      'pooled',
      '--json',
      '--output',
      file,
    ]);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(run.stdout));
  });

  it('names the server by its own name and version in every output: table, JSON, Markdown, HTML, report', async () => {
    // Read from the server program itself (redis-server or valkey-server --version), never written here.
    const expected = expectedServer();
    const dir = tempDir('server-name');
    const [json, markdown, html] = ['result.json', 'report.md', 'report.html'].map((name) => join(dir, name));
    const run = await runCli([
      'bench',
      '--url',
      redis.url,
      '--warmup',
      '0',
      '--requests',
      '50',
      '--strategy',
      'pooled',
      '--output',
      json!,
      '--markdown',
      markdown!,
      '--html',
      html!,
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    const heading = `${expected.label} at redis://127.0.0.1:${redis.port}/0 (external)`;
    expect(run.stdout.split('\n')[0]).toBe(heading);
    expect(writtenDocument(readFileSync(json!, 'utf8'), 'bench').target.server).toEqual({
      name: expected.name,
      version: expected.version,
    });
    expect(readFileSync(markdown!, 'utf8')).toContain(heading);
    expect(readFileSync(html!, 'utf8')).toContain(heading);
    const report = await runCli(['report', '--size', fixturePath('size-result.json'), '--bench', json!]);
    expect(report.exitCode, report.stderr).toBe(0);
    expect(report.stdout).toContain(heading);
    // Valkey reports an older Redis as its redis_version (7.2.4 on Valkey 8): no output may name it as the server.
    const redisVersion = writtenDocument(readFileSync(json!, 'utf8'), 'bench').target.redisVersion;
    if (expected.name !== 'redis')
      for (const text of [run.stdout, readFileSync(markdown!, 'utf8'), report.stdout])
        expect(text).not.toContain(`Redis ${redisVersion}`);
  });

  it('uses REDIS_URL when no --url is given', async () => {
    const run = await runCli(['bench', '--warmup', '0', '--requests', '50', '--strategy', 'multiplexed', '--json'], {
      env: { REDIS_URL: redis.url },
    });
    expect(run.exitCode).toBe(0);
    expect(writtenDocument(run.stdout, 'bench').target.url).toBe(`redis://127.0.0.1:${redis.port}/0`);
  });
});

describe('redis-pool bench with a password', () => {
  let secured: TestRedis;
  const password = 'pw-Zq81-do-not-print';

  beforeAll(async () => {
    secured = await startRedis({ args: ['--requirepass', password] });
  });
  afterAll(async () => {
    await secured?.stop();
  });

  it('authenticates every connection and never prints the password', async () => {
    const run = await runCli([
      'bench',
      '--url',
      secured.url,
      '--warmup',
      '0',
      '--requests',
      '100',
      '--concurrency',
      '2',
      '--json',
    ]);
    expect(run.exitCode).toBe(0);
    const result = writtenDocument(run.stdout, 'bench');
    expect(result.target.url).toBe(`redis://:***@127.0.0.1:${secured.port}/0`);
    expect(result.results.every((r) => r.errors === 0)).toBe(true);
    expect(run.stdout + run.stderr).not.toContain(password);
  });

  it('exits 3 when the password is refused, without printing it', async () => {
    const run = await runCli([
      'bench',
      '--url',
      `redis://:wrong-${password}@127.0.0.1:${secured.port}`,
      '--requests',
      '10',
    ]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/authentication refused/);
    expect(run.stdout + run.stderr).not.toContain(password);
  });
});
