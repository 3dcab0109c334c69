import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { runCli, writtenDocument } from '../helpers/run-cli.js';
import { makeCertificates, type TestCertificates } from '../helpers/tls.js';
import { tempDir } from '../helpers/temp-dir.js';

const ACL_PASSWORD = 'acl-Pw-93kq-bench';

describe('bench over TLS', () => {
  let redis: TestRedis;
  let certs: TestCertificates;

  beforeAll(async () => {
    certs = await makeCertificates(tempDir('tls'));
    redis = await startRedis({ tls: { certFile: certs.certFile, keyFile: certs.keyFile, caFile: certs.caFile } });
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('runs every strategy over rediss:// with the CA given, the handshake in the per-request socket phase', async () => {
    const url = `rediss://127.0.0.1:${redis.port}`;
    const run = await runCli([
      'bench',
      '--url',
      url,
      '--tls-ca',
      certs.caFile,
      '--requests',
      '200',
      '--concurrency',
      '4',
      '--warmup',
      '0',
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const result = writtenDocument(run.stdout, 'bench');
    expect(result.target.tls).toBe(true);
    for (const r of result.results) expect(r.errors, r.label).toBe(0);
    const perRequest = result.results[0]!;
    expect(perRequest.connections.serverAccepted).toBeGreaterThanOrEqual(200);
    expect(perRequest.connectPhases!.socket.count).toBeGreaterThanOrEqual(200);
  });

  it('exits 3 when the certificate is not trusted, and works with --tls-insecure', async () => {
    const url = `rediss://127.0.0.1:${redis.port}`;
    const untrusted = await runCli(['bench', '--url', url, '--requests', '10']);
    expect(untrusted.exitCode).toBe(3);
    expect(untrusted.stderr.trim().split('\n')).toHaveLength(1);
    expect(untrusted.stderr).toMatch(
      /TLS handshake failed: the server's certificate is not trusted \(.*\); pass its CA with --tls-ca, or skip the check with --tls-insecure/,
    );
    const insecure = await runCli([
      'bench',
      '--url',
      url,
      '--tls-insecure',
      '--requests',
      '50',
      '--strategy',
      'pooled',
      '--warmup',
      '0',
    ]);
    expect(insecure.exitCode).toBe(0);
  });

  it('observe reads the server over rediss:// too, and an untrusted certificate exits 3 in one line', async () => {
    const url = `rediss://127.0.0.1:${redis.port}`;
    const run = await runCli([
      'observe',
      '--url',
      url,
      '--tls-ca',
      certs.caFile,
      '-d',
      '1s',
      '--interval',
      '500ms',
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      schema: 'redis-pool.observe/v1',
      samples: 3,
      target: { url: `rediss://127.0.0.1:${redis.port}/0` },
    });
    const untrusted = await runCli(['observe', '--url', url, '-d', '1s', '--interval', '500ms']);
    expect(untrusted.exitCode).toBe(3);
    expect(untrusted.stderr.trim().split('\n')).toHaveLength(1);
    expect(untrusted.stderr).toMatch(/certificate is not trusted/);
  });

  it('refuses unreadable certificate files and a certificate without its key', async () => {
    const url = `rediss://127.0.0.1:${redis.port}`;
    expect((await runCli(['bench', '--url', url, '--tls-ca', '/nonexistent/ca.pem'])).exitCode).toBe(2);
    const halfPair = await runCli(['bench', '--url', url, '--tls-cert', certs.clientCertFile]);
    expect(halfPair.exitCode).toBe(2);
    expect(halfPair.stderr).toMatch(/--tls-cert and --tls-key go together/);
  });
});

describe('bench with an ACL user and a database other than 0', () => {
  let redis: TestRedis;

  beforeAll(async () => {
    redis = await startRedis({
      args: ['--user', 'default', 'off', '--user', 'alice', 'on', `>${ACL_PASSWORD}`, '~*', '+@all'],
    });
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('authenticates as the user, selects the database, writes only there, and never prints the password', async () => {
    const url = `redis://alice:${ACL_PASSWORD}@127.0.0.1:${redis.port}/3`;
    const run = await runCli([
      'bench',
      '--url',
      url,
      '--requests',
      '200',
      '--concurrency',
      '4',
      '--warmup',
      '0',
      '--json',
      '--keyspace',
      '100',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(ACL_PASSWORD);
    const result = writtenDocument(run.stdout, 'bench');
    expect(result.target.url).toBe(`redis://alice:***@127.0.0.1:${redis.port}/3`);
    for (const r of result.results) expect(r.errors, r.label).toBe(0);
    // The keys were written to db 3 (the run's keys show in its keyspace stats) and cleaned up afterwards.
    const probe = new Redis({ port: redis.port, username: 'alice', password: ACL_PASSWORD, db: 3 });
    try {
      expect(await probe.keys('*')).toEqual([]);
      expect(await probe.info('stats')).toMatch(/keyspace_hits:[1-9]/);
    } finally {
      await probe.quit();
    }
  });

  it('exits 3 for the right password without the user name', async () => {
    const run = await runCli([
      'bench',
      '--url',
      `redis://:${ACL_PASSWORD}@127.0.0.1:${redis.port}`,
      '--requests',
      '10',
    ]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/authentication refused/);
    expect(run.stderr).not.toContain(ACL_PASSWORD);
  });
});
