import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { runCli } from '../helpers/run-cli.js';

// Far longer than the CLI is given to finish (the runCli timeout below): a tool that waited for it would be killed.
const CONNECT_TIMEOUT = '60000';
const WELL_BEFORE_THE_CONNECT_TIMEOUT_MS = 30_000;

function singleLine(run: {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}): string {
  expect(run.signal, 'the CLI was still waiting long before --connect-timeout').toBeNull();
  expect(run.exitCode, run.stderr).toBe(3);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('rediss:// to a port that speaks plain RESP', () => {
  let plain: TestRedis;
  let protectedPlain: TestRedis;

  beforeAll(async () => {
    plain = await startRedis();
    protectedPlain = await startRedis({ args: ['--requirepass', 'plain-Pw-0x'] });
  });
  afterAll(async () => {
    await plain?.stop();
    await protectedPlain?.stop();
  });

  it.each([
    ['bench', ['--requests', '10', '--warmup', '0']],
    ['anatomy', ['--samples', '2']],
  ])('%s says so and exits 3 well before --connect-timeout', async (command, extra) => {
    const run = await runCli(
      [command, '--url', `rediss://127.0.0.1:${plain.port}`, '--connect-timeout', CONNECT_TIMEOUT, ...extra],
      { timeoutMs: WELL_BEFORE_THE_CONNECT_TIMEOUT_MS },
    );
    expect(singleLine(run)).toBe(
      `redis-pool: cannot use rediss://127.0.0.1:${plain.port}/0: ` +
        `no TLS answer on a port that speaks plain RESP: use redis:// (or the server's TLS port) instead of rediss://`,
    );
  });

  it('also when that server wants a password (it answers the plain PING with -NOAUTH)', async () => {
    const run = await runCli(
      [
        'bench',
        '--url',
        `rediss://:plain-Pw-0x@127.0.0.1:${protectedPlain.port}`,
        '--connect-timeout',
        CONNECT_TIMEOUT,
        '--requests',
        '10',
      ],
      { timeoutMs: WELL_BEFORE_THE_CONNECT_TIMEOUT_MS },
    );
    const line = singleLine(run);
    expect(line).toMatch(/no TLS answer on a port that speaks plain RESP: use redis:\/\//);
    expect(line).not.toContain('plain-Pw-0x');
  });
});
