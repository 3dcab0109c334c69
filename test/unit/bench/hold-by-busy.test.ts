import { describe, expect, it } from 'vitest';
import { HOLD_GROWTH_LIMIT, holdContentionWarnings, summarizeHoldByBusy } from '../../../src/bench/run/hold-by-busy.js';
import type { StrategyResult } from '../../../src/schema/bench.js';
import { readBenchFixture } from '../../helpers/fixtures.js';

/** Occupancy by busy level: `meanMs[i]` is the mean hold with i + 1 busy, each level left by `holds` releases. */
function byBusy(meanMs: number[], holds = 100): { timeUs: number[]; releases: number[] } {
  return {
    timeUs: [0, ...meanMs.map((ms, i) => (ms * 1000 * holds) / (i + 1))],
    releases: [0, ...meanMs.map(() => holds)],
  };
}

describe('hold time by the number of busy connections', () => {
  it('lists each level with its mean, and fits the growth per busy connection', () => {
    const { holdByBusy: levels, holdGrowthPerBusy: growthPerBusy } = summarizeHoldByBusy(byBusy([0.5, 0.6, 0.7, 0.8]));
    expect(levels.map((l) => [l.busy, l.holds, l.meanMs])).toEqual([
      [1, 100, 0.5],
      [2, 100, 0.6],
      [3, 100, 0.7],
      [4, 100, 0.8],
    ]);
    // +0.1 ms per busy connection against 0.5 ms with one busy.
    expect(growthPerBusy).toBeCloseTo(0.2, 10);
  });

  it('is null with one level, and flat holds grow by nothing', () => {
    expect(summarizeHoldByBusy(byBusy([0.5])).holdGrowthPerBusy).toBeNull();
    expect(summarizeHoldByBusy(byBusy([0.5, 0.5, 0.5])).holdGrowthPerBusy).toBeCloseTo(0, 10);
  });

  it('leaves levels with too few holds out of the fit (their mean is noise)', () => {
    const holds = byBusy([0.5, 0.5, 0.5]);
    holds.timeUs.push((50 * 1000 * 2) / 4);
    holds.releases.push(2);
    const { holdByBusy: levels, holdGrowthPerBusy: growthPerBusy } = summarizeHoldByBusy(holds);
    expect(levels).toHaveLength(4);
    expect(growthPerBusy).toBeCloseTo(0, 10);
  });
});

describe('the holds-depend-on-load warning', () => {
  const run = readBenchFixture('bench-sweep-generator-result.json').results.find((r) => r.strategy === 'pooled')!;
  const withGrowth = (meanMs: number[]): StrategyResult => {
    const { holdByBusy: levels, holdGrowthPerBusy: growthPerBusy } = summarizeHoldByBusy(byBusy(meanMs));
    return { ...run, load: { ...run.load, holdByBusy: levels, holdGrowthPerBusy: growthPerBusy } };
  };

  it('fires when holds grow by more than the limit per busy connection, with the figures', () => {
    const [warning] = holdContentionWarnings(withGrowth([0.566, 0.538, 0.606, 0.724, 0.869]));
    expect(warning!.code).toBe('holds-depend-on-load');
    expect(warning!.message).toMatch(
      /a hold took 0\.566 ms with 1 connection\(s\) busy and 0\.869 ms with 5 \(1\d(\.\d)? % longer per busy connection\)/,
    );
    expect(warning!.remedy).toMatch(/--rtt/);
  });

  it('says when busy connections were served one at a time (holds in proportion to the busy count), and only then', () => {
    const [serial] = holdContentionWarnings(withGrowth([0.156, 0.3, 0.47, 0.62, 0.8, 1.013]));
    expect(serial!.message).toMatch(
      /with 6 busy the releases came only 0\.92× as fast as with 1, so the requests were served nearly one at a time by a saturated CPU/,
    );
    const [sharing] = holdContentionWarnings(withGrowth([0.566, 0.538, 0.606, 0.724, 0.869]));
    expect(sharing!.message).not.toMatch(/one at a time/);
  });

  it('stays silent for holds that hardly depend on the load, and for results without the figures', () => {
    const flat = [0.5, 0.5 * (1 + HOLD_GROWTH_LIMIT / 2), 0.5 * (1 + HOLD_GROWTH_LIMIT)];
    expect(holdContentionWarnings(withGrowth(flat))).toEqual([]);
    expect(holdContentionWarnings(run)).toEqual([]);
  });
});
