import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../../src/redis/lifeline.js';
import { plainPingReply } from '../../src/redis/resp-probe.js';
import { childPids, commandLine, commandName, isRunning, waitFor } from '../helpers/processes.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { runCli, startCli, writtenDocument, type CliRun } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const TLS_AUTH = fileURLToPath(new URL('../../scenarios/tls-auth.yaml', import.meta.url));
const HEAD = ['name: t', 'workload:', '  commands:', '    - { command: get, weight: 1 }'];

/** A scenario file whose `target` is the given YAML flow mapping. */
function scenarioWithTarget(target: string): string {
  const file = join(tempDir('scenario'), 'target.yaml');
  writeFileSync(file, [...HEAD, `target: ${target}`, ''].join('\n'));
  return file;
}

/** The tool's throwaway folders go to a folder of the test's own, to check that the tool removes them. */
function benchWithoutUrl(args: string[], tmp: string, env: NodeJS.ProcessEnv = {}) {
  return startCli(['bench', ...args], { env: { REDIS_URL: undefined, TMPDIR: tmp, ...env } });
}

function oneLine(run: CliRun): string {
  expect(run.stdout).toBe('');
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  return run.stderr.trim();
}

let plain: TestRedis;
let probe: Redis;
/** Connections the plain server has accepted: a refused run must not add any. */
const connectionsReceived = async (): Promise<number> =>
  Number(/total_connections_received:(\d+)/.exec(await probe.info('stats'))![1]);

beforeAll(async () => {
  plain = await startRedis();
  probe = plain.client();
  await probe.ping();
});
afterAll(async () => {
  await plain?.stop();
});

describe("a scenario's target, without a URL: a throwaway server made to match", () => {
  it('tls-auth.yaml measures a TLS-only server as the ACL user app-user, then removes the server and its folder', async () => {
    const tmp = tempDir('tmp');
    const cli = benchWithoutUrl(['--scenario', TLS_AUTH, '--duration', '1500ms', '--warmup', '0', '--json'], tmp);
    // Once it is up, redis-server shows "redis-server 127.0.0.1:<port>" as its command line.
    const listening = (pid: number): number | null =>
      Number(/^redis-server 127\.0\.0\.1:(\d+)$/.exec(commandLine(pid))?.[1] ?? 0) || null;
    const serverPid = await waitFor(
      () =>
        childPids(cli.child.pid!).find((pid) => commandName(pid) === 'redis-server' && listening(pid) !== null) ?? null,
      20_000,
    );
    expect(serverPid).not.toBeNull();
    const port = listening(serverPid!)!;
    const serverDir = join(tmp, readdirSync(tmp)[0]!);

    // While it runs: the port speaks TLS only, an anonymous TLS connection is refused, and app-user is the only user.
    expect(await plainPingReply('127.0.0.1', port, 1000)).toBeNull();
    // RESP2: a plain command, not ioredis 6's HELLO 3, is what the server must refuse.
    const anonymous = new Redis({
      host: '127.0.0.1',
      port,
      protocol: 2,
      tls: { ca: readFileSync(join(serverDir, 'ca.pem')) },
      lazyConnect: true,
      enableReadyCheck: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      await anonymous.connect();
      await expect(anonymous.ping()).rejects.toThrow(/NOAUTH/);
    } finally {
      anonymous.disconnect();
    }
    const users = readFileSync(join(serverDir, 'users.acl'), 'utf8');
    expect(users).toMatch(/^user default off$/m);
    // The password exists in the tool's memory only: the file holds its SHA-256.
    expect(users).toMatch(/^user app-user on #[0-9a-f]{64} ~\* \+@all$/m);

    const run = await cli.done;
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const result = writtenDocument(run.stdout, 'bench');
    expect(result.target).toMatchObject({
      url: `rediss://app-user:***@127.0.0.1:${port}/0`,
      mode: 'ephemeral',
      tls: true,
    });
    expect(result.config.scenario?.target).toEqual({ tls: true, user: 'app-user' });
    expect(result.results.map((r) => r.strategy)).toEqual(['per-request', 'pooled', 'multiplexed']);
    for (const r of result.results) {
      expect(r.requests, r.label).toBeGreaterThan(0);
      expect(r.errors, r.label).toBe(0);
    }
    expect(await waitFor(() => (isRunning(serverPid!) ? null : true), 5000)).toBe(true);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('an ACL user without TLS, in a database beyond the default 16', async () => {
    const tmp = tempDir('tmp');
    const scenario = scenarioWithTarget('{ tls: false, user: report-reader, db: 20 }');
    const run = await benchWithoutUrl(
      ['--scenario', scenario, '--strategy', 'pooled', '--requests', '100', '--warmup', '0', '--json'],
      tmp,
    ).done;
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const result = writtenDocument(run.stdout, 'bench');
    expect(result.target.url).toMatch(/^redis:\/\/report-reader:\*\*\*@127\.0\.0\.1:\d+\/20$/);
    expect(result.target.tls).toBe(false);
    expect(result.results[0]!.errors).toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('refuses in one line (exit 3) when it cannot make a TLS server: no openssl on PATH', async () => {
    const tmp = tempDir('tmp');
    const bin = tempDir('bin');
    const redisServer = findOnPath('redis-server');
    expect(redisServer).not.toBeNull();
    symlinkSync(redisServer!, join(bin, 'redis-server'));
    const line = oneLine(await benchWithoutUrl(['--scenario', TLS_AUTH, '--requests', '10'], tmp, { PATH: bin }).done);
    expect(line).toMatch(
      new RegExp(
        /^redis-pool: .*tls-auth\.yaml:\d+:\d+: target\.tls asks for TLS \(rediss:\/\/\), which the throwaway server cannot /
          .source +
          /give: openssl is not on PATH .*; this scenario needs a URL such as rediss:\/\/app-user:PASSWORD@HOST:6379\/0$/
            .source,
      ),
    );
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('refuses the throwaway cluster (exit 2), which cannot be made to match', async () => {
    const tmp = tempDir('tmp');
    const run = await benchWithoutUrl(['--scenario', TLS_AUTH, '--cluster'], tmp).done;
    expect(run.exitCode).toBe(2);
    expect(oneLine(run)).toMatch(
      /target\.tls asks for TLS .* and target\.user for the ACL user app-user, which the throwaway cluster \(--cluster without a URL\) cannot give/,
    );
    expect(readdirSync(tmp)).toEqual([]);
  });
});

describe("a scenario's target, with a URL: the URL must meet it", () => {
  it('refuses a plain --url for tls-auth.yaml in one line, exit 2, before connecting', async () => {
    const before = await connectionsReceived();
    const run = await runCli(['bench', '--scenario', TLS_AUTH, '--url', plain.url, '--requests', '10']);
    expect(run.exitCode).toBe(2);
    expect(oneLine(run)).toMatch(
      new RegExp(
        `^redis-pool: .*tls-auth\\.yaml:\\d+:\\d+: target\\.tls asks for TLS \\(rediss://\\) and target\\.user for the ACL user app-user, ` +
          `but --url is redis://127\\.0\\.0\\.1:${plain.port}/0: this scenario needs a URL such as rediss://app-user:PASSWORD@127\\.0\\.0\\.1:${plain.port}/0 `,
      ),
    );
    expect(await connectionsReceived()).toBe(before);
  });

  it('names the unmet fields where they are written and the URL they need, never the password (REDIS_URL)', async () => {
    const scenario = scenarioWithTarget('{ user: app-user, db: 3 }');
    const before = await connectionsReceived();
    const url = `redis://bob:Secret-pw-77@127.0.0.1:${plain.port}/0`;
    const run = await runCli(['bench', '--scenario', scenario, '--requests', '10'], { env: { REDIS_URL: url } });
    expect(run.exitCode).toBe(2);
    expect(oneLine(run)).toBe(
      `redis-pool: ${scenario}:5:17: target.user asks for the ACL user app-user and target.db for database 3, but REDIS_URL is ` +
        `redis://bob:***@127.0.0.1:${plain.port}/0: this scenario needs a URL such as redis://app-user:PASSWORD@127.0.0.1:${plain.port}/3 ` +
        '(or none, for a throwaway server made to match)',
    );
    expect(run.stderr).not.toContain('Secret-pw-77');
    expect(await connectionsReceived()).toBe(before);
  });

  it('runs against a URL that meets the target', async () => {
    const scenario = scenarioWithTarget('{ tls: false, db: 3 }');
    const run = await runCli([
      'bench',
      '--scenario',
      scenario,
      '--url',
      `${plain.url}/3`,
      '--strategy',
      'pooled',
      '--requests',
      '50',
      '--warmup',
      '0',
      '--json',
    ]);
    expect(run.exitCode).toBe(0);
    const result = writtenDocument(run.stdout, 'bench');
    expect(result.target.url).toBe(`redis://127.0.0.1:${plain.port}/3`);
    expect(result.config.scenario?.target).toEqual({ tls: false, db: 3 });
  });

  it('refuses target.db other than 0 with --cluster, whatever the URL: a cluster has database 0 only', async () => {
    const scenario = scenarioWithTarget('{ db: 3 }');
    const run = await runCli(['bench', '--scenario', scenario, '--cluster', '--url', `${plain.url}/3`]);
    expect(run.exitCode).toBe(2);
    expect(oneLine(run)).toMatch(
      /:5:\d+: target\.db asks for database 3, but --cluster runs against a Redis Cluster, which has only database 0/,
    );
  });
});
