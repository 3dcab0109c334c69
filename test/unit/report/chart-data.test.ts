import { describe, expect, it } from 'vitest';
import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { acquireWaitCurves, latencyCurves, percentileCurve } from '../../../src/report/chart-data.js';
import { benchCharts } from '../../../src/report/bench-html.js';
import { summarize } from '../../../src/histograms.js';
import { readBenchFixture } from '../../helpers/fixtures.js';

describe('percentileCurve', () => {
  it('reads the curve from the exact histogram: rising, ending at the maximum, through the summary percentiles', () => {
    const run = readBenchFixture('bench-result.json').results[1]!;
    const curve = percentileCurve(run.label, run.latency);
    const points = curve.points;
    for (let i = 1; i < points.length; i++) {
      expect(points[i]!.tailFactor).toBeGreaterThan(points[i - 1]!.tailFactor);
      expect(points[i]!.ms).toBeGreaterThanOrEqual(points[i - 1]!.ms);
    }
    expect(points.at(-1)).toEqual({ percentile: 100, tailFactor: run.latency.count, ms: run.latency.max });
    // Twelve points per decade: 1/(1−p) = 2 is not on the grid, 10 (p90) and 100 (p99) are.
    const at = (tailFactor: number): number => points.find((p) => Math.abs(p.tailFactor - tailFactor) < 1e-9)!.ms;
    expect(at(10)).toBe(run.latency.p90);
    expect(at(100)).toBe(run.latency.p99);
  });

  it('stops where the sample can no longer tell percentiles apart', () => {
    const histogram = build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 3_600_000_000,
      numberOfSignificantValueDigits: 3,
    });
    for (let us = 1; us <= 100; us++) histogram.recordValue(us * 10);
    const curve = percentileCurve('hundred', summarize(histogram));
    // 100 values: 1/(1−p) up to 100 (two decades of 12 points) and the maximum.
    expect(curve.points).toHaveLength(2 * 12 + 1);
    expect(curve.points.at(-1)!.ms).toBe(1);
  });

  it('draws an empty histogram as one point at zero', () => {
    const empty = build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 3_600_000_000,
      numberOfSignificantValueDigits: 3,
    });
    const summary = {
      unit: 'ms' as const,
      count: 0,
      mean: 0,
      p50: 0,
      p90: 0,
      p99: 0,
      p999: 0,
      max: 0,
      hdr: encodeIntoCompressedBase64(empty),
    };
    expect(percentileCurve('none', summary).points).toEqual([{ percentile: 100, tailFactor: 1, ms: 0 }]);
  });
});

describe('the charts of a bench result', () => {
  it('take one curve per run, acquire waits of pooled runs only, bars from the runs and the sweep as measured beside predicted', () => {
    const result = readBenchFixture('bench-sweep-result.json');
    expect(latencyCurves(result).map((c) => c.label)).toEqual(result.results.map((r) => r.label));
    expect(acquireWaitCurves(result).map((c) => c.label)).toEqual(
      result.results.filter((r) => r.acquireWait).map((r) => r.label),
    );
    const charts = benchCharts(result);
    const throughput = charts.find((c) => c.title === 'Throughput');
    expect(throughput?.kind === 'bars' && throughput.series[0]!.values).toEqual(
      result.results.map((r) => r.throughput),
    );
    const sweep = charts.find((c) => c.kind === 'sweep');
    expect(sweep?.kind === 'sweep' && sweep.sweep).toEqual(result.sweep);
    // The tolerance the page marks disagreeing sizes with: the result's, or the tool's for a file without one.
    expect(sweep?.kind === 'sweep' && sweep.tolerance).toBe(0.03);
    expect(benchCharts(readBenchFixture('bench-result.json')).map((c) => c.kind)).not.toContain('sweep');
  });
});
