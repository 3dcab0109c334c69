import { describe, expect, it } from 'vitest';
import { compareStrategies } from '../../../src/report/compare.js';
import { fellBehind, strategyWarnings } from '../../../src/bench/findings/strategy-warnings.js';
import type { StrategyResult } from '../../../src/schema/bench.js';
import { readBenchFixture } from '../../helpers/fixtures.js';

const fixture = readBenchFixture('bench-result.json');
const [perRequest, pooled] = fixture.results as [StrategyResult, StrategyResult, StrategyResult];

/** An open-loop run at 10,000 requests/s that started `requests` of the 100,000 due in its 10 s window. */
function openLoop(run: StrategyResult, requests: number, over: Partial<StrategyResult['load']> = {}): StrategyResult {
  return {
    ...run,
    requests,
    errors: 0,
    errorsByKind: {},
    throughput: requests / 10,
    latency: { ...run.latency, p50: 3_328, max: 6_717 },
    load: {
      ...run.load,
      holdMeanMs: 30.37,
      requestedRate: 10_000,
      achievedRate: requests / 10,
      unstartedRequests: 100_000 - requests,
      ...over,
    },
  };
}

describe('an open loop that did not keep its rate', () => {
  it('per-request at 10,000 requests/s with 100 workers: a finding with how far it fell behind, and what keeps the rate', () => {
    const behind = {
      ...openLoop(perRequest, 32_916),
      generator: { eventLoopUtilization: 0.999, lagP99Ms: 7.3, wakeLateness: null, cpuMs: 10_400, cpuShare: 1.04 },
    };
    const [warning] = strategyWarnings(behind, 100);
    expect(warning).toMatchObject({ code: 'rate-not-held' });
    expect(warning!.message).toBe(
      'per-request: the open loop asked for 10,000 requests/s and got 3,292: ' +
        '67,084 of the 100,000 requests due in the window never started, ' +
        'and those that did took up to 6,717 ms counted from their due time (p50 3,328 ms)',
    );
    expect(warning!.remedy).toBe(
      'reuse connections (a pool, or one shared connection: see their rows); ' +
        'one per request cannot keep this rate with 100 workers, ' +
        "each request holding a worker 30.37 ms (connect, command, close), and opening them kept the client's " +
        'event loop 99.9 % busy (CPU 104 % of a core): a cost that a service opening a connection per request pays too',
    );
  });

  it('says nothing of a run that kept its schedule, of 1 % unstarted or less, or of a closed loop', () => {
    expect(strategyWarnings(openLoop(pooled, 100_000), 100)).toEqual([]);
    expect(strategyWarnings(openLoop(pooled, 99_000), 100)).toEqual([]);
    expect(strategyWarnings(openLoop(pooled, 98_999), 100).map((w) => w.code)).toEqual(['rate-not-held']);
    expect(strategyWarnings(pooled, 10)).toEqual([]);
    // A result written before the window ended on time has no count: nothing to judge.
    expect(
      fellBehind({
        ...openLoop(pooled, 10_000),
        load: { ...openLoop(pooled, 10_000).load, unstartedRequests: undefined },
      }),
    ).toBe(false);
  });

  it('compares no medians with a run behind its schedule, whose latencies are a backlog', () => {
    const [comparison] = compareStrategies([openLoop(perRequest, 32_916), openLoop(pooled, 100_000)]);
    expect(comparison!.throughputRatio).toBeCloseTo(100_000 / 32_916, 6);
    expect(comparison!.p50Ratio).toBeNull();
    expect(compareStrategies([perRequest, pooled])[0]!.p50Ratio).toBeCloseTo(
      perRequest.latency.p50 / pooled.latency.p50,
      6,
    );
  });
});
