import { describe, expect, it } from 'vitest';
import { buildSweep, measuredWaitProbability, SWEEP_TOLERANCE } from '../../../src/bench/findings/sweep.js';
import type { StrategyResult } from '../../../src/schema/bench.js';
import { finiteSourceWait } from '../../../src/sizing/finite-source.js';
import { erlangC } from '../../../src/sizing/erlang-c.js';
import { readBenchFixture } from '../../helpers/fixtures.js';

const fixture = readBenchFixture('bench-result.json');
const pooled = fixture.results.find((r) => r.strategy === 'pooled')!;

/** A pooled run of the fixture, re-labelled as one size of a sweep with the given pool counters and load. */
function run(
  size: number,
  waitCount: number,
  acquires: number,
  modelUtilization: number,
  holdMeanMs = 0.5,
): StrategyResult {
  return {
    ...pooled,
    label: `pooled(max=${size})`,
    pool: { ...pooled.pool!, max: size, hits: acquires, misses: 0, timeouts: 0, exhausted: 0, waitCount },
    load: { ...pooled.load, holdMeanMs, modelUtilization },
  };
}

describe('sweeps', () => {
  it('measures P(wait) as the share of acquires that queued', () => {
    expect(measuredWaitProbability(run(2, 25, 100, 0.2))).toBe(0.25);
    expect(measuredWaitProbability(fixture.results[0]!)).toBe(0);
  });

  it('puts the finite-source prediction beside each closed-loop run', () => {
    const config = { ...fixture.config, concurrency: 20, poolSizes: [2, 4, 6] };
    const sweep = buildSweep(config, [run(2, 50, 100, 0.1), run(4, 10, 100, 0.1), run(6, 1, 100, 0.1)])!;
    expect(sweep).toMatchObject({
      model: 'finite-source',
      workers: 20,
      holdMs: 0.5,
      formulaPoolSize: 2,
      modelPoolSize: 6,
    });
    expect(sweep.utilization).toBeCloseTo(0.1, 12);
    expect(sweep.rows.map((r) => r.waitProbability)).toEqual([0.5, 0.1, 0.01]);
    for (const row of sweep.rows)
      expect(row.predictedWaitProbability).toBeCloseTo(finiteSourceWait(20, 0.1, row.poolSize).waitProbability, 12);
  });

  it('uses Erlang C for an open loop', () => {
    const config = { ...fixture.config, poolSizes: [2, 4], load: { ...fixture.config.load, ratePerSec: 4000 } };
    const sweep = buildSweep(config, [run(2, 5, 10, 0.3), run(4, 1, 10, 0.3)])!;
    // 4000/s × 0.5 ms = 2 connections of offered load.
    expect(sweep.model).toBe('erlang-c');
    expect(sweep.rows[1]!.predictedWaitProbability).toBeCloseTo(erlangC(4, 2), 12);
    expect(sweep.rows[0]!.predictedWaitProbability).toBe(1);
  });

  it("predicts each closed-loop row at that row's own measured u, and keeps the sweep's inputs as the means", () => {
    const config = { ...fixture.config, concurrency: 20, poolSizes: [3, 4] };
    const sweep = buildSweep(config, [run(3, 38, 100, 0.1, 0.4), run(4, 30, 100, 0.2, 0.6)])!;
    expect(sweep.rows.map((r) => r.utilization)).toEqual([0.1, 0.2]);
    expect(sweep.rows.map((r) => r.holdMs)).toEqual([0.4, 0.6]);
    expect(sweep.rows[0]!.predictedWaitProbability).toBeCloseTo(finiteSourceWait(20, 0.1, 3).waitProbability, 12);
    expect(sweep.rows[1]!.predictedWaitProbability).toBeCloseTo(finiteSourceWait(20, 0.2, 4).waitProbability, 12);
    expect(sweep.utilization).toBeCloseTo(0.15, 12);
    expect(sweep.holdMs).toBeCloseTo(0.5, 12);
  });

  it('gives each row its difference, measured − predicted, and marks it as agreeing within the tolerance of 3 points', () => {
    const config = { ...fixture.config, concurrency: 20, poolSizes: [3, 4, 5] };
    const predicted = (size: number): number => finiteSourceWait(20, 0.1, size).waitProbability;
    // Acquire counts chosen so that the measured shares sit just inside, just outside and far below the prediction.
    const within = Math.round((predicted(3) + 0.029) * 10_000);
    const beyond = Math.round((predicted(4) + 0.031) * 10_000);
    const sweep = buildSweep(config, [
      run(3, within, 10_000, 0.1),
      run(4, beyond, 10_000, 0.1),
      run(5, 0, 10_000, 0.1),
    ])!;
    expect(SWEEP_TOLERANCE).toBe(0.03);
    expect(sweep.tolerance).toBe(SWEEP_TOLERANCE);
    for (const row of sweep.rows)
      expect(row.difference).toBeCloseTo(row.waitProbability - row.predictedWaitProbability, 15);
    expect(sweep.rows[0]!.difference).toBeCloseTo(0.029, 4);
    expect(sweep.rows[1]!.difference).toBeCloseTo(0.031, 4);
    expect(sweep.rows[2]!.difference).toBeCloseTo(-predicted(5), 12);
    expect(sweep.rows.map((r) => r.agrees)).toEqual([true, false, predicted(5) <= 0.03]);
  });

  it("predicts each open-loop row with the rate × that row's own mean hold", () => {
    const config = { ...fixture.config, poolSizes: [3, 4], load: { ...fixture.config.load, ratePerSec: 4000 } };
    const sweep = buildSweep(config, [run(3, 5, 10, 1, 0.4), run(4, 1, 10, 1, 0.6)])!;
    // 4000/s × 0.4 ms = 1.6 connections of offered load; × 0.6 ms = 2.4.
    expect(sweep.rows[0]!.predictedWaitProbability).toBeCloseTo(erlangC(3, 1.6), 12);
    expect(sweep.rows[1]!.predictedWaitProbability).toBeCloseTo(erlangC(4, 2.4), 12);
    expect(sweep.holdMs).toBeCloseTo(0.5, 12);
  });

  it('is absent without a sweep', () => {
    expect(buildSweep(fixture.config, fixture.results)).toBeNull();
  });
});

describe('sweeps: the model fed with the holds measured at each load', () => {
  const config = {
    ...fixture.config,
    concurrency: 20,
    poolSizes: [4, 5],
    load: { ...fixture.config.load, ratePerSec: null },
  };
  const withLevels = (size: number, holdAt: (busy: number) => number): StrategyResult => {
    const base = run(size, 150, 1000, 0.1);
    const holdByBusy = Array.from({ length: size }, (_, i) => ({ busy: i + 1, holds: 200, meanMs: holdAt(i + 1) }));
    return { ...base, load: { ...base.load, thinkMeanMs: 4.5, holdByBusy } };
  };

  it('is the plain model when the holds do not depend on the load', () => {
    const sweep = buildSweep(config, [withLevels(4, () => 0.5), withLevels(5, () => 0.5)])!;
    for (const row of sweep.rows) {
      expect(row.loadDependentPredictedWaitProbability).toBeCloseTo(
        finiteSourceWait(20, 0.1, row.poolSize).waitProbability,
        10,
      );
      expect(row.loadDependentDifference).toBeCloseTo(
        row.waitProbability - row.loadDependentPredictedWaitProbability!,
        12,
      );
    }
  });

  it('predicts more waiting where the holds grow with the number of busy connections', () => {
    const sweep = buildSweep(config, [withLevels(4, (busy) => 0.5 * (1 + 0.15 * (busy - 1)))])!;
    const [row] = sweep.rows;
    expect(row!.loadDependentPredictedWaitProbability!).toBeGreaterThan(
      finiteSourceWait(20, 0.1, 4).waitProbability + 0.01,
    );
  });

  it('is absent for a result without holds by load (older files, open loop)', () => {
    const sweep = buildSweep(config, [run(4, 150, 1000, 0.1)])!;
    expect(sweep.rows[0]!.loadDependentPredictedWaitProbability).toBeUndefined();
  });
});
