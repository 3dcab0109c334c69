import { describe, expect, it } from 'vitest';
import { DEFAULT_CHART_TITLE, EMPTY_CHART_MESSAGE, renderPercentileChart } from '../../../src/report/ascii-chart.js';
import { formatTwoDigitMs } from '../../../src/format.js';
import { latencyCurves, type PercentileCurve } from '../../../src/report/chart-data.js';
import { colourStyle, plainStyle } from '../../../src/report/style.js';
import { readBenchFixture } from '../../helpers/fixtures.js';

const fixture = readBenchFixture('bench-result.json');
const sweepFixture = readBenchFixture('bench-sweep-result.json');
const fixtureCurves = latencyCurves(fixture);
const sweepCurves = latencyCurves(sweepFixture);

const ANSI = /\u001b\[/;

/** A curve shaped like percentileCurve's: 12 points per decade of 1/(1−p) up to `count`, then the maximum. */
function syntheticCurve(label: string, count: number, msAt: (tailFactor: number) => number): PercentileCurve {
  const points = [];
  for (let step = 0; step / 12 < Math.log10(count); step += 1) {
    const tailFactor = 10 ** (step / 12);
    points.push({ percentile: 100 * (1 - 1 / tailFactor), tailFactor, ms: msAt(tailFactor) });
  }
  points.push({ percentile: 100, tailFactor: count, ms: msAt(count) });
  return { label, points };
}

/** The chart's parts: title, plot rows, tick line, x labels and legend, and the column of the y axis. */
function parseChart(text: string) {
  const lines = text.split('\n');
  const tickIndex = lines.findIndex((line) => line.trimStart().startsWith('└'));
  expect(tickIndex, text).toBeGreaterThan(0);
  const tickLine = lines[tickIndex]!;
  return {
    lines,
    title: lines[0]!,
    plotRows: lines.slice(1, tickIndex),
    tickLine,
    xLabels: lines[tickIndex + 1]!,
    legend: lines.slice(tickIndex + 2).join('\n'),
    axisColumn: tickLine.indexOf('└'),
  };
}

/** The line character the legend shows for a label. */
function markerOf(legend: string, label: string): string {
  const match = new RegExp(`(\\S)\\1 ${label.replace(/[()]/g, '\\$&')}`).exec(legend);
  expect(match, `${label} in ${legend}`).not.toBeNull();
  return match![1]!;
}

function rowsContaining(rows: string[], char: string): number[] {
  return rows.flatMap((row, index) => (row.includes(char) ? [index] : []));
}

describe('renderPercentileChart with the fixture', () => {
  const text = renderPercentileChart(fixtureCurves, plainStyle);
  const chart = parseChart(text);

  it('starts with the title and names every strategy in the legend', () => {
    expect(chart.title).toBe(DEFAULT_CHART_TITLE);
    for (const curve of fixtureCurves) expect(chart.legend).toContain(curve.label);
  });

  it('draws the default 12 plot rows, each on the y axis', () => {
    expect(chart.plotRows).toHaveLength(12);
    for (const row of chart.plotRows) expect('┤┼').toContain(row[chart.axisColumn]);
  });

  it('labels p50, p90 and p99 from left to right, and max', () => {
    const columnOf = (label: string): number => chart.xLabels.search(new RegExp(`\\b${label.replace('.', '\\.')}\\b`));
    for (const label of ['p50', 'p90', 'p99', 'p99.9', 'max'])
      expect(columnOf(label), label).toBeGreaterThan(chart.axisColumn);
    expect(columnOf('p50')).toBeLessThan(columnOf('p90'));
    expect(columnOf('p90')).toBeLessThan(columnOf('p99'));
    expect(chart.xLabels).not.toContain('p99.99'); // 2,000 requests do not reach 1/(1−p) = 10,000
  });

  it('shows real milliseconds on the y axis, from the slowest maximum down', () => {
    const labelOf = (row: string): string => row.slice(0, chart.axisColumn).trim();
    const slowestMax = Math.max(...fixture.results.map((r) => r.latency.max));
    expect(labelOf(chart.plotRows[0]!)).toBe(formatTwoDigitMs(slowestMax));
    const labels = chart.plotRows.map((row) => Number(labelOf(row)));
    expect(labels[11]).toBeLessThan(0.1);
    for (let index = 1; index < labels.length; index += 1) expect(labels[index]).toBeLessThan(labels[index - 1]!);
  });

  it('has no ANSI codes in plain style, and colours the same chart otherwise', () => {
    expect(text).not.toMatch(ANSI);
    const colored = renderPercentileChart(fixtureCurves, colourStyle(true));
    expect(colored).toMatch(ANSI);
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(text);
  });

  it('fits in 80 columns at the default width', () => {
    for (const line of chart.lines) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('draws each strategy with its own line style', () => {
    const markers = fixtureCurves.map((curve) => markerOf(chart.legend, curve.label));
    expect(new Set(markers).size).toBe(fixtureCurves.length);
    for (const marker of markers) expect(chart.plotRows.join('\n')).toContain(marker);
  });

  it('follows the options', () => {
    const small = parseChart(
      renderPercentileChart(fixtureCurves, plainStyle, { width: 30, height: 6, title: 'Latency' }),
    );
    expect(small.title).toBe('Latency');
    expect(small.plotRows).toHaveLength(6);
    expect(small.tickLine.length).toBe(small.axisColumn + 30);
    for (const line of small.lines) expect(line.length, line).toBeLessThanOrEqual(small.axisColumn + 30);
  });
});

describe('renderPercentileChart with the sweep fixture', () => {
  const chart = parseChart(renderPercentileChart(sweepCurves, plainStyle));

  it('names all eight runs, wrapping the legend to the chart width', () => {
    expect(sweepCurves).toHaveLength(8);
    for (const curve of sweepCurves) expect(chart.legend).toContain(curve.label);
    for (const line of chart.lines) expect(line.length, line).toBeLessThanOrEqual(chart.tickLine.length);
  });

  it('adds p99 values to the legend when line styles repeat without colour', () => {
    expect(chart.legend).toContain(`per-request (p99 ${formatTwoDigitMs(sweepFixture.results[0]!.latency.p99)} ms)`);
  });

  it('reaches p99.99 with more than 10,000 requests in a run', () => {
    expect(Math.max(...sweepFixture.results.map((r) => r.latency.count))).toBeGreaterThan(10_000);
    expect(chart.xLabels).toMatch(/p99\.99\b/);
  });
});

describe('renderPercentileChart geometry', () => {
  it('draws a slower curve higher', () => {
    for (const order of [
      ['fast', 'slow'],
      ['slow', 'fast'],
    ]) {
      const curves = order.map((label) => syntheticCurve(label, 1000, () => (label === 'slow' ? 100 : 1)));
      const chart = parseChart(renderPercentileChart(curves, plainStyle));
      const slowRows = rowsContaining(chart.plotRows, markerOf(chart.legend, 'slow'));
      const fastRows = rowsContaining(chart.plotRows, markerOf(chart.legend, 'fast'));
      expect(slowRows).toEqual([0]);
      expect(fastRows).toEqual([chart.plotRows.length - 1]);
      expect(chart.plotRows[0]!.slice(0, chart.axisColumn).trim()).toBe('100');
      expect(chart.plotRows.at(-1)!.slice(0, chart.axisColumn).trim()).toBe('1');
    }
  });

  it('puts percentile ticks and steps at their columns on the 1/(1−p) scale', () => {
    // 10,000 requests span 4 decades over 41 columns: p90 at 10, p99 at 20, p99.9 at 30, max at 40.
    const curve = syntheticCurve('steps', 10_000, (tailFactor) => (tailFactor >= 100 ? 100 : 1));
    const chart = parseChart(renderPercentileChart([curve], plainStyle, { width: 41 }));
    const tickColumns = [...chart.tickLine].flatMap((char, column) =>
      char === '┬' ? [column - chart.axisColumn] : [],
    );
    expect(tickColumns).toEqual([3, 10, 20, 30, 40]); // p50 at log10(2) × 10 ≈ 3
    expect(chart.xLabels.indexOf('p99') + 1).toBe(chart.axisColumn + 20); // centred under its tick
    const top = chart.plotRows[0]!;
    expect(top.slice(chart.axisColumn + 1, chart.axisColumn + 20).trim()).toBe('');
    expect(top.indexOf('╭')).toBe(chart.axisColumn + 20); // the step up happens at p99
    expect(top.length).toBe(chart.axisColumn + 41); // and runs to the maximum
  });

  it('ends a curve with fewer requests where its data ends', () => {
    const long = syntheticCurve('long', 10_000, () => 1);
    const short = syntheticCurve('short', 100, () => 100);
    const chart = parseChart(renderPercentileChart([long, short], plainStyle, { width: 41 }));
    const shortMarker = markerOf(chart.legend, 'short');
    const shortRow = chart.plotRows[rowsContaining(chart.plotRows, shortMarker)[0]!]!;
    expect(shortRow.lastIndexOf(shortMarker)).toBe(chart.axisColumn + 20);
    expect(shortRow.trimEnd().length).toBe(chart.axisColumn + 21);
  });
});

describe('renderPercentileChart without data', () => {
  const emptyCurve: PercentileCurve = { label: 'none', points: [{ percentile: 100, tailFactor: 1, ms: 0 }] };

  it('returns a one-line message for no curves or only empty ones', () => {
    expect(renderPercentileChart([], plainStyle)).toBe(EMPTY_CHART_MESSAGE);
    expect(renderPercentileChart([emptyCurve, { label: 'no points', points: [] }], plainStyle)).toBe(
      EMPTY_CHART_MESSAGE,
    );
    expect(EMPTY_CHART_MESSAGE).not.toContain('\n');
  });

  it('charts the curves with data and lists the empty ones', () => {
    const chart = parseChart(renderPercentileChart([emptyCurve, syntheticCurve('real', 100, () => 2)], plainStyle));
    expect(chart.plotRows).toHaveLength(12);
    expect(chart.legend).toContain('── real');
    expect(chart.legend).toContain('none (no data)');
  });
});
