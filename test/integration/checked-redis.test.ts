import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckedRedis, ServerFullError, SetupRefusedError } from '../../src/redis/checked-redis.js';
import { clientOptions } from '../../src/redis/client-options.js';
import { connectReady } from '../../src/redis/connect.js';
import type { RedisTarget } from '../../src/redis/url.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

const PASSWORD = 'checked-Pw-3kd9';

describe('CheckedRedis: an ioredis connection that never runs after a refused setup step', () => {
  let redis: TestRedis;
  let admin: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    admin = redis.client();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  const target = (overrides: Partial<RedisTarget>): RedisTarget => ({
    host: '127.0.0.1',
    port: redis.port,
    username: null,
    password: null,
    db: 0,
    tls: false,
    ...overrides,
  });
  const open = (t: RedisTarget, name = 'redis-pool:test:checked'): CheckedRedis => {
    const client = new CheckedRedis(clientOptions(t, { connectTimeoutMs: 2000, commandTimeoutMs: 0 }, name));
    client.on('error', () => {});
    return client;
  };

  it('fails connectReady with the refused SELECT (ioredis alone would go on in db 0)', async () => {
    const client = open(target({ db: 99 }));
    const failure = await connectReady(client).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SetupRefusedError);
    expect(failure).toMatchObject({ command: 'SELECT', reply: 'ERR DB index is out of range' });
    expect(client.status).toBe('end');
  });

  it('a reconnect whose SELECT is refused ends the connection: the queued write fails instead of landing in db 0', async () => {
    await admin.call('ACL', 'SETUSER', 'mon', 'on', `>${PASSWORD}`, '~*', '+@all');
    const client = open(target({ username: 'mon', password: PASSWORD, db: 3 }), 'redis-pool:test:reconnecting');
    await connectReady(client);
    // As the bench monitor: once connected, it reconnects and queues its commands meanwhile.
    Object.assign(client.options, { enableOfflineQueue: true, maxRetriesPerRequest: null, retryStrategy: () => 20 });
    await client.set('redis-pool:test:before', 'v');

    await admin.call('ACL', 'SETUSER', 'mon', '-select');
    await admin.call('CLIENT', 'KILL', 'USER', 'mon');
    const write = await client.set('redis-pool:test:after', 'v').then(
      () => 'written',
      (error: unknown) => (error as Error).message,
    );

    expect(write).not.toBe('written');
    expect(client.setupFailure).toBeInstanceOf(SetupRefusedError);
    expect(client.setupFailure).toMatchObject({ command: 'SELECT' });
    // Not events.once: ioredis 6 also emits the refusal as an 'error' event, which would reject it.
    if (client.status !== 'end') await new Promise((resolve) => client.once('end', resolve));
    expect(await admin.dbsize()).toBe(0);
    const db3 = new Redis({ port: redis.port, db: 3 });
    try {
      expect(await db3.keys('redis-pool:test:*')).toEqual(['redis-pool:test:before']);
    } finally {
      db3.disconnect();
    }
  });

  it('a server at maxclients fails the connection, but never as a refused setup (that would end a run)', async () => {
    const full = await startRedis({ args: ['--maxclients', '1'] });
    const occupant = full.client();
    try {
      await occupant.ping();
      for (let attempt = 0; attempt < 10; attempt++) {
        const client = open({ host: '127.0.0.1', port: full.port, username: null, password: null, db: 0, tls: false });
        const failure = await connectReady(client).then(
          () => null,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(Error);
        expect(failure).not.toBeInstanceOf(SetupRefusedError);
        // The refusal is read (a ServerFullError) or lost to the reset of the connection the server closed unread.
        if (!(failure instanceof ServerFullError))
          expect((failure as NodeJS.ErrnoException).code).toMatch(/^(EPIPE|ECONNRESET)$/);
      }
    } finally {
      await full.stop();
    }
  });
});
