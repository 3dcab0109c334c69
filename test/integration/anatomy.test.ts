import { createServer, type Server, type Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/redis/free-port.js';
import { parseInfo } from '../../src/redis/info.js';
import type { AnatomyPhaseName, AnatomyResult } from '../../src/schema/anatomy.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { runCli, type CliRun } from '../helpers/run-cli.js';
import { makeCertificates, type TestCertificates } from '../helpers/tls.js';
import { expectedServer } from '../helpers/server-binary.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Passwords that cannot appear in any output by accident. */
const PASSWORD = 'Sekr1t-anatomy-never-print';
const ACL_PASSWORD = 'pw-xyz';

/** The CLI with REDIS_URL cleared unless the test sets it, so the developer's environment cannot leak in. */
function anatomy(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runCli(['anatomy', ...args], { env: { REDIS_URL: undefined, ...env } });
}

/** The one JSON document on stdout (JSON.parse fails on anything else there). */
function parseResult(run: CliRun): AnatomyResult {
  expect(run.exitCode, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as AnatomyResult;
}

/** Phase names that ran, in order; every one measured once per connection. */
function measuredPhases(result: AnatomyResult): AnatomyPhaseName[] {
  const measured = result.phases.filter((p) => !p.skipped);
  for (const p of measured) expect(p.latency?.count, p.phase).toBe(result.samples);
  return measured.map((p) => p.phase);
}

/** A target error: exit 3 and exactly one line on stderr, which is returned. */
function targetError(run: CliRun): string {
  expect(run.exitCode, run.stderr).toBe(3);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

async function serverCounters(client: Redis): Promise<{ accepted: number; clients: number }> {
  const info = parseInfo(await client.info());
  return { accepted: Number(info.get('total_connections_received')), clients: Number(info.get('connected_clients')) };
}

describe('a throwaway server (no --url, no REDIS_URL)', () => {
  it('measures TCP, the ready check and the first command, and skips the rest', async () => {
    const result = parseResult(await anatomy(['--samples', '5', '--json']));
    expect(result).toMatchObject({
      schema: 'redis-pool.anatomy/v1',
      samples: 5,
      target: { mode: 'ephemeral', tls: false },
    });
    expect(result.target.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+\/0$/);
    expect(result.target.redisVersion).toMatch(/^\d+\.\d+\.\d+/);
    // The throwaway server is the program the tests run (valkey-server in the project valkey), named as it names itself.
    const { name, version } = expectedServer();
    expect(result.target.server).toEqual({ name, version });
    expect(result.phases.map((p) => p.phase)).toEqual([
      'dns',
      'tcp',
      'tls',
      'auth',
      'select',
      'ready-check',
      'first-command',
    ]);
    expect(measuredPhases(result)).toEqual(['tcp', 'ready-check', 'first-command']);
    expect(result.total.count).toBe(5);
    expect(result.openConnectionPing.count).toBe(5);
    expect(result.warnings.map((w) => w.code)).toEqual(['loopback-target']);
  });
});

describe('a plain server given with --url', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('opens exactly one new connection per sample, plus the one kept open, and closes them all', async () => {
    const monitor = redis.client();
    const before = await serverCounters(monitor);
    const result = parseResult(await anatomy(['--url', redis.url, '--samples', '7', '--json']));
    const after = await serverCounters(monitor);
    expect(result.target).toMatchObject({ url: `redis://127.0.0.1:${redis.port}/0`, mode: 'external' });
    expect(after.accepted - before.accepted).toBe(8);
    expect(after.clients).toBe(before.clients);
  });

  it('the phases add up to the total', async () => {
    const result = parseResult(await anatomy(['--url', redis.url, '--samples', '20', '--json']));
    const sumOfMeans = result.phases.reduce((sum, p) => sum + (p.latency?.mean ?? 0), 0);
    // Each phase is truncated to whole microseconds on its own: the sum can fall short by up to 1 µs per phase.
    expect(result.total.mean - sumOfMeans).toBeGreaterThanOrEqual(0);
    expect(result.total.mean - sumOfMeans).toBeLessThan(0.004);
    for (const p of result.phases) if (p.latency) expect(p.latency.p50).toBeLessThanOrEqual(result.total.max);
  });

  it('prints a table with one row per phase and the cost of a new connection', async () => {
    const run = await anatomy(['--url', redis.url, '--samples', '10']);
    expect(run.exitCode, run.stderr).toBe(0);
    // The server by its own name and version (Valkey 8.0.1, not the 7.2.4 it reports as redis_version).
    expect(run.stdout.split('\n')[0]).toBe(
      `${expectedServer().label} at redis://127.0.0.1:${redis.port}/0 (external): 10 connections opened one after another`,
    );
    for (const phase of ['tcp', 'ready-check', 'first-command', 'total'])
      expect(run.stdout).toMatch(new RegExp(`│ ${phase} +│ +[\\d.]+ ms │ +[\\d.]+ ms │ +[\\d.]+ ms │ +[\\d.]+ % │`));
    // What each phase is, with --details.
    const details = await anatomy(['--url', redis.url, '--samples', '10', '--details']);
    expect(details.stdout).toMatch(/│ tcp +│ TCP handshake: SYN, SYN-ACK, ACK +│ +[\d.]+ ms │/);
    expect(run.stdout).toMatch(/│ auth +│.*│ +skipped: no password │/);
    expect(run.stdout).toMatch(
      /Total p50 [\d.]+ ms: a new connection costs [\d.]+× a PING on an open one \([\d.]+ ms\)\./,
    );
    expect(run.stdout).not.toMatch(/\u001b\[/);
  });

  it('takes the server from REDIS_URL when there is no --url', async () => {
    const result = parseResult(await anatomy(['--samples', '2', '--json'], { REDIS_URL: redis.url }));
    expect(result.target).toMatchObject({ url: `redis://127.0.0.1:${redis.port}/0`, mode: 'external' });
  });

  it('resolves a host name: the DNS phase', async () => {
    const result = parseResult(await anatomy(['--url', `redis://localhost:${redis.port}`, '--samples', '3', '--json']));
    expect(measuredPhases(result)).toEqual(['dns', 'tcp', 'ready-check', 'first-command']);
  });
});

describe('a server with --requirepass', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis({ args: ['--requirepass', PASSWORD] });
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('times AUTH, and never prints the password', async () => {
    const json = await anatomy(['--url', redis.url, '--samples', '5', '--json']);
    const result = parseResult(json);
    expect(measuredPhases(result)).toEqual(['tcp', 'auth', 'ready-check', 'first-command']);
    expect(result.target.url).toBe(`redis://:***@127.0.0.1:${redis.port}/0`);
    const table = await anatomy(['--url', redis.url, '--samples', '3']);
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(/│ auth +│.*%/);
    for (const run of [json, table]) expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });

  it('a wrong password: exit 3, one line, no password', async () => {
    const wrong = `${PASSWORD}-wrong`;
    const line = targetError(await anatomy(['--url', `redis://:${wrong}@127.0.0.1:${redis.port}`]));
    expect(line).toMatch(
      /^redis-pool: cannot use redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0: authentication refused \(WRONGPASS/,
    );
    expect(line).not.toContain(PASSWORD);
  });

  it('no password: exit 3, saying one is needed', async () => {
    const line = targetError(await anatomy(['--url', `redis://127.0.0.1:${redis.port}`]));
    expect(line).toMatch(/requires a password \(NOAUTH/);
  });
});

describe('an ACL user and a database other than 0', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    // The default user is off, so only AUTH alice … gets in.
    redis = await startRedis({
      args: ['--user', 'default', 'off', '--user', 'alice', 'on', `>${ACL_PASSWORD}`, '~*', '+@all'],
    });
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const url = (credentials: string, db: number): string => `redis://${credentials}@127.0.0.1:${redis.port}/${db}`;

  it('times AUTH alice and SELECT', async () => {
    const result = parseResult(await anatomy(['--url', url(`alice:${ACL_PASSWORD}`, 3), '--samples', '5', '--json']));
    expect(measuredPhases(result)).toEqual(['tcp', 'auth', 'select', 'ready-check', 'first-command']);
    expect(result.target.url).toBe(`redis://alice:***@127.0.0.1:${redis.port}/3`);
  });

  it('sends the user name: the same password without it is refused', async () => {
    const line = targetError(await anatomy(['--url', url(`:${ACL_PASSWORD}`, 3)]));
    expect(line).toMatch(/authentication refused/);
  });

  it('a wrong password or database: exit 3', async () => {
    expect(targetError(await anatomy(['--url', url('alice:nope', 0)]))).toMatch(/authentication refused/);
    expect(targetError(await anatomy(['--url', url(`alice:${ACL_PASSWORD}`, 99)]))).toMatch(
      /SELECT 99 refused \(ERR DB index is out of range\)/,
    );
  });
});

describe('TLS', () => {
  const dir = tempDir('anatomy-tls');
  let certs: TestCertificates;
  let redis: TestRedis;
  let mutual: TestRedis;
  beforeAll(async () => {
    certs = await makeCertificates(dir);
    const tls = { certFile: certs.certFile, keyFile: certs.keyFile, caFile: certs.caFile };
    [redis, mutual] = await Promise.all([
      startRedis({ tls }),
      startRedis({ tls: { ...tls, requireClientCert: true } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([redis?.stop(), mutual?.stop()]);
  });

  it('times the TLS handshake when the CA is given', async () => {
    const result = parseResult(
      await anatomy([
        '--url',
        `rediss://127.0.0.1:${redis.port}`,
        '--tls-ca',
        certs.caFile,
        '--samples',
        '5',
        '--json',
      ]),
    );
    expect(measuredPhases(result)).toEqual(['tcp', 'tls', 'ready-check', 'first-command']);
    expect(result.target).toMatchObject({ url: `rediss://127.0.0.1:${redis.port}/0`, tls: true });
  });

  it('checks the certificate against a host name too', async () => {
    const result = parseResult(
      await anatomy([
        '--url',
        `rediss://localhost:${redis.port}`,
        '--tls-ca',
        certs.caFile,
        '--samples',
        '2',
        '--json',
      ]),
    );
    expect(measuredPhases(result)).toEqual(['dns', 'tcp', 'tls', 'ready-check', 'first-command']);
  });

  it('an untrusted certificate: exit 3; --tls-insecure skips the check', async () => {
    const line = targetError(await anatomy(['--url', `rediss://127.0.0.1:${redis.port}`, '--samples', '2']));
    expect(line).toMatch(/TLS handshake failed: the server's certificate is not trusted .*--tls-ca/);
    const insecure = parseResult(
      await anatomy(['--url', `rediss://127.0.0.1:${redis.port}`, '--tls-insecure', '--samples', '2', '--json']),
    );
    expect(measuredPhases(insecure)).toContain('tls');
  });

  it('a client certificate, when the server requires one', async () => {
    const url = `rediss://127.0.0.1:${mutual.port}`;
    const withCert = await anatomy([
      '--url',
      url,
      '--tls-ca',
      certs.caFile,
      '--tls-cert',
      certs.clientCertFile,
      '--tls-key',
      certs.clientKeyFile,
      '--samples',
      '2',
      '--json',
    ]);
    expect(measuredPhases(parseResult(withCert))).toContain('tls');
    expect(targetError(await anatomy(['--url', url, '--tls-ca', certs.caFile, '--samples', '2']))).toMatch(
      /the server requires a client certificate \(.*\); pass it with --tls-cert and --tls-key$/,
    );
  });

  it('redis:// to a TLS port: exit 3', async () => {
    expect(
      targetError(await anatomy(['--url', `redis://127.0.0.1:${redis.port}`, '--connect-timeout', '3000'])),
    ).toMatch(/cannot use redis:\/\/127\.0\.0\.1/);
  });
});

describe('targets that cannot be used', () => {
  let silent: Server;
  let http: Server;
  const accepted: Socket[] = [];
  /** A TCP server whose connections are all tracked, so that closing it does not wait for them. */
  const listen = async (onConnection: (socket: Socket) => void): Promise<Server> => {
    const server = createServer((socket) => {
      accepted.push(socket);
      socket.on('error', () => {});
      onConnection(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server;
  };
  beforeAll(async () => {
    silent = await listen(() => {});
    http = await listen((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
  });
  afterAll(async () => {
    for (const socket of accepted) socket.destroy();
    await Promise.all([silent, http].map((server) => new Promise((resolve) => server?.close(resolve))));
  });
  const portOf = (server: Server): number => (server.address() as { port: number }).port;

  it('nothing listening: exit 3, and the password stays hidden', async () => {
    const port = await findFreePort();
    const line = targetError(await anatomy(['--url', `redis://app:${PASSWORD}@127.0.0.1:${port}`]));
    expect(line).toBe(
      `redis-pool: cannot use redis://app:***@127.0.0.1:${port}/0: connection refused; is redis-server running there? check --url`,
    );
  });

  it('a server that never answers: exit 3 after --connect-timeout', async () => {
    const line = targetError(
      await anatomy(['--url', `redis://127.0.0.1:${portOf(silent)}`, '--connect-timeout', '300']),
    );
    expect(line).toMatch(/no answer within 300 ms during the ready check \(INFO\)/);
  });

  it('something that is not Redis: exit 3', async () => {
    const line = targetError(await anatomy(['--url', `redis://127.0.0.1:${portOf(http)}`]));
    expect(line).toMatch(/not a RESP2 reply/);
  });
});

describe('flags are checked before anything runs', () => {
  it.each([
    [['--samples', '0'], /--samples must be a whole number from 1 to 10000 \(got "0"\)/],
    [['--samples', '10001'], /--samples must be a whole number from 1 to 10000/],
    [['--samples', '2.5'], /--samples must be a whole number/],
    [['--samples', 'abc'], /--samples must be a whole number/],
    [
      ['--connect-timeout', '0'],
      /--connect-timeout must be a duration such as 500ms, 5s or 1.5m, or a bare number of milliseconds, from 1ms/,
    ],
    [['--url', 'http://localhost:6379'], /redis:\/\/ or rediss:\/\/ scheme/],
    [['--url', 'redis://127.0.0.1:1', '--tls-ca', 'ca.pem'], /need a rediss:\/\/ URL/],
    [['--tls-insecure'], /need a rediss:\/\/ URL/],
    [['--url', 'rediss://127.0.0.1:1', '--tls-cert', 'c.pem'], /--tls-cert and --tls-key go together/],
    [
      ['--url', 'rediss://127.0.0.1:1', '--tls-ca', '/nonexistent/ca.pem'],
      /--tls-ca \/nonexistent\/ca\.pem: cannot read it/,
    ],
    [['--sample', '3'], /unknown option '--sample'/],
  ])('%j', async (args, message) => {
    const run = await anatomy(args);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')[0]).toMatch(message);
  });
});
