import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/redis/free-port.js';
import { childPids, commandLine, commandName, waitFor } from '../helpers/processes.js';
import { getsServed } from '../helpers/redis-server.js';
import { runCli, startCli, writtenDocument } from '../helpers/run-cli.js';

const refuses = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

describe('bench targets', () => {
  it('starts a throwaway redis-server when no URL is given, and stops it', async () => {
    const run = await runCli(['bench', '--warmup', '0', '--requests', '100', '--concurrency', '2', '--json'], {
      env: { REDIS_URL: undefined },
    });
    expect(run.exitCode).toBe(0);
    const result = writtenDocument(run.stdout, 'bench');
    expect(result.target.mode).toBe('ephemeral');
    const port = Number(/:(\d+)\/0$/.exec(result.target.url)![1]);
    expect(await refuses(port)).toBe(true);
    const leftovers = execFileSync('ps', ['-eo', 'args'])
      .toString()
      .split('\n')
      .filter((line) => line.includes(`redis-server 127.0.0.1:${port}`));
    expect(leftovers).toEqual([]);
  });

  it('exits 3 with one line when the target is unreachable', async () => {
    const port = await findFreePort();
    const run = await runCli(['bench', '--url', `redis://127.0.0.1:${port}`, '--requests', '10']);
    expect(run.exitCode).toBe(3);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/connection refused/);
    expect(run.stdout).toBe('');
  });

  it('exits 3 and says how to install redis-server when it is not on PATH', async () => {
    const run = await runCli(['bench', '--requests', '10'], { env: { PATH: '/nonexistent', REDIS_URL: undefined } });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/redis-server not found on PATH.*apt-get install redis-server.*--url/);
  });

  it.each([
    [['--concurrency', '0'], /--concurrency must be a whole number/],
    [['--requests', '1.5'], /--requests must be a whole number/],
    [['--duration', 'soon'], /--duration must be a duration/],
    [['--duration', '0s'], /--duration must be/],
    [['--warmup', '-1'], /--warmup must be a duration/],
    [['--strategy', 'pooled,bogus'], /--strategy must be a comma-separated list/],
    [['--command', 'del'], /--command must be one of get, set, mix/],
    [['--pool-size', '2', '--min-idle', '3'], /--min-idle \(3\) must not exceed --pool-size \(2\)/],
    [['--requests', '10', '--duration', '1s'], /not both/],
    [['--url', 'http://127.0.0.1:6379'], /redis:\/\/ or rediss:\/\//],
    [['--url', 'redis://127.0.0.1:6379/abc'], /database must be a whole number/],
    [
      ['--output', '/nonexistent-dir/x.json'],
      /--output \/nonexistent-dir\/x\.json: the folder \/nonexistent-dir does not exist/,
    ],
  ])('exits 2 before connecting for %j', async (args, message) => {
    const run = await runCli(['bench', ...args], { env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });
});

describe('interrupting a run', () => {
  it('stops on SIGINT, writes the partial result, stops the throwaway server and exits 130', async () => {
    const running = startCli(['bench', '--duration', '60s', '--warmup', '0', '--concurrency', '4', '--json'], {
      env: { REDIS_URL: undefined },
    });
    // Interrupt once the first strategy is under way: its throwaway server has served requests (on a busy machine
    // the start alone can take seconds, so no fixed delay).
    const served = await waitFor(async () => {
      const pid = childPids(running.child.pid!).find((child) => commandName(child) === 'redis-server');
      const port = pid !== undefined ? Number(/:(\d+)/.exec(commandLine(pid))?.[1] ?? 0) : 0;
      return port === 0 ? null : getsServed(port, 100);
    }, 30_000);
    expect(served).not.toBeNull();
    running.child.kill('SIGINT');
    const run = await running.done;
    expect(run.exitCode).toBe(130);
    const result = writtenDocument(run.stdout, 'bench');
    expect(result.interrupted).toBe(true);
    expect(result.results.length).toBeGreaterThanOrEqual(1);
    expect(result.results[0]!.requests).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/stopping/);
    expect(run.stderr).toMatch(/interrupted: partial results written/);
    const port = Number(/:(\d+)\/0$/.exec(result.target.url)![1]);
    expect(await refuses(port)).toBe(true);
  });
});

describe('SIGTERM', () => {
  it('stops like SIGINT: partial result, exit 130', async () => {
    const running = startCli(
      ['bench', '--duration', '60s', '--warmup', '0', '--concurrency', '2', '--strategy', 'pooled', '--json'],
      { env: { REDIS_URL: undefined } },
    );
    await new Promise((resolve) => setTimeout(resolve, 2000));
    running.child.kill('SIGTERM');
    const run = await running.done;
    expect(run.exitCode).toBe(130);
    expect(writtenDocument(run.stdout, 'bench').interrupted).toBe(true);
  });
});
