import { describe, expect, it } from 'vitest';
import { toBmf, toGab, toHgrm } from '../../../src/report/exports.js';
import { readBenchFixture } from '../../helpers/fixtures.js';

const fixture = readBenchFixture('bench-result.json');

describe('exports', () => {
  it('github-action-benchmark: latency is smaller-is-better, throughput bigger-is-better, each parsed back', () => {
    const gab = JSON.parse(JSON.stringify(toGab(fixture))) as ReturnType<typeof toGab>;
    expect(gab.smallerIsBetter).toHaveLength(fixture.results.length * 2);
    for (const entry of [...gab.smallerIsBetter, ...gab.biggerIsBetter]) {
      expect(Object.keys(entry).sort()).toEqual(['extra', 'name', 'unit', 'value']);
      expect(typeof entry.value).toBe('number');
    }
    const pooled = fixture.results[1]!;
    expect(gab.smallerIsBetter).toContainEqual({
      name: `${pooled.label} latency p99`,
      unit: 'ms',
      value: pooled.latency.p99,
      extra: `${pooled.latency.count} requests`,
    });
    expect(gab.biggerIsBetter).toContainEqual({
      name: `${pooled.label} throughput`,
      unit: 'requests/s',
      value: pooled.throughput,
      extra: `${pooled.errors} errors`,
    });
  });

  it('Bencher Metric Format: latency in nanoseconds with the p99 as its upper value', () => {
    const bmf = JSON.parse(JSON.stringify(toBmf(fixture))) as ReturnType<typeof toBmf>;
    expect(Object.keys(bmf)).toEqual(fixture.results.map((r) => r.label));
    const perRequest = fixture.results[0]!;
    expect(bmf[perRequest.label]).toEqual({
      latency: {
        value: Math.round(perRequest.latency.p50 * 1e6),
        upper_value: Math.round(perRequest.latency.p99 * 1e6),
      },
      throughput: { value: perRequest.throughput },
    });
  });
});

describe('hgrm export', () => {
  it('writes one percentile distribution per strategy that parses back to the summary', () => {
    const files = toHgrm(fixture);
    expect([...files.keys()]).toEqual(['per-request.hgrm', 'pooled-max-10.hgrm', 'multiplexed-1-conn.hgrm']);
    fixture.results.forEach((r, i) => {
      const text = [...files.values()][i]!;
      expect(text.split('\n')[0]).toMatch(/^\s+Value\s+Percentile\s+TotalCount\s+1\/\(1-Percentile\)/);
      const rows = text
        .split('\n')
        .filter((line) => /^\s+\d/.test(line))
        .map((line) => line.trim().split(/\s+/).map(Number));
      // The last row is the 100th percentile with every request counted.
      const last = rows[rows.length - 1]!;
      expect(last[1]).toBe(1);
      expect(last[2]).toBe(r.latency.count);
      // The row at or just past the median reads the median (within HDR's 3 significant digits).
      const median = rows.find((row) => row[1]! >= 0.5)!;
      expect(median[0]).toBeCloseTo(r.latency.p50, 1);
    });
  });
});
