import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObserveResult } from '../../src/schema/observe.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { runCliWithTtyStderr } from '../helpers/pty.js';
import { runCli, startCli, writtenDocument } from '../helpers/run-cli.js';

const GROUP_SCRIPT = fileURLToPath(new URL('../helpers/client-group.mjs', import.meta.url));
const PASSWORD = 'observe-s3cret-pw';

/** Once observe's connection has its name the sampling has started; 700 ms later, two samples of 500 ms are taken. */
async function afterTwoSamples(client: Redis): Promise<void> {
  for (let i = 0; i < 200 && !String(await client.call('CLIENT', 'LIST')).includes('redis-pool:observe'); i++)
    await new Promise((r) => setTimeout(r, 20));
  await new Promise((resolve) => setTimeout(resolve, 700));
}

async function startGroup(port: number, kind: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [GROUP_SCRIPT, String(port), kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout, 'data');
  return child;
}

describe('observe with ACL users that may do less', () => {
  let redis: TestRedis;
  const groups: ChildProcess[] = [];
  beforeAll(async () => {
    redis = await startRedis({
      args: [
        '--maxclients',
        '14',
        '--user',
        'watcher',
        'on',
        `>${PASSWORD}`,
        '+ping',
        '+info',
        '+client|list',
        '+config|get',
        '--user',
        'blind',
        'on',
        `>${PASSWORD}`,
        '+ping',
        '+info',
        '+config|get',
      ],
    });
    groups.push(await startGroup(redis.port, 'idle'), await startGroup(redis.port, 'busy'));
  }, 30_000);
  afterAll(async () => {
    for (const child of groups) child.kill('SIGTERM');
    await Promise.all(groups.filter((child) => child.exitCode === null).map((child) => once(child, 'exit')));
    await redis?.stop();
  });

  const observeAs = async (user: string): Promise<{ result: ObserveResult; stderr: string; stdout: string }> => {
    const run = await runCli([
      'observe',
      '--url',
      `redis://${user}:${PASSWORD}@127.0.0.1:${redis.port}`,
      '-d',
      '1500ms',
      '--interval',
      '500ms',
      '--json',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    return { result: writtenDocument(run.stdout, 'observe'), stderr: run.stderr, stdout: run.stdout };
  };

  it('+ping +info +client|list +config|get is enough: only its own name is missing, and it says so', async () => {
    const { result } = await observeAs('watcher');
    expect(result.access.filter((a) => !a.allowed).map((a) => a.rule)).toEqual(['+client|setname']);
    expect(result.warnings.map((w) => w.code)).toEqual(['observe-acl']);
    expect(result.warnings[0]!.remedy).toContain('+client|setname');
    expect(result.groups.map((g) => g.name).sort()).toEqual(['busy', 'idle']);
  }, 30_000);

  it('without client|list: one note with the rule, no groups, and the findings INFO alone gives', async () => {
    const { result } = await observeAs('blind');
    const refused = result.access.filter((a) => !a.allowed);
    expect(refused.map((a) => a.rule)).toEqual(['+client|setname', '+client|list']);
    const note = result.warnings.find((w) => w.message.includes('CLIENT LIST'))!;
    expect(note.message).toMatch(/the report lacks the client groups/);
    expect(note.remedy).toContain('ACL SETUSER <user> +client|list');
    expect(result.groups).toEqual([]);
    // 8 idle + 4 busy + observe itself, against maxclients 14: past 80 %.
    expect(result.server.findings.map((f) => f.kind)).toEqual(['maxclients-headroom']);
    expect(result.server.maxclients).toBe(14);
  }, 30_000);

  it('a user that may not run INFO cannot be observed at all: exit 3, with the rules to add', async () => {
    const client = redis.client();
    await client.call('ACL', 'SETUSER', 'mute', 'on', `>${PASSWORD}`, '+ping');
    const run = await runCli([
      'observe',
      '--url',
      `redis://mute:${PASSWORD}@127.0.0.1:${redis.port}`,
      '-d',
      '1s',
      '--interval',
      '500ms',
    ]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/the ACL refuses INFO.*allow \+info/);
    expect(run.stderr).not.toContain(PASSWORD);
  }, 30_000);
});

describe('what observe sends', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('sends nothing but PING, INFO, CLIENT LIST, CLIENT SETNAME and CONFIG GET maxclients: MONITOR and commandstats agree', async () => {
    const client = redis.client();
    const calls = async (): Promise<Map<string, number>> =>
      new Map(
        [...String(await client.call('INFO', 'commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [
          m[1]!,
          Number(m[2]),
        ]),
      );
    const monitor = new Redis({ port: redis.port, lazyConnect: true });
    await monitor.connect();
    const seen: string[][] = [];
    const feed = await monitor.monitor();
    feed.on('monitor', (_time: string, args: string[]) => seen.push(args));
    const before = await calls();
    const run = await runCli(['observe', '--url', redis.url, '-d', '1500ms', '--interval', '500ms', '--json']);
    expect(run.exitCode).toBe(0);
    const after = await calls();
    await new Promise((resolve) => setTimeout(resolve, 100));
    feed.disconnect();
    monitor.disconnect();
    // MONITOR leaves out admin commands (CLIENT LIST, CONFIG GET): what it shows is a subset of the list.
    const shown = new Set(
      seen.map((args) =>
        [args[0]!.toLowerCase(), ...(args[0]!.toLowerCase() === 'client' ? [String(args[1]).toLowerCase()] : [])].join(
          ' ',
        ),
      ),
    );
    for (const command of shown) expect(['client setname', 'info', 'ping']).toContain(command);
    // commandstats counts every call: those that grew are observe's, and the test's own two INFO commandstats.
    const grew = [...after]
      .filter(([name, n]) => n > (before.get(name) ?? 0))
      .map(([name]) => name)
      .sort();
    expect(grew).toEqual(['client|list', 'client|setname', 'config|get', 'info', 'ping']);
    const total = [...after].reduce((sum, [name, n]) => sum + n - (before.get(name) ?? 0), 0);
    // About two commands a sample: 4 samples of CLIENT LIST and INFO, the checks, two INFO commandstats, the test's INFO.
    expect(total).toBeLessThan(25);
  }, 30_000);

  it('stops on SIGINT with the samples it took: the partial report, exit 130', async () => {
    const client = redis.client();
    const run = startCli(['observe', '--url', redis.url, '-d', '60s', '--interval', '500ms', '--json']);
    await afterTwoSamples(client);
    run.child.kill('SIGINT');
    const done = await run.done;
    expect(done.exitCode).toBe(130);
    const result = writtenDocument(done.stdout, 'observe');
    expect(result.interrupted).toBe(true);
    expect(result.samples).toBeGreaterThanOrEqual(2);
    expect(result.samples).toBeLessThan(60 * 2);
  }, 30_000);

  it('shows its progress on stderr when it is a terminal, erases it at the end, and -q keeps it quiet', async () => {
    const shown = await runCliWithTtyStderr(['observe', '--url', redis.url, '-d', '1s', '--interval', '500ms']);
    expect(shown.exitCode).toBe(0);
    expect(shown.terminal).toContain('observe: sample 1/3');
    expect(shown.terminal).toContain('observe: sample 3/3');
    expect(shown.terminal).toContain('\x1b[K');
    expect(shown.stdout).toContain('Client groups');
    expect(shown.stdout).not.toContain('observe: sample');
    const quiet = await runCliWithTtyStderr(['observe', '--url', redis.url, '-d', '1s', '--interval', '500ms', '-q']);
    expect(quiet.terminal).not.toContain('observe: sample');
  }, 30_000);
  it('refuses a missing URL and an interval longer than the run before connecting: exit 2, one line', async () => {
    for (const args of [
      ['observe'],
      ['observe', '--url', redis.url, '-d', '1s', '--interval', '2s'],
      ['observe', '--url', redis.url, '--interval', '250ms'],
    ]) {
      const run = await runCli(args, { env: { REDIS_URL: undefined } });
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('observe when the server goes away', () => {
  it('writes the report of the samples it took, says so, and exits 3', async () => {
    const redis = await startRedis();
    const client = redis.client();
    const run = startCli(['observe', '--url', redis.url, '-d', '30s', '--interval', '500ms', '--json']);
    await afterTwoSamples(client);
    await redis.stop();
    const done = await run.done;
    expect(done.exitCode).toBe(3);
    expect(done.stderr.trim().split('\n')).toHaveLength(1);
    expect(done.stderr).toMatch(/the connection was lost after \d+ samples/);
    const result = writtenDocument(done.stdout, 'observe');
    expect(result.samples).toBeGreaterThanOrEqual(2);
    expect(result.warnings.map((w) => w.code)).toContain('observe-connection-lost');
  }, 30_000);
});
