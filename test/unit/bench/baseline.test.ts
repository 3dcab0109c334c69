import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareWithBaseline } from '../../../src/bench/baseline.js';
import type { BenchResult } from '../../../src/report/bench-schema.js';
import { renderBenchMarkdown } from '../../../src/report/bench-markdown.js';
import { renderBenchTable } from '../../../src/report/bench-table.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/bench-result.json', import.meta.url), 'utf8')) as BenchResult;

describe('baselines', () => {
  it('finds no regression against itself', () => {
    const comparison = compareWithBaseline(fixture.results, fixture, 'base.json', 10);
    expect(comparison.deltas).toHaveLength(fixture.results.length * 3);
    expect(comparison.deltas.every((d) => d.regressionPct === 0 && !d.regressed)).toBe(true);
  });

  it('flags lower throughput and higher latency past the allowed regression, not within it', () => {
    const pooled = fixture.results[1]!;
    const worse = { ...pooled, throughput: pooled.throughput * 0.85, latency: { ...pooled.latency, p99: pooled.latency.p99 * 1.05 } };
    const comparison = compareWithBaseline([worse], fixture, 'base.json', 10);
    const byMetric = Object.fromEntries(comparison.deltas.map((d) => [d.metric, d]));
    expect(byMetric.throughput!.regressionPct).toBeCloseTo(15, 6);
    expect(byMetric.throughput!.regressed).toBe(true);
    expect(byMetric.p99!.regressionPct).toBeCloseTo(5, 6);
    expect(byMetric.p99!.regressed).toBe(false);
  });

  it('lists runs the baseline does not have', () => {
    const extra = { ...fixture.results[1]!, label: 'pooled(max=99)' };
    expect(compareWithBaseline([extra], fixture, 'base.json', 10)).toMatchObject({ deltas: [], unmatched: ['pooled(max=99)'] });
  });

  it('is shown in the table and the Markdown report', () => {
    const withBaseline = { ...fixture, baseline: compareWithBaseline(fixture.results, fixture, 'base.json', 10) };
    expect(renderBenchTable(withBaseline)).toContain('Against base.json (allowed regression 10 %)');
    expect(renderBenchMarkdown(withBaseline)).toContain('## Against the baseline `base.json`');
  });
});
