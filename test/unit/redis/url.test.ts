import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { formatTarget, parseRedisUrl, redactUrlText, targetFromUrlOptions } from '../../../src/redis/url.js';

describe('Redis URLs', () => {
  it('reads host, port, credentials, db and TLS', () => {
    expect(parseRedisUrl('redis://app:s%40cret@cache.internal:6380/2')).toEqual({
      host: 'cache.internal',
      port: 6380,
      username: 'app',
      password: 's@cret',
      db: 2,
      tls: false,
      urlSource: '--url',
    });
    expect(parseRedisUrl('rediss://:pw@[::1]', 'REDIS_URL')).toEqual({
      host: '::1',
      port: 6379,
      username: null,
      password: 'pw',
      db: 0,
      tls: true,
      urlSource: 'REDIS_URL',
    });
  });

  it('prints the target with the password as ***', () => {
    expect(formatTarget(parseRedisUrl('redis://app:s3cret@h:1/3'))).toBe('redis://app:***@h:1/3');
    expect(formatTarget(parseRedisUrl('redis://:s3cret@h'))).toBe('redis://:***@h:6379/0');
    expect(formatTarget(parseRedisUrl('rediss://app@h'))).toBe('rediss://app@h:6379/0');
  });

  it.each(['http://h:1', 'not a url', 'redis://h:1/x', 'redis://h:99999'])('refuses %j with a UsageError', (raw) => {
    expect(() => parseRedisUrl(raw)).toThrow(UsageError);
  });

  it('names where the URL came from in its errors, and says what a URL without a scheme should be', () => {
    expect(() => parseRedisUrl('localhost:6379', 'REDIS_URL')).toThrow(
      'REDIS_URL has no scheme (got "localhost:6379"): write redis://localhost:6379 (or rediss://localhost:6379 for TLS)',
    );
    expect(() => parseRedisUrl('cache.internal', '--url')).toThrow(
      /^--url has no scheme .*write redis:\/\/cache\.internal/,
    );
    expect(() => parseRedisUrl('http://h:1', 'REDIS_URL')).toThrow(
      /^REDIS_URL must use the redis:\/\/ or rediss:\/\/ scheme/,
    );
    expect(() => parseRedisUrl('redis://h:1/x', 'REDIS_URL')).toThrow(/^REDIS_URL database must be a whole number/);
  });

  it('takes --url first, then a non-empty REDIS_URL, else no target (a throwaway server)', () => {
    expect(targetFromUrlOptions('redis://a:1', { REDIS_URL: 'redis://b:2' })).toMatchObject({
      host: 'a',
      urlSource: '--url',
    });
    expect(targetFromUrlOptions(undefined, { REDIS_URL: 'redis://b:2' })).toMatchObject({
      host: 'b',
      urlSource: 'REDIS_URL',
    });
    expect(targetFromUrlOptions(undefined, { REDIS_URL: '' })).toBeNull();
    expect(targetFromUrlOptions(undefined, {})).toBeNull();
  });

  it('never repeats a password in its error messages', () => {
    expect(() => parseRedisUrl('redis://u:hunter2@h:1/notadb')).toThrow(/^(?!.*hunter2)/);
    expect(redactUrlText('failed for redis://u:hunter2@h:1 and rediss://:x@y')).toBe(
      'failed for redis://u:***@h:1 and rediss://:***@y',
    );
  });
});
