import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { runCli, writtenDocument } from '../helpers/run-cli.js';

const PASSWORD = 'maxc-Pw-5rt';

describe('a server at its maxclients limit', () => {
  let redis: TestRedis;
  let admin: Redis;

  beforeAll(async () => {
    redis = await startRedis({ args: ['--maxclients', '6'] });
    admin = redis.client();
    await admin.call('ACL', 'SETUSER', 'noconfig', 'on', `>${PASSWORD}`, '~*', '+@all', '-config');
  });
  afterAll(async () => {
    await redis?.stop();
  });

  /** A pool twice the size the server still has room for (6 minus the test's own client and the monitor), every worker back to back. */
  const overfull = (url: string): string[] => [
    'bench',
    '--url',
    url,
    '--strategy',
    'pooled',
    '--pool-size',
    '10',
    '--concurrency',
    '10',
    '--think',
    '0',
    '--requests',
    '400',
    '--warmup',
    '0',
    '--json',
  ];

  it('counts the refused connections and warns with the limit read from CONFIG GET maxclients', async () => {
    const run = await runCli(overfull(`redis://127.0.0.1:${redis.port}`));
    expect(run.exitCode, run.stderr).toBe(0);
    const result = writtenDocument(run.stdout, 'bench');
    const pooled = result.results[0]!;
    expect(pooled.connections.serverRejected).toBeGreaterThan(0);
    expect(pooled.errors).toBeGreaterThan(0);
    const warning = result.warnings.find((w) => w.code === 'maxclients-reached');
    expect(warning?.message).toMatch(
      /^pooled\(max=10\): the server refused [\d,]+ connections \("ERR max number of clients reached"\): it is at its maxclients limit of 6, /,
    );
    expect(warning?.remedy).toMatch(/--pool-size/);
  });

  it('names the limit as unknown when the ACL refuses CONFIG GET', async () => {
    const run = await runCli(overfull(`redis://noconfig:${PASSWORD}@127.0.0.1:${redis.port}`));
    expect(run.exitCode, run.stderr).toBe(0);
    const result = writtenDocument(run.stdout, 'bench');
    const warning = result.warnings.find((w) => w.code === 'maxclients-reached');
    expect(warning?.message).toMatch(
      /it is at its maxclients limit \(CONFIG GET maxclients was refused, so the limit itself is not known\)/,
    );
  });
});

describe('a server already full before the tool connects', () => {
  let redis: TestRedis;
  let occupants: Redis[] = [];

  beforeAll(async () => {
    redis = await startRedis({ args: ['--maxclients', '2'] });
  });
  afterEach(() => {
    for (const occupant of occupants) occupant.disconnect();
    occupants = [];
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it.each([
    ['bench', ['--requests', '10', '--warmup', '0']],
    ['anatomy', ['--samples', '2']],
  ])('%s exits 3 with a line that says it is at its maxclients limit', async (command, extra) => {
    occupants = [redis.client(), redis.client()];
    for (const occupant of occupants) occupant.on('error', () => {});
    await Promise.all(occupants.map((c) => c.ping()));
    const run = await runCli([command, '--url', `redis://127.0.0.1:${redis.port}`, ...extra]);
    expect(run.exitCode, run.stderr).toBe(3);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        /^redis-pool: cannot use redis:\/\/127\.0\.0\.1:\d+\/0: the server is at its /.source +
          /maxclients limit \(ERR max number of clients reached\): it refuses every new connection/.source,
      ),
    );
  });
});
