import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { formatTarget, parseRedisUrl, redactUrlText } from '../../../src/redis/url.js';

describe('Redis URLs', () => {
  it('reads host, port, credentials, db and TLS', () => {
    expect(parseRedisUrl('redis://app:s%40cret@cache.internal:6380/2')).toEqual({
      host: 'cache.internal', port: 6380, username: 'app', password: 's@cret', db: 2, tls: false,
    });
    expect(parseRedisUrl('rediss://:pw@[::1]')).toEqual({ host: '::1', port: 6379, username: null, password: 'pw', db: 0, tls: true });
  });

  it('prints the target with the password as ***', () => {
    expect(formatTarget(parseRedisUrl('redis://app:s3cret@h:1/3'))).toBe('redis://app:***@h:1/3');
    expect(formatTarget(parseRedisUrl('redis://:s3cret@h'))).toBe('redis://:***@h:6379/0');
    expect(formatTarget(parseRedisUrl('rediss://app@h'))).toBe('rediss://app@h:6379/0');
  });

  it.each(['http://h:1', 'not a url', 'redis://h:1/x', 'redis://h:99999'])('refuses %j with a UsageError', (raw) => {
    expect(() => parseRedisUrl(raw)).toThrow(UsageError);
  });

  it('never repeats a password in its error messages', () => {
    expect(() => parseRedisUrl('redis://u:hunter2@h:1/notadb')).toThrow(/^(?!.*hunter2)/);
    expect(redactUrlText('failed for redis://u:hunter2@h:1 and rediss://:x@y')).toBe('failed for redis://u:***@h:1 and rediss://:***@y');
  });
});
