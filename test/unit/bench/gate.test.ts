import { describe, expect, it } from 'vitest';
import { applyGate, gateFailure, type MeasuredBench } from '../../../src/bench/gates/gate.js';
import type { BenchResult } from '../../../src/schema/bench.js';
import { readBenchFixture } from '../../helpers/fixtures.js';

/** The fixture as the runner hands it over: measured, with these thresholds, not judged. */
function measured(thresholds: string[] = []): MeasuredBench {
  const { thresholds: _, baseline: __, ...rest } = readBenchFixture('bench-result.json');
  return { ...rest, config: { ...rest.config, thresholds } };
}

/** The same runs, each `factor` times as fast (throughput) as the fixture's. */
function faster(factor: number): BenchResult {
  const result = readBenchFixture('bench-result.json');
  return { ...result, results: result.results.map((r) => ({ ...r, throughput: r.throughput * factor })) };
}

describe('the gate: thresholds and the baseline applied in one step after the run', () => {
  it('puts the verdicts and the comparison into the result, in the document order, warnings unchanged', () => {
    const run = measured(['pooled:latency:p(99)<100', '*:throughput:value>1000000']);
    const result = applyGate(run, { result: faster(1.5), file: 'before.json', maxRegressionPct: 10 });
    expect(Object.keys(result)).toEqual([
      'schema',
      'tool',
      'runId',
      'startedAt',
      'interrupted',
      'target',
      'machine',
      'config',
      'results',
      'sweep',
      'thresholds',
      'baseline',
      'warnings',
    ]);
    expect(result.thresholds.map((v) => [v.threshold, v.run, v.ok])).toEqual([
      ['pooled:latency:p(99)<100', 'pooled(max=10)', true],
      ['*:throughput:value>1000000', 'per-request', false],
      ['*:throughput:value>1000000', 'pooled(max=10)', false],
      ['*:throughput:value>1000000', 'multiplexed(1 conn)', false],
    ]);
    expect(result.baseline).toMatchObject({ file: 'before.json', maxRegressionPct: 10 });
    expect(result.baseline!.deltas.filter((d) => d.metric === 'throughput').every((d) => d.regressed)).toBe(true);
    expect(result.warnings).toEqual(run.warnings);
  });

  it('has no comparison without a baseline, and passes with nothing to check', () => {
    const result = applyGate(measured(), null);
    expect(result.thresholds).toEqual([]);
    expect(result.baseline).toBeNull();
    expect(gateFailure(result)).toBeNull();
  });

  it('says in one line which thresholds failed and which runs regressed (exit 99)', () => {
    const failedThreshold = applyGate(measured(['pooled:latency:p(99)<100', 'pooled:errors:count>5']), null);
    expect(gateFailure(failedThreshold)).toBe('1 of 2 threshold checks failed: pooled:errors:count>5');

    const regressed = applyGate(measured(['multiplexed:errors:count>5']), {
      result: faster(1.5),
      file: 'before.json',
      maxRegressionPct: 10,
    });
    expect(gateFailure(regressed)).toBe(
      '1 of 1 threshold checks failed: multiplexed:errors:count>5; ' +
        '3 regression(s) past 10 % against before.json: per-request throughput, ' +
        'pooled(max=10) throughput, multiplexed(1 conn) throughput',
    );

    expect(
      gateFailure(applyGate(measured(), { result: faster(1), file: 'same.json', maxRegressionPct: 10 })),
    ).toBeNull();
  });
});
