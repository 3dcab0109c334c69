import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  infoNumber,
  parseInfo,
  readInfoServer,
  serverHas,
  serverLabel,
  serverOf,
  versionAtLeast,
} from '../../../src/redis/info.js';
import { fixturePath } from '../../helpers/fixtures.js';

// INFO server recorded from Debian's valkey-server 8.0.1 (bookworm-backports) and redis-server 7.0.15.
const infoServer = (name: string): Map<string, string> =>
  parseInfo(readFileSync(fixturePath(`observe/info-server-${name}.txt`), 'utf8'));

describe('INFO parsing', () => {
  it('reads fields across sections and ignores headers', () => {
    const fields = parseInfo(
      '# Clients\r\nconnected_clients:7\r\nmaxclients:10000\r\n\r\n# Stats\r\ntotal_connections_received:1234\r\n',
    );
    expect(infoNumber(fields, 'connected_clients')).toBe(7);
    expect(infoNumber(fields, 'total_connections_received')).toBe(1234);
    expect(infoNumber(fields, 'missing')).toBe(0);
  });
});

describe('which server INFO server says it is', () => {
  it('Valkey 8.0 (recorded): its own name and version, not the redis_version it reports for compatibility', () => {
    const fields = infoServer('valkey-8.0');
    expect(fields.get('redis_version')).toBe('7.2.4');
    const info = readInfoServer(fields);
    expect(info).toEqual({ server: { name: 'valkey', version: '8.0.1' }, redisVersion: '7.2.4' });
    expect(serverLabel(info.server)).toBe('Valkey 8.0.1');
  });

  it('Redis 7.0 (recorded): no server_name, so Redis at its redis_version', () => {
    const info = readInfoServer(infoServer('redis-7.0'));
    expect(info).toEqual({ server: { name: 'redis', version: '7.0.15' }, redisVersion: '7.0.15' });
    expect(serverLabel(info.server)).toBe('Redis 7.0.15');
  });

  it('a server it does not know: by the name it gives, its version where it has one, else redis_version', () => {
    expect(readInfoServer(parseInfo('redis_version:7.2.4\r\nserver_name:Fork\r\nfork_version:2.1\r\n'))).toEqual({
      server: { name: 'fork', version: '2.1' },
      redisVersion: '7.2.4',
    });
    expect(readInfoServer(parseInfo('redis_version:7.2.4\r\nserver_name:other\r\n')).server).toEqual({
      name: 'other',
      version: '7.2.4',
    });
    expect(serverLabel({ name: 'other', version: '7.2.4' })).toBe('other 7.2.4');
    expect(readInfoServer(new Map())).toEqual({
      server: { name: 'redis', version: 'unknown' },
      redisVersion: 'unknown',
    });
  });

  it('a document written before the server was recorded is Redis at its redisVersion', () => {
    expect(serverOf({ redisVersion: '7.0.15' })).toEqual({ name: 'redis', version: '7.0.15' });
    expect(serverOf({ redisVersion: '7.2.4', server: { name: 'valkey', version: '8.0.1' } })).toEqual({
      name: 'valkey',
      version: '8.0.1',
    });
  });
});

describe('what a server has, by its real version', () => {
  const valkey = readInfoServer(infoServer('valkey-8.0'));
  const redis = readInfoServer(infoServer('redis-7.0'));

  it('Valkey by its own version where one is given, else by the Redis it forked from', () => {
    expect(serverHas(valkey, { redis: '8.2', valkey: '8.0' })).toBe(true);
    expect(serverHas(valkey, { redis: '8.2', valkey: '8.1' })).toBe(false);
    expect(serverHas(valkey, { redis: '7.0' })).toBe(true);
    expect(serverHas(valkey, { redis: '8.0' })).toBe(false);
  });

  it('Redis by its version, whatever Valkey needs', () => {
    expect(serverHas(redis, { redis: '7.0' })).toBe(true);
    expect(serverHas(redis, { redis: '7.2', valkey: '7.2' })).toBe(false);
    expect(serverHas(redis, { redis: '8.2', valkey: '8.0' })).toBe(false);
  });

  it('compares versions part by part; one without a number has nothing', () => {
    expect(versionAtLeast('7.0.15', '7.0')).toBe(true);
    expect(versionAtLeast('7.10.0', '7.9')).toBe(true);
    expect(versionAtLeast('6.2.14', '7.0')).toBe(false);
    expect(versionAtLeast('8.0.0-rc1', '8.0')).toBe(true);
    expect(versionAtLeast('8', '8.0.1')).toBe(false);
    expect(versionAtLeast('unknown', '1')).toBe(false);
  });
});
