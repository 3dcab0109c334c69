import { execFileSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { plainPingReply } from '../../src/redis/resp-probe.js';
import { childPids, commandLine, commandName, isRunning, waitFor, workingFolder } from '../helpers/processes.js';
import { startCli, type RunningCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A PATH with redis-server on it and nothing else (no setpriv): the watchdog fallback, as on macOS. */
function pathWithoutSetpriv(): string {
  const dir = tempDir('path');
  symlinkSync(execFileSync('sh', ['-c', 'command -v redis-server']).toString().trim(), join(dir, 'redis-server'));
  return dir;
}

interface Server {
  pid: number;
  port: number;
  /** Its temporary folder, which it works in. */
  folder: string;
}

/** The tool's redis-server once it answers PING, other than `not` (the one before a restart). */
async function serverOf(tool: RunningCli, not?: number): Promise<Server> {
  const server = await waitFor(async () => {
    const pid = childPids(tool.child.pid!).find(
      (child) => child !== not && commandName(child) === 'redis-server' && isRunning(child),
    );
    const port = pid !== undefined ? Number(/:(\d+)/.exec(commandLine(pid))?.[1] ?? 0) : 0;
    if (pid === undefined || port === 0) return null;
    const folder = pid !== undefined ? workingFolder(pid) : null;
    if (pid === undefined || port === 0 || folder === null) return null;
    return (await plainPingReply('127.0.0.1', port, 500)) === '+PONG' ? { pid, port, folder } : null;
  }, 20_000);
  expect(server, `no redis-server under the tool; stderr: ${tool.stderr()}`).not.toBeNull();
  return server!;
}

/**
 * After the tool is killed: the server and every helper process of it gone (the janitor included), nothing
 * listening on its port, and its temporary folder removed.
 */
async function expectAllGone(pids: number[], server: Server): Promise<void> {
  const gone = await waitFor(() => (pids.every((pid) => !isRunning(pid)) ? true : null), 5000);
  expect(gone, `still running: ${pids.filter(isRunning).join(', ')}`).toBe(true);
  expect(await plainPingReply('127.0.0.1', server.port, 500)).toBeNull();
  expect(await waitFor(() => (existsSync(server.folder) ? null : true), 5000), `${server.folder} is still there`).toBe(
    true,
  );
}

describe.runIf(process.platform === 'linux')(
  'the throwaway redis-server and its folder do not outlive a tool killed with SIGKILL',
  () => {
    let tool: RunningCli | undefined;

    afterEach(async () => {
      tool?.child.kill('SIGKILL');
      await tool?.done;
      tool = undefined;
    });

    const LONG_RUN = ['bench', '--strategy', 'pooled', '--duration', '60s', '--warmup', '0', '--concurrency', '2'];

    it.each([
      ['setpriv --pdeathsig', {}],
      ['the watchdog, where setpriv is missing', { PATH: pathWithoutSetpriv() }],
    ])('through %s', async (_how, env) => {
      tool = startCli(LONG_RUN, { env: { ...env, REDIS_URL: undefined } });
      const server = await serverOf(tool);
      const helpers = childPids(tool.child.pid!).filter((pid) => pid !== server.pid);
      // The janitor of its folder, and the watchdog where setpriv is missing.
      expect(helpers.map(commandName)).toEqual('PATH' in env ? ['node', 'node'] : ['node']);

      tool.child.kill('SIGKILL');
      await tool.done;
      await expectAllGone([server.pid, ...helpers], server);
    });

    it('also after the restart fault started a new one', async () => {
      tool = startCli([...LONG_RUN, '--fault', 'restart@500ms'], { env: { REDIS_URL: undefined } });
      const first = await serverOf(tool);
      const restarted = await serverOf(tool, first.pid);
      expect(restarted.port).toBe(first.port);

      tool.child.kill('SIGKILL');
      await tool.done;
      await expectAllGone([restarted.pid], restarted);
    });
  },
);
