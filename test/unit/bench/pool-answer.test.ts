import { describe, expect, it } from 'vitest';
import { poolAnswer, predictPool, type PoolAnswerContext } from '../../../src/bench/findings/pool-answer.js';
import type { LoadConfig, StrategyResult } from '../../../src/schema/bench.js';
import { erlangC } from '../../../src/sizing/erlang-c.js';
import { finiteSourceWait } from '../../../src/sizing/finite-source.js';
import { readBenchFixture } from '../../helpers/fixtures.js';

const fixture = readBenchFixture('bench-result.json');
const pooled = fixture.results.find((r) => r.strategy === 'pooled')!;

const OPEN: LoadConfig = {
  ratePerSec: 10_000,
  targetUtilization: null,
  thinkMs: null,
  thinkDistribution: 'exponential',
};
const open = (concurrency = 100): PoolAnswerContext => ({ concurrency, load: OPEN, poolSizes: null });

/** A pooled run of `max` connections, 100,000 acquires of which `waits` queued, holding a connection `holdMs` on average. */
function run(max: number, waits: number, holdMs: number, over: Partial<StrategyResult> = {}): StrategyResult {
  return {
    ...pooled,
    label: `pooled(max=${max})`,
    requests: 100_000,
    acquireWait: { ...pooled.acquireWait!, p99: 0.31 },
    pool: { ...pooled.pool!, max, hits: 100_000, misses: 0, timeouts: 0, exhausted: 0, waitCount: waits },
    load: { ...pooled.load, holdMeanMs: holdMs, modelUtilization: 0.1 },
    ...over,
  };
}

describe('is this pool big enough? (one pooled run where requests could wait)', () => {
  it('the default load: 10,000 requests/s on 50 connections of 0.07 ms holds: a note, big enough, with what the model says and how to size it', () => {
    const [answer] = poolAnswer(run(50, 26, 0.07), open());
    expect(answer).toMatchObject({ code: 'pool-answer', level: 'note' });
    expect(answer!.message).toBe(
      'pooled(max=50): the pool is big enough for this load: 0.026 % of the acquires waited for a connection, acquire p99 0.31 ms; ' +
        'for the load measured (10,000 requests/s × a mean hold of 0.07 ms: ' +
        '0.7 connections busy on average) ' +
        'the Erlang C model predicts < 0.0001 % with 50 connections, and 4 for at most 1 %',
    );
    expect(answer!.remedy).toBe(
      '`redis-pool size --rate 10000 --hold-ms 0.07` sizes a pool for this load with a buffer and a fleet; ' +
        'a sweep (--pool-size 2..6) measures each size beside the model',
    );
  });

  it('a pool too small for the load, by the model as measured: a warning that says how big', () => {
    // 10,000/s × 0.5 ms = 5 connections busy: 5 cannot keep up, 6 make most requests wait.
    const [answer] = poolAnswer(run(6, 40_000, 0.5), open());
    expect(answer!.level).toBeUndefined();
    expect(answer!.message).toMatch(
      /^pooled\(max=6\): the pool is too small for this load: 40 % of the acquires waited for a connection, acquire p99 0\.31 ms, more than 1 %; /,
    );
    expect(answer!.message).toContain(`predicts ${Math.round(erlangC(6, 5) * 1000) / 10} % with 6 connections`);
    expect(answer!.remedy).toMatch(/^grow the pool towards \d+, or measure the sizes around it/);
  });

  it('more waits than the model predicts for a pool it finds big enough: said as such, not as a pool too small', () => {
    const [answer] = poolAnswer(run(50, 2_000, 0.07), open());
    expect(answer!.level).toBeUndefined();
    expect(answer!.message).toMatch(
      /^pooled\(max=50\): more requests waited than the model predicts for this pool: 2 % of the acquires waited/,
    );
    // Not "grow the pool towards 4": it has 50. A sweep from this pool up, or the generator first where it saturated.
    expect(answer!.remedy).toMatch(/^measure this pool and larger ones with a sweep \(--pool-size 50\.\.54\): /);
    const bursty = run(50, 2_000, 0.07, {
      generator: {
        eventLoopUtilization: 0.97,
        lagP99Ms: 1.2,
        wakeLateness: { count: 100_000, p50Us: 500, p90Us: 940, p99Us: 1100, maxUs: 3000 },
        cpuMs: 9_700,
        cpuShare: 0.97,
      },
    });
    const [distorted] = poolAnswer(bursty, open());
    expect(distorted!.message).toContain('(the load generator was saturated in this run');
    expect(distorted!.remedy).toMatch(
      /^give the generator less to do first \(its warning says how\) and measure again/,
    );
  });

  it('a closed loop whose workers think: the finite-source model with the workers and the u measured', () => {
    const context: PoolAnswerContext = {
      concurrency: 20,
      load: { ...OPEN, ratePerSec: null, targetUtilization: 0.1 },
      poolSizes: null,
    };
    const prediction = predictPool(run(4, 10, 0.5), context)!;
    expect(prediction).toMatchObject({ model: 'finite-source', busy: 2 });
    expect(prediction.waitProbability).toBeCloseTo(finiteSourceWait(20, 0.1, 4).waitProbability, 12);
    expect(poolAnswer(run(4, 10, 0.5), context)[0]!.message).toContain(
      'for the load measured (20 workers at u = 10 % (mean hold 0.5 ms): 2 connections busy on average) the finite-source model',
    );
  });

  it(
    'says nothing where the question does not arise: no more workers than connections, ' +
      'a sweep (its own table answers), a closed loop without think time, another strategy',
    () => {
      expect(poolAnswer(run(100, 0, 0.07), open(100))).toEqual([]);
      expect(poolAnswer(run(50, 0, 0.07), { ...open(), poolSizes: [10, 50] })).toEqual([]);
      expect(
        poolAnswer(run(50, 0, 0.07), { concurrency: 100, load: { ...OPEN, ratePerSec: null }, poolSizes: null }),
      ).toEqual([]);
      expect(
        poolAnswer(run(50, 0, 0.07), {
          concurrency: 100,
          load: { ...OPEN, ratePerSec: null, thinkMs: 0 },
          poolSizes: null,
        }),
      ).toEqual([]);
      expect(poolAnswer({ ...run(50, 0, 0.07), strategy: 'multiplexed' }, open())).toEqual([]);
    },
  );
});
