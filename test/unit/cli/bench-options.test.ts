import { describe, expect, it } from 'vitest';
import { parseBenchConfig, parseStartAt } from '../../../src/cli/bench-options.js';
import { UsageError } from '../../../src/errors.js';
import { isSaturatingClosedLoop } from '../../../src/bench/findings/alerts.js';

describe('bench options', () => {
  it("defaults to all three strategies, 10 s each, the tutorial's 10,000 requests/s on an open loop, 100 workers and a pool of 50", () => {
    const config = parseBenchConfig({});
    expect(config).toMatchObject({
      strategies: ['per-request', 'pooled', 'multiplexed'],
      concurrency: 100,
      requests: null,
      durationMs: 10_000,
      warmup: { durationMs: 1000, requests: null },
      workload: {
        commands: [{ command: 'get', weight: 1, valueSize: 64, keyspace: 10_000, blockMs: null }],
        commandsPerRequest: 1,
        pipeline: false,
        autoPipelining: false,
      },
      load: { ratePerSec: 10_000, targetUtilization: null, thinkMs: null, thinkDistribution: 'exponential' },
      pool: { size: 50, minIdle: 0, acquireTimeoutMs: 5000, order: 'lifo', failFast: false, profile: null },
      poolSizes: null,
    });
    // The pool is smaller than the workers, so that a request can wait for a connection, and the default run says
    // whether it did; the note that a pool is busy by construction is for closed loops without think time only.
    expect(config.pool.size).toBeLessThan(config.concurrency);
    expect(isSaturatingClosedLoop(config.load)).toBe(false);
  });

  it('keeps the pool at most as large as the workers, and lets a load given by a flag or a scenario replace the default rate', () => {
    expect(parseBenchConfig({ concurrency: '8' }).pool.size).toBe(8);
    expect(parseBenchConfig({ concurrency: '8', threads: '2' }).pool.size).toBe(4);
    expect(parseBenchConfig({ concurrency: '8' }).load.ratePerSec).toBe(10_000);
    expect(parseBenchConfig({ rate: '0.5' }).load.ratePerSec).toBe(0.5);
    expect(parseBenchConfig({ utilization: '10%' }).load).toMatchObject({ ratePerSec: null, targetUtilization: 0.1 });
    expect(parseBenchConfig({ think: '0' }).load).toMatchObject({ ratePerSec: null, thinkMs: 0 });
    expect(isSaturatingClosedLoop(parseBenchConfig({ think: '0' }).load)).toBe(true);
    expect(parseBenchConfig({ scenario: 'scenarios/api.yaml' }).load).toMatchObject({
      ratePerSec: null,
      targetUtilization: 0.1,
    });
    expect(parseBenchConfig({ scenario: 'scenarios/blocking.yaml' }).load).toMatchObject({
      ratePerSec: null,
      targetUtilization: 1,
    });
  });

  it("reads --pipeline n as redis-benchmark -P n (n commands a request, one pipeline), and --pipeline alone as the request's commands in one pipeline", () => {
    expect(parseBenchConfig({ pipeline: '16' }).workload).toMatchObject({
      commandsPerRequest: 16,
      pipeline: true,
      autoPipelining: false,
    });
    expect(parseBenchConfig({ pipeline: '16', commandsPerRequest: '16' }).workload).toMatchObject({
      commandsPerRequest: 16,
      pipeline: true,
    });
    expect(parseBenchConfig({ pipeline: true, commandsPerRequest: '4' }).workload).toMatchObject({
      commandsPerRequest: 4,
      pipeline: true,
    });
    expect(() => parseBenchConfig({ pipeline: '16', commandsPerRequest: '10' })).toThrow(
      /--pipeline 16 and --commands-per-request 10 disagree/,
    );
    expect(() => parseBenchConfig({ pipeline: '0' })).toThrow(UsageError);
    expect(() => parseBenchConfig({ pipeline: 'many' })).toThrow(/--pipeline/);
  });

  it("turns ioredis' auto-pipelining on only when asked", () => {
    expect(parseBenchConfig({ autoPipelining: true }).workload.autoPipelining).toBe(true);
    expect(parseBenchConfig({}).workload.autoPipelining).toBe(false);
  });

  it('takes a --run-id for the result, and refuses one that could not name a file or a CI artifact', () => {
    expect(parseBenchConfig({ runId: 'nightly-42' }).runId).toBe('nightly-42');
    expect(parseBenchConfig({}).runId).toBeNull();
    expect(() => parseBenchConfig({ runId: 'a b' })).toThrow(/--run-id "a b": expected 1 to 64 letters/);
    expect(() => parseBenchConfig({ runId: '-x' })).toThrow(UsageError);
  });

  it("--threads: per-thread pool settings, by default as many connections as a thread's workers", () => {
    expect(parseBenchConfig({ threads: '2', concurrency: '5' })).toMatchObject({
      threads: 2,
      concurrency: 5,
      pool: { size: 3 },
    });
    expect(parseBenchConfig({ threads: '2', concurrency: '5', poolSize: '4' }).pool.size).toBe(4);
    expect(parseBenchConfig({}).threads).toBe(1);
    expect(() => parseBenchConfig({ threads: '65' })).toThrow(/--threads/);
  });

  it('reads --start-at as an ISO 8601 time with its zone, at most a second late and a day ahead', () => {
    const now = Date.UTC(2026, 11, 1, 12, 0, 0);
    expect(parseStartAt('2026-12-01T12:00:30Z', now)).toBe(now + 30_000);
    expect(parseStartAt('2026-12-01T13:00:30+01:00', now)).toBe(now + 30_000);
    expect(parseStartAt('2026-12-01T11:59:59.500Z', now)).toBe(now - 500);
    expect(() => parseStartAt('2026-12-01T12:00:30', now)).toThrow(/expected an ISO 8601 time with its zone/);
    expect(() => parseStartAt('in 5 minutes', now)).toThrow(/expected an ISO 8601 time with its zone/);
    expect(() => parseStartAt('2026-12-01T11:59:00Z', now)).toThrow(/is in the past \(now 2026-12-01T12:00:00.000Z\)/);
    expect(() => parseStartAt('2026-12-03T12:00:00Z', now)).toThrow(/more than a day ahead/);
  });

  it('counts requests instead of time when --requests is given', () => {
    const config = parseBenchConfig({ requests: '500', concurrency: '8' });
    expect(config).toMatchObject({ requests: 500, durationMs: null, concurrency: 8, pool: { size: 8 } });
  });

  it('reads a warm-up as a time or a request count with its unit, and refuses a bare number', () => {
    expect(parseBenchConfig({ warmup: '2s' }).warmup).toEqual({ requests: null, durationMs: 2000 });
    expect(parseBenchConfig({ warmup: '300req' }).warmup).toEqual({ requests: 300, durationMs: null });
    expect(parseBenchConfig({ warmup: '0' }).warmup).toEqual({ requests: null, durationMs: null });
    expect(() => parseBenchConfig({ warmup: '300' })).toThrow(
      /--warmup .*write 300req for 300 requests, or 300s or 300ms for a time/,
    );
  });

  it('takes a strategy list in the order given', () => {
    expect(parseBenchConfig({ strategy: 'multiplexed, pooled' }).strategies).toEqual(['multiplexed', 'pooled']);
    expect(() => parseBenchConfig({ strategy: 'pooled,pooled' })).toThrow(/each at most once/);
  });

  it.each([
    [{ concurrency: '0' }],
    [{ concurrency: '10001' }],
    [{ requests: '-1' }],
    [{ duration: '10 minutes' }],
    [{ command: 'flushall' }],
    [{ poolSize: '0' }],
    [{ poolOrder: 'random' }],
    [{ acquireTimeout: '1.5' }],
    [{ requests: '5', duration: '5s' }],
    [{ poolSize: '4', minIdle: '5' }],
  ])('refuses %j', (raw) => {
    expect(() => parseBenchConfig(raw)).toThrow(UsageError);
  });
});

describe('load, pools and sweeps', () => {
  it('expands the command shorthands', () => {
    expect(parseBenchConfig({ command: 'mix', valueSize: '100', keyspace: '7' }).workload.commands).toEqual([
      { command: 'get', weight: 0.8, valueSize: 100, keyspace: 7, blockMs: null },
      { command: 'set', weight: 0.2, valueSize: 100, keyspace: 7, blockMs: null },
    ]);
  });

  it('reads a closed loop with a target utilization or a think time, or an open loop with a rate', () => {
    expect(parseBenchConfig({ utilization: '10%' }).load).toMatchObject({ targetUtilization: 0.1, ratePerSec: null });
    expect(parseBenchConfig({ think: '250ms', thinkDistribution: 'fixed' }).load).toMatchObject({
      thinkMs: 250,
      thinkDistribution: 'fixed',
    });
    expect(parseBenchConfig({ think: '3' }).load.thinkMs).toBe(3);
    expect(parseBenchConfig({ rate: '1500' }).load).toMatchObject({ ratePerSec: 1500, targetUtilization: null });
    expect(() => parseBenchConfig({ rate: '100', utilization: '0.5' })).toThrow(/do not go together/);
    expect(() => parseBenchConfig({ utilization: '0.5', think: '2' })).toThrow(/not both/);
  });

  it('turns a list or a range of pool sizes into a sweep', () => {
    expect(parseBenchConfig({ poolSize: '2,4,6' }).poolSizes).toEqual([2, 4, 6]);
    expect(parseBenchConfig({ poolSize: '2..12:5' }).poolSizes).toEqual([2, 7, 12]);
    expect(parseBenchConfig({ poolSize: '3..5' }).poolSizes).toEqual([3, 4, 5]);
    expect(parseBenchConfig({ poolSize: '12' })).toMatchObject({ poolSizes: null, pool: { size: 12 } });
    for (const bad of ['0', '4,4', '5..2', '2..x', '1..100000', 'a,b'])
      expect(() => parseBenchConfig({ poolSize: bad }), bad).toThrow(UsageError);
    expect(() => parseBenchConfig({ poolSize: '2,4', strategy: 'multiplexed' })).toThrow(/include pooled/);
  });

  it('starts from a pool profile and lets flags override it', () => {
    const jedis = parseBenchConfig({ poolProfile: 'jedis' }, 2).pool;
    expect(jedis).toMatchObject({ size: 8, acquireTimeoutMs: 0, profile: 'jedis' });
    expect(parseBenchConfig({ poolProfile: 'go-redis' }, 2).pool.size).toBe(20);
    expect(parseBenchConfig({ poolProfile: 'redis-py', concurrency: '30' }, 2).pool).toMatchObject({
      size: 30,
      failFast: true,
    });
    expect(parseBenchConfig({ poolProfile: 'jedis', poolSize: '16', acquireTimeout: '50' }, 2).pool).toMatchObject({
      size: 16,
      acquireTimeoutMs: 50,
      profile: 'jedis',
    });
    expect(() => parseBenchConfig({ poolProfile: 'hikari' })).toThrow(/--pool-profile must be one of/);
  });

  it('reads every pool knob', () => {
    const pool = parseBenchConfig({
      idleTimeout: '1000',
      evictionInterval: '100',
      maxLifetime: '60000',
      testOnBorrow: true,
      healthCheckInterval: '500',
      failFast: true,
    }).pool;
    expect(pool).toMatchObject({
      idleTimeoutMs: 1000,
      evictionRunIntervalMs: 100,
      maxLifetimeMs: 60000,
      testOnBorrow: true,
      healthCheckIntervalMs: 500,
      failFast: true,
    });
  });
});

describe('units: the same forms in every flag', () => {
  it('takes a unit in every duration flag, and a bare number as ms where the flag says <ms>', () => {
    const config = parseBenchConfig({
      duration: '1.5m',
      acquireTimeout: '2s',
      idleTimeout: '1.5m',
      evictionInterval: '500ms',
      maxLifetime: '1h',
      healthCheckInterval: '30s',
      connectTimeout: '1s',
      commandTimeout: '250ms',
      socketTimeout: '0.5s',
      rtt: '2ms',
      think: '0.5s',
    });
    expect(config).toMatchObject({
      durationMs: 90_000,
      connectTimeoutMs: 1000,
      commandTimeoutMs: 250,
      socketTimeoutMs: 500,
      rttMs: 2,
      load: { thinkMs: 500 },
      pool: {
        acquireTimeoutMs: 2000,
        idleTimeoutMs: 90_000,
        evictionRunIntervalMs: 500,
        maxLifetimeMs: 3_600_000,
        healthCheckIntervalMs: 30_000,
      },
    });
    const bare = parseBenchConfig({
      acquireTimeout: '2000',
      connectTimeout: '1000',
      commandTimeout: '250',
      socketTimeout: '500',
      rtt: '1.5',
      think: '3',
    });
    expect(bare).toMatchObject({
      connectTimeoutMs: 1000,
      commandTimeoutMs: 250,
      socketTimeoutMs: 500,
      rttMs: 1.5,
      load: { thinkMs: 3 },
      pool: { acquireTimeoutMs: 2000 },
    });
  });

  it('refuses a bare --duration, naming both readings', () => {
    expect(() => parseBenchConfig({ duration: '10' })).toThrow(
      /--duration must be a duration with a unit.*\(got "10"\); a bare number has no unit here: write 10s for seconds or 10ms for milliseconds/,
    );
  });

  it('takes --value-size in bytes or with a unit, KB = 1000 and KiB = 1024', () => {
    const size = (valueSize: string) => parseBenchConfig({ valueSize }).workload.commands[0]!.valueSize;
    expect(size('512')).toBe(512);
    expect(size('1KB')).toBe(1000);
    expect(size('4KiB')).toBe(4096);
    expect(size('1MiB')).toBe(1_048_576);
    expect(() => parseBenchConfig({ valueSize: '65MiB' })).toThrow(/--value-size must be a size such as 512 \(bytes\)/);
  });

  it('takes --utilization as 10% or 0.1', () => {
    expect(parseBenchConfig({ utilization: '0.1' }).load.targetUtilization).toBe(0.1);
    expect(parseBenchConfig({ utilization: '10%' }).load.targetUtilization).toBe(0.1);
    expect(() => parseBenchConfig({ utilization: '10' })).toThrow(/write 10% for 10 percent/);
  });
});
