import { execFileSync } from 'node:child_process';
import { mkdtempSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { plainPingReply } from '../../src/redis/resp-probe.js';
import { childPids, commandLine, commandName, isRunning, waitFor } from '../helpers/processes.js';
import { startCli, type RunningCli } from '../helpers/run-cli.js';

const leftovers: string[] = [];

/** A PATH with redis-server on it and nothing else (no setpriv): the watchdog fallback, as on macOS. */
function pathWithoutSetpriv(): string {
  const dir = mkdtempSync(join(tmpdir(), 'redis-pool-path-'));
  leftovers.push(dir);
  symlinkSync(execFileSync('sh', ['-c', 'command -v redis-server']).toString().trim(), join(dir, 'redis-server'));
  return dir;
}

interface Server {
  pid: number;
  port: number;
}

/** The tool's redis-server once it answers PING, other than `not` (the one before a restart). */
async function serverOf(tool: RunningCli, not?: number): Promise<Server> {
  const server = await waitFor(async () => {
    const pid = childPids(tool.child.pid!).find((child) => child !== not && commandName(child) === 'redis-server' && isRunning(child));
    const port = pid !== undefined ? Number(/:(\d+)/.exec(commandLine(pid))?.[1] ?? 0) : 0;
    if (pid === undefined || port === 0) return null;
    return (await plainPingReply('127.0.0.1', port, 500)) === '+PONG' ? { pid, port } : null;
  }, 20_000);
  expect(server, `no redis-server under the tool; stderr: ${tool.stderr()}`).not.toBeNull();
  // A killed tool cannot remove the server's (empty) temporary directory: the test does.
  leftovers.push(readlinkSync(`/proc/${server!.pid}/cwd`));
  return server!;
}

/** After the tool is killed: the server and any helper process of it gone, and nothing listening on its port. */
async function expectAllGone(pids: number[], port: number): Promise<void> {
  const gone = await waitFor(() => (pids.every((pid) => !isRunning(pid)) ? true : null), 5000);
  expect(gone, `still running: ${pids.filter(isRunning).join(', ')}`).toBe(true);
  expect(await plainPingReply('127.0.0.1', port, 500)).toBeNull();
}

describe.runIf(process.platform === 'linux')('the throwaway redis-server does not outlive a tool killed with SIGKILL', () => {
  let tool: RunningCli | undefined;

  afterEach(async () => {
    tool?.child.kill('SIGKILL');
    await tool?.done;
    tool = undefined;
  });
  afterAll(() => {
    for (const dir of leftovers) rmSync(dir, { recursive: true, force: true });
  });

  const LONG_RUN = ['bench', '--strategy', 'pooled', '--duration', '60s', '--warmup', '0', '--concurrency', '2'];

  it.each([
    ['setpriv --pdeathsig', {}],
    ['the watchdog, where setpriv is missing', { PATH: pathWithoutSetpriv() }],
  ])('through %s', async (_how, env) => {
    tool = startCli(LONG_RUN, { env: { ...env, REDIS_URL: undefined } });
    const server = await serverOf(tool);
    const helpers = childPids(tool.child.pid!).filter((pid) => pid !== server.pid);
    if ('PATH' in env) expect(helpers.map(commandName)).toContain('node');

    tool.child.kill('SIGKILL');
    await tool.done;
    await expectAllGone([server.pid, ...helpers], server.port);
  });

  it('also after the restart fault started a new one', async () => {
    tool = startCli([...LONG_RUN, '--fault', 'restart@500ms'], { env: { REDIS_URL: undefined } });
    const first = await serverOf(tool);
    const restarted = await serverOf(tool, first.pid);
    expect(restarted.port).toBe(first.port);

    tool.child.kill('SIGKILL');
    await tool.done;
    await expectAllGone([restarted.pid], restarted.port);
  });
});
