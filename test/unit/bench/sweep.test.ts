import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSweep, measuredWaitProbability } from '../../../src/bench/sweep.js';
import type { BenchResult, StrategyResult } from '../../../src/report/bench-schema.js';
import { finiteSourceWait } from '../../../src/sizing/finite-source.js';
import { erlangC } from '../../../src/sizing/erlang-c.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/bench-result.json', import.meta.url), 'utf8')) as BenchResult;
const pooled = fixture.results.find((r) => r.strategy === 'pooled')!;

/** A pooled run of the fixture, re-labelled as one size of a sweep with the given pool counters and load. */
function run(size: number, waitCount: number, acquires: number, modelUtilization: number): StrategyResult {
  return {
    ...pooled,
    label: `pooled(max=${size})`,
    pool: { ...pooled.pool!, max: size, hits: acquires, misses: 0, timeouts: 0, exhausted: 0, waitCount },
    load: { ...pooled.load, holdMeanMs: 0.5, modelUtilization },
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
    expect(sweep).toMatchObject({ model: 'finite-source', workers: 20, holdMs: 0.5, formulaPoolSize: 2, modelPoolSize: 6 });
    expect(sweep.utilization).toBeCloseTo(0.1, 12);
    expect(sweep.rows.map((r) => r.waitProbability)).toEqual([0.5, 0.1, 0.01]);
    for (const row of sweep.rows) expect(row.predictedWaitProbability).toBeCloseTo(finiteSourceWait(20, 0.1, row.poolSize).waitProbability, 12);
  });

  it('uses Erlang C for an open loop', () => {
    const config = { ...fixture.config, poolSizes: [2, 4], load: { ...fixture.config.load, ratePerSec: 4000 } };
    const sweep = buildSweep(config, [run(2, 5, 10, 0.3), run(4, 1, 10, 0.3)])!;
    // 4000/s × 0.5 ms = 2 connections of offered load.
    expect(sweep.model).toBe('erlang-c');
    expect(sweep.rows[1]!.predictedWaitProbability).toBeCloseTo(erlangC(4, 2), 12);
    expect(sweep.rows[0]!.predictedWaitProbability).toBe(1);
  });

  it('is absent without a sweep', () => {
    expect(buildSweep(fixture.config, fixture.results)).toBeNull();
  });
});
