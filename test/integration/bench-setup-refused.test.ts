import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { runCli, startCli } from '../helpers/run-cli.js';

const STRATEGIES = ['per-request', 'pooled', 'multiplexed'] as const;
const PASSWORD = 'setup-Pw-71xq';

/** The one line a refused target prints, and nothing else anywhere. */
function refusal(run: { stdout: string; stderr: string; exitCode: number | null }): string {
  expect(run.exitCode, run.stderr).toBe(3);
  expect(run.stdout).toBe('');
  expect(run.stderr).not.toMatch(/\[WARN\]|\[ERROR\]|ioredis|at .*\.js:\d+/);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

/** Keys and writes in every database of the server since the last CONFIG RESETSTAT. */
async function writesSinceReset(admin: Redis): Promise<{ keyspace: string; writes: string[] }> {
  const keyspace = (await admin.info('keyspace')).replace('# Keyspace', '').trim();
  const stats = await admin.info('commandstats');
  const writes = [...stats.matchAll(/^cmdstat_(set|mset|setex|hset|lpush|rpush|zadd|xadd|incr|del|unlink):/gm)].map(
    (m) => m[1]!,
  );
  return { keyspace, writes };
}

describe('bench against a target that refuses a setup step: exit 3, one line, nothing written', () => {
  let redis: TestRedis;
  let admin: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    admin = redis.client();
    await admin.call('ACL', 'SETUSER', 'unnamed', 'on', `>${PASSWORD}`, '~*', '+@all', '-client|setname');
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it.each(STRATEGIES)('a database the server does not have (/99), %s', async (strategy) => {
    await admin.config('RESETSTAT');
    const run = await runCli([
      'bench',
      '--url',
      `redis://127.0.0.1:${redis.port}/99`,
      '--strategy',
      strategy,
      '--requests',
      '200',
      '--warmup',
      '0',
      '--command',
      'set',
    ]);
    expect(refusal(run)).toMatch(
      new RegExp(
        `^redis-pool: cannot use redis://127\\.0\\.0\\.1:${redis.port}/99: ` +
          `SELECT 99 refused \\(ERR DB index is out of range\\); check the database number at the end of --url$`,
      ),
    );
    expect(await writesSinceReset(admin)).toEqual({ keyspace: '', writes: [] });
  });

  it('a password given to a server that has none: refused, not a console warning', async () => {
    await admin.config('RESETSTAT');
    const line = refusal(
      await runCli([
        'bench',
        '--url',
        `redis://:${PASSWORD}@127.0.0.1:${redis.port}`,
        '--requests',
        '100',
        '--warmup',
        '0',
        '--command',
        'set',
      ]),
    );
    expect(line).toMatch(
      new RegExp(
        /cannot use redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0: the server has no password, /.source +
          /but --url gives one \(ERR AUTH <password> called without any password configured/.source,
      ),
    );
    expect(line).not.toContain(PASSWORD);
    expect(await writesSinceReset(admin)).toEqual({ keyspace: '', writes: [] });
  });

  it('a user the ACL does not allow CLIENT SETNAME', async () => {
    await admin.config('RESETSTAT');
    const line = refusal(
      await runCli([
        'bench',
        '--url',
        `redis://unnamed:${PASSWORD}@127.0.0.1:${redis.port}`,
        '--requests',
        '100',
        '--warmup',
        '0',
        '--command',
        'set',
      ]),
    );
    expect(line).toMatch(/CLIENT SETNAME refused \(NOPERM .*\); redis-pool names its connections .*\+client\|setname/);
    expect(await writesSinceReset(admin)).toEqual({ keyspace: '', writes: [] });
  });

  it('a wrong password', async () => {
    await admin.call('ACL', 'SETUSER', 'bob', 'on', `>${PASSWORD}`, '~*', '+@all');
    const line = refusal(
      await runCli([
        'bench',
        '--url',
        `redis://bob:not-${PASSWORD}@127.0.0.1:${redis.port}`,
        '--requests',
        '100',
        '--warmup',
        '0',
      ]),
    );
    expect(line).toMatch(/authentication refused \(WRONGPASS/);
    expect(line).not.toContain(PASSWORD);
  });
});

describe('bench when the server starts refusing SELECT mid-run (a reconnect must never run in db 0)', () => {
  let redis: TestRedis;
  let admin: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    admin = redis.client();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  /** Load connections of this strategy (never the monitor), by their CLIENT SETNAME. */
  async function loadClientIds(strategy: string): Promise<string[]> {
    const list = String(await admin.call('CLIENT', 'LIST'));
    return [...list.matchAll(/^id=(\d+) .*name=redis-pool:[0-9a-f]+:(\S+)/gm)]
      .filter((m) => m[2] === strategy)
      .map((m) => m[1]!);
  }

  it.each(STRATEGIES)(
    '%s: exits 3 at the first reconnect, wrote nothing in db 0, and cleaned up db 3',
    async (strategy) => {
      const user = `mid-${strategy}`;
      await admin.call('ACL', 'SETUSER', user, 'on', `>${PASSWORD}`, '~*', '+@all');
      const bench = startCli([
        'bench',
        '--url',
        `redis://${user}:${PASSWORD}@127.0.0.1:${redis.port}/3`,
        '--strategy',
        strategy,
        '--duration',
        '20s',
        '--warmup',
        '0',
        '--command',
        'set',
        '--concurrency',
        '4',
        '--keyspace',
        '50',
      ]);
      let ids: string[] = [];
      for (let attempt = 0; attempt < 200 && ids.length === 0; attempt++) {
        ids = await loadClientIds(strategy);
        if (ids.length === 0) await sleep(25);
      }
      expect(ids.length, bench.stderr()).toBeGreaterThan(0);
      // From now on every new connection of this user has its SELECT refused; the open ones are dropped.
      await admin.call('ACL', 'SETUSER', user, '-select');
      for (const id of await loadClientIds(strategy)) await admin.call('CLIENT', 'KILL', 'ID', id).catch(() => 0);

      const run = await bench.done;
      expect(refusal(run)).toMatch(
        /cannot use redis:\/\/mid-[a-z-]+:\*\*\*@127\.0\.0\.1:\d+\/3: SELECT 3 refused \(NOPERM .*select.*\); check the database number/,
      );
      const db0 = new Redis({ port: redis.port, db: 0 });
      const db3 = new Redis({ port: redis.port, db: 3 });
      try {
        expect(await db0.dbsize()).toBe(0);
        // The monitor kept its own connection (and its database) and deleted the run's keys.
        expect(await db3.dbsize()).toBe(0);
      } finally {
        db0.disconnect();
        db3.disconnect();
      }
    },
  );
});
