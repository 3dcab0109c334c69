import { describe, expect, it } from 'vitest';
import { compareStrategies } from '../../../src/report/compare.js';
import { describeComparison, renderBenchTable } from '../../../src/report/bench-terminal.js';
import { colourStyle, plainStyle } from '../../../src/report/style.js';
import { generatorWarnings } from '../../../src/bench/findings/generator-health.js';
import { HEALTHY_GENERATOR, readBenchFixture, withGenerator } from '../../helpers/fixtures.js';

/** A real run's result (`bench --requests 2000 --concurrency 10 --warmup 200`), kept as a fixture. */
const fixture = readBenchFixture('bench-result.json');

describe('bench table', () => {
  const text = renderBenchTable(fixture);

  it('says what ran, where and on what machine', () => {
    expect(text).toContain(`Redis ${fixture.target.redisVersion} at ${fixture.target.url} (ephemeral)`);
    expect(text).toContain('10 workers, closed loop, 2,000 requests per strategy; GET of 64 B over 10,000 keys');
    expect(text).toContain(`Node ${fixture.machine.node}`);
  });

  it("says what a run's length is for: each strategy, each step of a curve, each run of a sweep", () => {
    const oneLine = (result: typeof fixture): string => renderBenchTable(result).replace(/\s+/g, ' ');
    expect(oneLine(readBenchFixture('bench-curve-result.json'))).toMatch(/, 2 s per step; GET/);
    expect(oneLine(readBenchFixture('bench-sweep-result.json'))).toMatch(/ per run; GET/);
  });

  const rowsOf = (label: string): string[] => text.split('\n').filter((line) => line.startsWith(`│ ${label} `));

  it('answers first: one row per strategy with its throughput, median, tail, connections used / opened and errors', () => {
    for (const r of fixture.results) {
      const cells = rowsOf(r.label)[0]!
        .split('│')
        .map((cell) => cell.trim());
      expect(cells.slice(2, 7), r.label).toEqual([
        Math.round(r.throughput).toLocaleString('en-US'),
        expect.any(String),
        expect.any(String),
        `${r.connections.used.toLocaleString('en-US')} / ${r.connections.opened.toLocaleString('en-US')}`,
        String(r.errors),
      ]);
    }
  });

  it('says when each connection was opened, closed and accepted: setup (start + warm-up), window, end', () => {
    // Rows per run: the answer, the percentiles, the connections, hold and waits.
    const connectionsOf = (label: string): string[] =>
      rowsOf(label)[2]!
        .split('│')
        .map((cell) => cell.trim());
    // The fixture warmed up with 200 requests: the pool opened its 10 connections then, and closed them at the end.
    expect(connectionsOf('pooled(max=10)').slice(2, 8)).toEqual(['10', '10 / 0', '0 / 0 / 10', '10', '10 / 0', '10']);
    expect(connectionsOf('multiplexed(1 conn)').slice(2, 8)).toEqual(['1', '1 / 0', '0 / 0 / 1', '1', '1 / 0', '1']);
    expect(connectionsOf('per-request')[3]).toBe('200 / 2,000');
  });

  it('shows a utilization only where a request holds a connection exclusively', () => {
    const utilizationOf = (label: string): string =>
      rowsOf(label)[3]!
        .split('│')
        .map((cell) => cell.trim())[3]!;
    expect(utilizationOf('pooled(max=10)')).toMatch(/^\d+(\.\d)? %$/);
    expect(utilizationOf('per-request')).toMatch(/^\d+(\.\d)? %$/);
    expect(utilizationOf('multiplexed(1 conn)')).toBe('–');
  });

  it('prints a note as a note, not as a warning with a fix', () => {
    const note = fixture.warnings.find((w) => w.code === 'pool-busy-by-construction')!;
    expect(text).toContain(`note: ${note.message}. A bigger pool would only add idle connections;`);
    expect(text).not.toContain('warning: pooled(max=10)');
    expect(text).not.toMatch(/grow (it|the pool)/);
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
    const line = describeComparison(
      { strategy: 'pooled', baseline: 'per-request', throughputRatio: 22.4, connectionsRatio: 40, p50Ratio: 0.5 },
      plainStyle,
    );
    expect(line).toBe('pooled: 22× the throughput of per-request, 1/40 of the connections, a median 2× slower');
  });

  it('colours only when asked, and marks partial results', () => {
    expect(text).not.toMatch(/\u001b\[/);
    expect(renderBenchTable(fixture, colourStyle(true))).toMatch(/\u001b\[/);
    expect(renderBenchTable({ ...fixture, interrupted: true })).toContain('Interrupted: these are partial results.');
  });
});

describe('bench table: the sweep and the load generator', () => {
  // The real sweep fixture (8 workers at u = 40 %, pools 1..6) with the generator's figures and per-row predictions.
  const result = withGenerator(readBenchFixture('bench-sweep-result.json'));
  const text = renderBenchTable(result);
  const sweepRow = (size: number): string[] =>
    text
      .split('\n')
      .find((line) => line.startsWith(`│ ${size} `))!
      .split('│')
      .map((cell) => cell.trim());

  it("puts each pool size's load, measured and predicted P(wait), their difference and a mark where they disagree", () => {
    expect(text).toContain('Pool-size sweep: measured waits beside the model');
    expect(sweepRow(3).slice(1, 9)).toEqual(['3', '27,330', '40 %', '0.079', '88 %', '65.9 %', '+22.1 pts', '✗']);
    expect(sweepRow(1).slice(7, 9)).toEqual(['0.0 pts', '✓']);
    expect(text).toContain(
      '2 of 6 rows agree with the model within ±3 pts (measured − predicted P(wait)); the worst difference is +62.2 pts, at pool 5 (✗).',
    );
    expect(text).toMatch(/Formula pool \(no buffer\): 4; model pool for ≤ 1 % waits: 7\./);
  });

  it("shows the generator's health per run, and nothing for a result written before it was measured", () => {
    expect(text).toContain('Load generator: how much it distorted the load');
    const row = text.split('\n').find((line) => line.startsWith('│ pooled(max=4) ') && line.includes('41,234'))!;
    expect(
      row
        .split('│')
        .map((cell) => cell.trim())
        .slice(2),
    ).toEqual(['93 %', '1.250', '41,234', '18', '47', '131', '2,480', '7,512', '93.9 %', '']);
    expect(renderBenchTable(readBenchFixture('bench-sweep-result.json'))).not.toContain('Load generator');
  });

  it('prints the generator-saturated warning with its remedy', () => {
    const late = withGenerator(readBenchFixture('bench-sweep-result.json'), (run) => ({
      ...HEALTHY_GENERATOR,
      wakeLateness: { count: run.requests, p50Us: 900, p90Us: 1800, p99Us: 4000, maxUs: 9000 },
    }));
    const warnings = late.results.flatMap(generatorWarnings);
    // Bursts are judged where a pool has waits for the model to predict: the pooled runs.
    expect(warnings.length).toBe(late.results.filter((r) => r.strategy === 'pooled').length);
    const printed = renderBenchTable({ ...late, warnings });
    expect(printed).toContain(
      `warning: ${warnings[1]!.message}. Fix: give the generator less to do per hold: fewer workers (--concurrency)`,
    );
    expect(renderBenchTable({ ...late, warnings }, colourStyle(true))).toContain('\u001b[31m1,800');
  });
});

describe('bench table of a real sweep written by this version (generator measured, rows at their own load)', () => {
  const real = readBenchFixture('bench-sweep-generator-result.json');

  it('shows every row with its difference and verdict, and the generator table, from the stored figures', () => {
    const text = renderBenchTable(real, plainStyle);
    expect(text).toContain('Load generator');
    for (const row of real.sweep!.rows) {
      const points = (row.difference! * 100).toFixed(1);
      expect(text).toMatch(
        new RegExp(
          `│ ${row.poolSize} +│.*${points.startsWith('-') ? points : `\\+${points}`} pts │ +${row.agrees ? '✓' : '✗'} │`,
        ),
      );
    }
    const agreeing = real.sweep!.rows.filter((r) => r.agrees).length;
    expect(text).toContain(`${agreeing} of ${real.sweep!.rows.length} rows agree with the model`);
  });
});
