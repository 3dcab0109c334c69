import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { benchJson } from '../helpers/run-cli.js';

// Pipelining is seen where it happens: by the server, which reads a pipeline of commands in one read of its socket.
let redis: TestRedis;
let client: Redis;

beforeAll(async () => {
  redis = await startRedis();
  client = redis.client();
});

afterAll(async () => {
  await redis?.stop();
});

const stat = (info: string, name: string): number =>
  Number(new RegExp(`^${name}[:=](?:calls=)?(\\d+)`, 'm').exec(info)?.[1] ?? Number.NaN);

/** The server's socket reads per GET it ran, over one bench run (the tool's own few reads included). */
async function readsPerGet(args: string[]): Promise<{ label: string; readsPerGet: number }> {
  const before = await client.info();
  const before2 = await client.info('commandstats');
  // Every worker back to back: as many requests in flight as workers, for auto-pipelining to batch.
  const result = await benchJson(redis.url, ['--requests', '4000', '--warmup', '0', '--think', '0', ...args]);
  const after = await client.info();
  const after2 = await client.info('commandstats');
  const gets = stat(after2, 'cmdstat_get') - (stat(before2, 'cmdstat_get') || 0);
  expect(gets).toBeGreaterThanOrEqual(4000);
  return {
    label: result.results[0]!.label,
    readsPerGet: (stat(after, 'total_reads_processed') - stat(before, 'total_reads_processed')) / gets,
  };
}

describe('pipelining, explicit and automatic: labelled, and real', () => {
  it("--pipeline 10 sends a request's ten GETs in one write (the server reads them at once); without it, one read per GET", async () => {
    const pipelined = await readsPerGet(['--strategy', 'pooled', '--concurrency', '4', '--pipeline', '10']);
    expect(pipelined.label).toBe('pooled(max=4, pipeline=10)');
    expect(pipelined.readsPerGet).toBeLessThan(0.2);
    const oneByOne = await readsPerGet(['--strategy', 'pooled', '--concurrency', '4', '--commands-per-request', '10']);
    expect(oneByOne.label).toBe('pooled(max=4)');
    expect(oneByOne.readsPerGet).toBeGreaterThan(0.8);
  });

  it('--auto-pipelining lets ioredis batch the GETs of 50 workers on the shared connection into a few writes', async () => {
    const auto = await readsPerGet(['--strategy', 'multiplexed', '--concurrency', '50', '--auto-pipelining']);
    expect(auto.label).toBe('multiplexed(1 conn, auto-pipelining)');
    const plain = await readsPerGet(['--strategy', 'multiplexed', '--concurrency', '50']);
    expect(plain.label).toBe('multiplexed(1 conn)');
    expect(auto.readsPerGet * 4).toBeLessThan(plain.readsPerGet);
  });
});
