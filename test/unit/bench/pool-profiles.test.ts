import { describe, expect, it } from 'vitest';
import {
  POOL_PROFILE_NAMES,
  POOL_PROFILES,
  profileSettings,
  type PoolProfileName,
  type ResolvedPoolSettings,
} from '../../../src/bench/config/pool-profiles.js';
import { Pool, PoolExhaustedError, type PoolFactory } from '../../../src/pool/pool.js';

/** Node's timers fire after 1 ms for larger delays; our pool rejects such values. */
const MAX_TIMER_MS = 2_147_483_647;

const INTEGER_FIELDS = [
  'size',
  'minIdle',
  'acquireTimeoutMs',
  'idleTimeoutMs',
  'evictionRunIntervalMs',
  'maxLifetimeMs',
  'healthCheckIntervalMs',
] as const satisfies readonly (keyof ResolvedPoolSettings)[];

/** A factory of plain numbers, with validate() so testOnBorrow is accepted. */
function numberFactory(): PoolFactory<number> {
  let next = 0;
  return {
    create: () => Promise.resolve(next++),
    destroy: () => Promise.resolve(),
    validate: () => Promise.resolve(true),
  };
}

function poolFor(settings: ResolvedPoolSettings): Pool<number> {
  const { size, ...rest } = settings;
  return new Pool(numberFactory(), { max: size, ...rest });
}

describe('pool profiles', () => {
  it('has one profile per name, each naming itself, with sources and caveats', () => {
    expect(Object.keys(POOL_PROFILES).sort()).toEqual([...POOL_PROFILE_NAMES].sort());
    for (const name of POOL_PROFILE_NAMES) {
      const profile = POOL_PROFILES[name];
      expect(profile.name).toBe(name);
      expect(profile.client.length).toBeGreaterThan(0);
      expect(profile.summary.length).toBeGreaterThan(0);
      expect(profile.summary).not.toContain('\n');
      expect(profile.sources.length).toBeGreaterThan(0);
      expect(profile.caveats.length).toBeGreaterThan(0);
    }
  });

  describe.each(POOL_PROFILE_NAMES)('%s', (name: PoolProfileName) => {
    it.each([
      [1, 1],
      [2, 50],
      [8, 200],
      [64, 10_000],
    ])('resolves to valid settings with %i cpus and fallback size %i', (cpus, fallback) => {
      const settings = profileSettings(name, cpus, fallback);
      for (const field of INTEGER_FIELDS) {
        expect(Number.isInteger(settings[field]), field).toBe(true);
        expect(settings[field], field).toBeGreaterThanOrEqual(0);
      }
      expect(settings.size).toBeGreaterThanOrEqual(1);
      expect(settings.minIdle).toBeLessThanOrEqual(settings.size);
      expect(['lifo', 'fifo']).toContain(settings.order);
      expect(settings.acquireTimeoutMs).toBeLessThanOrEqual(MAX_TIMER_MS);
      expect(settings.evictionRunIntervalMs).toBeLessThanOrEqual(MAX_TIMER_MS);
      expect(settings.healthCheckIntervalMs).toBeLessThanOrEqual(MAX_TIMER_MS);
      expect(typeof settings.testOnBorrow).toBe('boolean');
      expect(typeof settings.failFast).toBe('boolean');
      // An idle timeout needs an eviction run to act on it.
      if (settings.idleTimeoutMs > 0) expect(settings.evictionRunIntervalMs).toBeGreaterThan(0);
    });

    it('is accepted by our pool', async () => {
      const pool = poolFor(profileSettings(name, 2, 50));
      await pool.start();
      const stats = pool.stats();
      expect(stats.max).toBe(profileSettings(name, 2, 50).size);
      await pool.close();
    });
  });

  it('go-redis: 10 connections per CPU, 4 s pool timeout, LIFO, idle conns dropped after 30 min', () => {
    expect(profileSettings('go-redis', 1, 999).size).toBe(10);
    expect(profileSettings('go-redis', 2, 999).size).toBe(20);
    expect(profileSettings('go-redis', 16, 999).size).toBe(160);
    expect(profileSettings('go-redis', 2, 999)).toEqual({
      size: 20,
      minIdle: 0,
      acquireTimeoutMs: 4_000,
      order: 'lifo',
      idleTimeoutMs: 1_800_000,
      evictionRunIntervalMs: 1_000,
      maxLifetimeMs: 0,
      testOnBorrow: false,
      healthCheckIntervalMs: 0,
      failFast: false,
    });
  });

  it('redis-py: no bound, so the fallback size; fails fast; LIFO; no health check by default', () => {
    expect(POOL_PROFILES['redis-py'].size).toBeNull();
    expect(profileSettings('redis-py', 4, 37)).toEqual({
      size: 37,
      minIdle: 0,
      acquireTimeoutMs: 0,
      order: 'lifo',
      idleTimeoutMs: 0,
      evictionRunIntervalMs: 0,
      maxLifetimeMs: 0,
      testOnBorrow: false,
      healthCheckIntervalMs: 0,
      failFast: true,
    });
    expect(profileSettings('redis-py', 64, 5).size).toBe(5);
  });

  it('redis-py: an exhausted pool rejects at once, like "Too many connections"', async () => {
    const pool = poolFor(profileSettings('redis-py', 1, 1));
    const first = await pool.acquire();
    await expect(pool.acquire()).rejects.toBeInstanceOf(PoolExhaustedError);
    pool.release(first);
    await pool.close();
  });

  it('redis-py-blocking: 50 connections, waits 20 s, LIFO', () => {
    expect(profileSettings('redis-py-blocking', 8, 999)).toEqual({
      size: 50,
      minIdle: 0,
      acquireTimeoutMs: 20_000,
      order: 'lifo',
      idleTimeoutMs: 0,
      evictionRunIntervalMs: 0,
      maxLifetimeMs: 0,
      testOnBorrow: false,
      healthCheckIntervalMs: 0,
      failFast: false,
    });
  });

  it('jedis: maxTotal 8, waits forever, LIFO, evictor every 30 s with PING, idle limit 60 s', () => {
    expect(profileSettings('jedis', 32, 999)).toEqual({
      size: 8,
      minIdle: 0,
      acquireTimeoutMs: 0,
      order: 'lifo',
      idleTimeoutMs: 60_000,
      evictionRunIntervalMs: 30_000,
      maxLifetimeMs: 0,
      testOnBorrow: false,
      healthCheckIntervalMs: 30_000,
      failFast: false,
    });
  });

  it('node-redis: 1 to 100 clients, 3 s acquire timeout, FIFO, surplus idle clients closed after 3 s', () => {
    expect(profileSettings('node-redis', 2, 999)).toEqual({
      size: 100,
      minIdle: 1,
      acquireTimeoutMs: 3_000,
      order: 'fifo',
      idleTimeoutMs: 3_000,
      evictionRunIntervalMs: 1_000,
      maxLifetimeMs: 0,
      testOnBorrow: false,
      healthCheckIntervalMs: 0,
      failFast: false,
    });
  });

  it('only go-redis depends on the CPU count', () => {
    for (const name of POOL_PROFILE_NAMES) {
      const one = profileSettings(name, 1, 10);
      const many = profileSettings(name, 32, 10);
      if (name === 'go-redis') expect(many.size).toBe(32 * one.size);
      else expect(many).toEqual(one);
    }
  });

  it('only redis-py uses the fallback size', () => {
    for (const name of POOL_PROFILE_NAMES) {
      const small = profileSettings(name, 2, 3);
      const large = profileSettings(name, 2, 300);
      if (name === 'redis-py') expect([small.size, large.size]).toEqual([3, 300]);
      else expect(large).toEqual(small);
    }
  });

  it('returns a fresh object each time', () => {
    const a = profileSettings('jedis', 2, 10);
    a.size = 1;
    expect(profileSettings('jedis', 2, 10).size).toBe(8);
  });

  it('rejects bad arguments', () => {
    expect(() => profileSettings('lettuce' as PoolProfileName, 2, 10)).toThrow(RangeError);
    expect(() => profileSettings('go-redis', 0, 10)).toThrow(RangeError);
    expect(() => profileSettings('go-redis', 1.5, 10)).toThrow(RangeError);
    expect(() => profileSettings('redis-py', 2, 0)).toThrow(RangeError);
    expect(() => profileSettings('redis-py', 2, Number.NaN)).toThrow(RangeError);
  });
});
