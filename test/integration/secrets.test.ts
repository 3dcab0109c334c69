import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/redis/free-port.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A password that cannot appear in any output by accident. */
const PASSWORD = 'Sekr1t-q7Zx-never-print';
let redis: TestRedis;
const dir = tempDir('secrets');

beforeAll(async () => {
  redis = await startRedis({ args: ['--requirepass', PASSWORD] });
});
afterAll(async () => {
  await redis?.stop();
});

describe('a password never appears in any output', () => {
  it.each([
    ['table', ['--requests', '200', '--concurrency', '2', '--warmup', '0']],
    [
      'json and file',
      ['--requests', '200', '--concurrency', '2', '--warmup', '0', '--json', '--output', join(dir, 'out.json')],
    ],
    [
      'sweep and open loop',
      ['--strategy', 'pooled', '--pool-size', '1,2', '--rate', '300', '--duration', '500ms', '--warmup', '0'],
    ],
    ['rtt proxy', ['--strategy', 'pooled', '--requests', '100', '--rtt', '1', '--warmup', '0']],
  ])('bench (%s)', async (_name, args) => {
    const run = await runCli(['bench', '--url', redis.url, ...args]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    expect(run.stdout).toContain(':***@');
  });

  it('the --output file', () => {
    const text = readFileSync(join(dir, 'out.json'), 'utf8');
    expect(text).not.toContain(PASSWORD);
    expect(text).toContain(':***@');
  });

  it.each([
    ['a wrong password', (port: number) => `redis://:${PASSWORD}x@127.0.0.1:${port}`, 3],
    ['an unreachable server', (port: number) => `redis://app:${PASSWORD}@127.0.0.1:${port + 1}`, 3],
    ['a bad database', (port: number) => `redis://:${PASSWORD}@127.0.0.1:${port}/nope`, 2],
    ['a bad scheme', (port: number) => `http://:${PASSWORD}@127.0.0.1:${port}`, 2],
  ])('error messages (%s)', async (_name, url, exitCode) => {
    const port = _name === 'an unreachable server' ? (await findFreePort()) - 1 : redis.port;
    const run = await runCli(['bench', '--url', url(port), '--requests', '10']);
    expect(run.exitCode).toBe(exitCode);
    expect(run.stderr).not.toContain(PASSWORD);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('REDIS_URL', async () => {
    const run = await runCli(['bench', '--requests', '50', '--strategy', 'multiplexed', '--warmup', '0', '--json'], {
      env: { REDIS_URL: redis.url },
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });
});
