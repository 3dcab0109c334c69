import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseClientList } from '../../../src/redis/client-list.js';
import { fixturePath } from '../../helpers/fixtures.js';

const reply = (name: string): string => readFileSync(fixturePath(`observe/client-list-${name}.txt`), 'utf8');

// client-list-redis-7.0.txt is a reply recorded from this repository's redis-server 7.0.15; the others are
// written from each version's documented field set (CLIENT LIST in redis.io and valkey.io docs).
describe('CLIENT LIST, the field sets of every server version', () => {
  it('Redis 7.0: no library fields, no command counts', () => {
    const [named, unnamed] = parseClientList(reply('redis-7.0'));
    expect(named).toEqual({
      id: '509',
      host: '127.0.0.1',
      addr: '127.0.0.1:44804',
      name: 'api-pool',
      age: 0,
      idle: 0,
      flags: 'N',
      db: 0,
      cmd: 'ping',
      libName: null,
      libVer: null,
      totCmds: null,
    });
    expect(unnamed!.name).toBe('');
    expect(unnamed!.cmd).toBe('client|list');
  });

  it('Redis 7.2: lib-name and lib-ver, an IPv6 client, a blocked one', () => {
    const [py, go] = parseClientList(reply('redis-7.2'));
    expect(py).toMatchObject({
      host: '10.0.0.5',
      name: 'checkout',
      age: 812,
      idle: 3,
      db: 2,
      libName: 'redis-py',
      libVer: '5.0.1',
      totCmds: null,
    });
    expect(go).toMatchObject({
      host: '2001:db8::7',
      flags: 'b',
      cmd: 'blpop',
      libName: 'go-redis(,go1.21.4)',
      libVer: '9.3.0',
    });
  });

  it('Redis 7.4: watch= added, empty library fields read as none, a replica flagged S', () => {
    const [worker, replica] = parseClientList(reply('redis-7.4'));
    expect(worker).toMatchObject({ name: 'worker', libName: 'ioredis', libVer: '5.4.1', cmd: 'set' });
    expect(replica).toMatchObject({ flags: 'S', libName: null, libVer: null });
  });

  it('Redis 8.2: tot-cmds per client, and a Unix socket client', () => {
    const [api, local] = parseClientList(reply('redis-8.2'));
    expect(api).toMatchObject({ name: 'api', totCmds: 4211, libName: 'jedis' });
    expect(local).toMatchObject({ host: 'unix', flags: 'U', totCmds: 1 });
  });

  it('Valkey 8.0: capa=, tot-cmds', () => {
    const [cart] = parseClientList(reply('valkey-8.0'));
    expect(cart).toMatchObject({ name: 'cart', db: 1, cmd: 'hget', libName: 'valkey-glide', totCmds: 97 });
  });

  it('an empty reply is no clients', () => {
    expect(parseClientList('')).toEqual([]);
    expect(parseClientList('\n')).toEqual([]);
  });
});
