import { describe, expect, it } from 'vitest';
import { alertWarnings, isSaturatingClosedLoop, type AlertContext } from '../../../src/bench/findings/alerts.js';
import type { LoadConfig, StrategyResult } from '../../../src/schema/bench.js';
import type { Warning } from '../../../src/schema/warning.js';
import { readBenchFixture } from '../../helpers/fixtures.js';

/** A real run (`bench --requests 2000 --concurrency 10 --warmup 200`): 10 workers, a pool of 10, no think time. */
const fixture = readBenchFixture('bench-result.json');
const pooled = fixture.results.find((r) => r.strategy === 'pooled')!;
const perRequest = fixture.results.find((r) => r.strategy === 'per-request')!;
const multiplexed = fixture.results.find((r) => r.strategy === 'multiplexed')!;

const CLOSED: LoadConfig = {
  ratePerSec: null,
  targetUtilization: null,
  thinkMs: null,
  thinkDistribution: 'exponential',
};
const THINKING: LoadConfig = { ...CLOSED, targetUtilization: 0.3 };
const context = (concurrency: number, load: LoadConfig = THINKING, testOnBorrow = false): AlertContext => ({
  concurrency,
  load,
  pool: { ...fixture.config.pool, testOnBorrow },
});

/** A pooled run of `max` connections whose connections were in use `active` of the time on average. */
function pooledRun(
  max: number,
  concurrency: number,
  active: number,
  waitCount: number,
  overrides: Partial<StrategyResult> = {},
): StrategyResult {
  return {
    ...pooled,
    label: `pooled(max=${max})`,
    requests: 1000,
    errors: 0,
    errorsByKind: {},
    acquireWait: { ...pooled.acquireWait!, p99: 1 },
    pool: { ...pooled.pool!, max, hits: 1000, misses: 0, timeouts: 0, exhausted: 0, waitCount },
    load: { ...pooled.load, measuredUtilization: (active * max) / concurrency },
    ...overrides,
  };
}

const codes = (warnings: Warning[]): string[] => warnings.map((w) => w.code);
const text = (warnings: Warning[]): string => warnings.map((w) => `${w.message} ${w.remedy}`).join('\n');

describe("the tutorial's alert levels", () => {
  it('raises nothing on a healthy run', () => {
    expect(alertWarnings(pooledRun(10, 20, 0.5, 10), context(20))).toEqual([]);
  });

  it('raises each alert past its level where more workers than connections make requests wait', () => {
    const sick = pooledRun(10, 20, 0.9, 400, {
      errors: 30,
      errorsByKind: { connection: 11, 'acquire-timeout': 6 },
      acquireWait: { ...pooled.acquireWait!, p99: 150 },
    });
    const warnings = alertWarnings(sick, context(20));
    expect(codes(warnings)).toEqual([
      'alert-pool-active',
      'alert-acquire-wait',
      'alert-connection-errors',
      'alert-timeouts',
    ]);
    expect(warnings.every((w) => w.level === undefined)).toBe(true);
    expect(warnings[0]!.message).toContain('on average 90 % of the pool');
    expect(warnings[0]!.message).toContain('40 % of the acquires waited');
    expect(warnings[0]!.remedy).toContain('grow the pool');
    expect(warnings[1]!.remedy).toContain('the pool is too small');
    expect(warnings[3]!.remedy).toContain('acquire timeouts: the pool is too small');
  });

  it('stays quiet just under each level', () => {
    const borderline = pooledRun(10, 20, 0.8, 10, {
      errors: 15,
      errorsByKind: { connection: 10, 'command-timeout': 5 },
      acquireWait: { ...pooled.acquireWait!, p99: 100 },
    });
    expect(alertWarnings(borderline, context(20))).toEqual([]);
  });
});

describe('alerts say only what can help', () => {
  it(
    'a closed loop without think time and a pool as large as the workers (the ' +
      'default of earlier versions): a note on what 100 % means, never "grow the pool"',
    () => {
      // The fixture's own pooled run, exactly as it was measured.
      const warnings = alertWarnings(pooled, context(fixture.config.concurrency, fixture.config.load));
      expect(codes(warnings)).toEqual(['pool-busy-by-construction']);
      expect(warnings[0]!.level).toBe('note');
      expect(warnings[0]!.message).toContain(
        "each of the 10 workers always holds a connection, so 10 of the pool's 10 connections are busy by construction",
      );
      expect(warnings[0]!.remedy).toContain('add --utilization or --rate');
      expect(text(warnings)).not.toMatch(/grow (it|the pool)/);
    },
  );

  it('a saturating closed loop with more workers than connections keeps the warning: a bigger pool helps there', () => {
    const warnings = alertWarnings(pooledRun(4, 12, 1, 900), context(12, CLOSED));
    expect(codes(warnings)).toEqual(['alert-pool-active']);
    expect(warnings[0]!.remedy).toContain('grow the pool');
  });

  it('with think time and no more workers than connections: a note that no request can wait', () => {
    const warnings = alertWarnings(pooledRun(10, 10, 0.9, 0), context(10, THINKING));
    expect(codes(warnings)).toEqual(['pool-busy-no-wait']);
    expect(warnings[0]!.level).toBe('note');
    expect(warnings[0]!.message).toContain('with 10 workers and 10 connections no request can wait for one');
    expect(text(warnings)).not.toMatch(/grow (it|the pool)/);
  });

  it('an open loop with as many workers as connections: a note, not a warning', () => {
    const warnings = alertWarnings(pooledRun(8, 8, 0.95, 0), context(8, { ...CLOSED, ratePerSec: 5000 }));
    expect(codes(warnings)).toEqual(['pool-busy-no-wait']);
  });

  it('a slow acquire with no request queued is blamed on opening connections, not on the pool size', () => {
    const cold = pooledRun(10, 10, 0.5, 0, {
      acquireWait: { ...pooled.acquireWait!, p99: 180 },
      connect: { ...pooled.connect!, p99: 170 },
    });
    const warnings = alertWarnings(cold, context(10, THINKING, true));
    expect(codes(warnings)).toEqual(['alert-acquire-wait']);
    expect(warnings[0]!.message).toContain('though no request waited for a busy connection');
    expect(warnings[0]!.remedy).toContain('opening connections (connect p99 170.0 ms)');
    expect(warnings[0]!.remedy).toContain('--min-idle');
    expect(warnings[0]!.remedy).toContain('drop --test-on-borrow');
    expect(warnings[0]!.remedy).toContain('a bigger pool would not help');
    // Without test-on-borrow, it is not suggested.
    expect(alertWarnings(cold, context(10))[0]!.remedy).not.toContain('test-on-borrow');
  });

  it('acquire timeouts with no more workers than connections are slow connects, not a small pool', () => {
    const run = pooledRun(10, 10, 0.5, 0, { errors: 20, errorsByKind: { 'acquire-timeout': 20 } });
    const [warning] = alertWarnings(run, context(10));
    expect(warning!.code).toBe('alert-timeouts');
    expect(warning!.remedy).toContain('opening a connection took longer than --acquire-timeout');
    expect(warning!.remedy).not.toContain('too small');
  });

  it('command timeouts point at the server, and faults at the fault table', () => {
    const slow = pooledRun(10, 10, 0.5, 0, { errors: 20, errorsByKind: { 'command-timeout': 20 } });
    expect(alertWarnings(slow, context(10))[0]!.remedy).toBe(
      'command and socket timeouts: the server answered slower than --command-timeout/--socket-timeout, or stalled',
    );
    const faulted = {
      ...slow,
      faults: [
        {
          fault: 'stall@1s:500ms',
          kind: 'stall',
          atMs: 1000,
          injectedAtMs: 1000,
          recoveryMs: 600,
          errorsAfter: 20,
          error: null,
        },
      ],
    };
    expect(alertWarnings(faulted, context(10))[0]!.remedy).toContain('they follow the injected faults');
  });

  it('per-request and multiplexed have no pool to be full, whatever their utilization', () => {
    const busy = { ...perRequest, load: { ...perRequest.load, measuredUtilization: 1 } };
    expect(alertWarnings(busy, context(10, CLOSED))).toEqual([]);
    expect(alertWarnings(multiplexed, context(10, CLOSED))).toEqual([]);
    expect(multiplexed.load.measuredUtilization).toBeNull();
  });

  it('suggests test-on-borrow for connection errors only where there is a pool to borrow from', () => {
    const broken = (r: StrategyResult): StrategyResult => ({
      ...r,
      requests: 1000,
      errors: 50,
      errorsByKind: { connection: 50 },
    });
    const remedy = (r: StrategyResult): string =>
      alertWarnings(broken(r), context(10)).find((w) => w.code === 'alert-connection-errors')!.remedy;
    expect(remedy(pooledRun(10, 10, 0.5, 0))).toContain('--test-on-borrow');
    expect(remedy(perRequest)).not.toContain('test-on-borrow');
    expect(remedy(perRequest)).toContain('every request opens a connection');
    expect(remedy(multiplexed)).not.toContain('test-on-borrow');
    expect(remedy(multiplexed)).toContain('shared connection');
  });
});

describe('a saturating closed loop', () => {
  it('is a closed loop where no worker ever thinks', () => {
    expect(isSaturatingClosedLoop(CLOSED)).toBe(true);
    expect(isSaturatingClosedLoop({ ...CLOSED, targetUtilization: 1 })).toBe(true);
    expect(isSaturatingClosedLoop({ ...CLOSED, thinkMs: 0 })).toBe(true);
    expect(isSaturatingClosedLoop({ ...CLOSED, targetUtilization: 0.5 })).toBe(false);
    expect(isSaturatingClosedLoop({ ...CLOSED, thinkMs: 2 })).toBe(false);
    expect(isSaturatingClosedLoop({ ...CLOSED, ratePerSec: 1000 })).toBe(false);
  });
});
