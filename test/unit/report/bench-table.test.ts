import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareStrategies } from '../../../src/bench/compare.js';
import type { BenchResult } from '../../../src/report/bench-schema.js';
import { describeComparison, renderBenchTable } from '../../../src/report/bench-table.js';
import { colourStyle, plainStyle } from '../../../src/report/style.js';

/** A real run's result (`bench --requests 2000 --concurrency 10 --warmup 200`), kept as a fixture. */
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/bench-result.json', import.meta.url), 'utf8')) as BenchResult;

describe('bench table', () => {
  const text = renderBenchTable(fixture);

  it('says what ran, where and on what machine', () => {
    expect(text).toContain(`Redis ${fixture.target.redisVersion} at ${fixture.target.url} (ephemeral)`);
    expect(text).toContain('10 workers, closed loop, 2,000 requests per strategy; GET of 64 B over 10,000 keys');
    expect(text).toContain(`Node ${fixture.machine.node}`);
  });

  it('has one row per strategy with its throughput and connections', () => {
    for (const r of fixture.results) {
      const row = text.split('\n').find((line) => line.startsWith(`│ ${r.label} `));
      expect(row, r.label).toBeDefined();
      expect(row).toContain(Math.round(r.throughput).toLocaleString('en-US'));
      expect(row).toContain(` ${r.connections.used.toLocaleString('en-US')} `);
    }
  });

  it('states the ratios against per-request', () => {
    const comparisons = compareStrategies(fixture.results);
    expect(comparisons.map((c) => c.strategy)).toEqual(['pooled(max=10)', 'multiplexed(1 conn)']);
    const pooled = fixture.results[1]!;
    const perRequest = fixture.results[0]!;
    expect(comparisons[0]!.throughputRatio).toBeCloseTo(pooled.throughput / perRequest.throughput, 10);
    expect(comparisons[0]!.connectionsRatio).toBeCloseTo(perRequest.connections.used / pooled.connections.used, 10);
    for (const c of comparisons) expect(text).toContain(describeComparison(c, plainStyle));
  });

  it('writes ratios the way people say them', () => {
    const line = describeComparison({ strategy: 'pooled', baseline: 'per-request', throughputRatio: 22.4, connectionsRatio: 40, p50Ratio: 0.5 }, plainStyle);
    expect(line).toBe('pooled: 22× the throughput of per-request, 1/40 of the connections, a median 2× slower');
  });

  it('colours only when asked, and marks partial results', () => {
    expect(text).not.toMatch(/\u001b\[/);
    expect(renderBenchTable(fixture, colourStyle(true))).toMatch(/\u001b\[/);
    expect(renderBenchTable({ ...fixture, interrupted: true })).toContain('Interrupted: these are partial results.');
  });
});
