import { describe, expect, it } from 'vitest';
import { CURVE_CHART_TITLE, EMPTY_CURVE_CHART_MESSAGE, renderCapacityChart } from '../../../src/report/curve-chart.js';
import { visibleWidth } from '../../../src/report/layout.js';
import { colourStyle, plainStyle } from '../../../src/report/style.js';
import type { CapacityCurve, CapacityRow } from '../../../src/schema/bench.js';
import { readBenchFixture } from '../../helpers/fixtures.js';

// per-request (knee 500) and pooled(max=50) (knee 4,000) at 500, 4,000 and 16,000 req/s with p99<5ms.
const fixtureCurves = readBenchFixture('bench-curve-result.json').capacity!;

const ANSI = /\u001b\[/;
const POINT = /[●■▲◆▼★]/g;

function row(offeredRatePerSec: number, p99Ms: number): CapacityRow {
  return {
    offeredRatePerSec,
    achievedRatePerSec: offeredRatePerSec,
    p50Ms: p99Ms / 4,
    p90Ms: p99Ms / 2,
    p99Ms,
    p999Ms: p99Ms * 2,
    errors: 0,
    generatorSaturated: false,
    acquireWaitP99Ms: null,
    busyConnections: null,
    misses: [],
  };
}

function curve(label: string, rows: CapacityRow[], kneeRatePerSec: number | null, slo = ['p99<5ms']): CapacityCurve {
  return { strategy: 'pooled', label, slo, kneeRatePerSec, rows };
}

interface PlottedPoint {
  glyph: string;
  /** Index among the plot's rows, 0 at the top. */
  row: number;
  /** The step, by the nearest tick of the x axis. */
  slot: number;
  /** Columns from that tick: each strategy has its own. */
  offset: number;
}

/** The chart's parts: the plot rows (title to tick line), the x labels, the legend, and every point plotted. */
function parseChart(text: string) {
  const lines = text.split('\n');
  const tickIndex = lines.findIndex((line) => /^\s*└/.test(line));
  expect(tickIndex, text).toBeGreaterThan(0);
  const plotStart = lines.findIndex((line) => /[┤│]/.test(line));
  const plotRows = lines.slice(plotStart, tickIndex);
  const ticks = [...lines[tickIndex]!].flatMap((char, column) => (char === '┬' ? [column] : []));
  const points = plotRows.flatMap((line, rowIndex) =>
    [...line.matchAll(POINT)].map((match): PlottedPoint => {
      const distances = ticks.map((tick) => Math.abs(tick - match.index));
      const slot = distances.indexOf(Math.min(...distances));
      return { glyph: match[0], row: rowIndex, slot, offset: match.index - ticks[slot]! };
    }),
  );
  return {
    lines,
    plotRows,
    ticks,
    xLabels: lines[tickIndex + 1]!,
    legend: lines.slice(tickIndex + 2).join('\n'),
    points,
  };
}

function pointAt(points: PlottedPoint[], slot: number, offset: number): PlottedPoint {
  const found = points.filter((p) => p.slot === slot && p.offset === offset);
  expect(found, `one point at slot ${slot}, offset ${offset}`).toHaveLength(1);
  return found[0]!;
}

describe('renderCapacityChart with the real curve', () => {
  const chart = parseChart(renderCapacityChart(fixtureCurves, plainStyle, { width: 80 }));

  it('starts with its title and draws one slot per step, labelled with its rate', () => {
    expect(chart.lines[0]).toBe(CURVE_CHART_TITLE);
    expect(chart.ticks).toHaveLength(3);
    expect(chart.xLabels.trim().split(/\s+/)).toEqual(['500', '4,000', '16,000']);
  });

  it('plots each step in its strategy’s own column of the step’s slot, the knee as a star', () => {
    expect(chart.points).toHaveLength(6);
    // Two strategies: per-request left of each tick, pooled right of it.
    const perRequest = [0, 1, 2].map((slot) => pointAt(chart.points, slot, -1).glyph);
    const pooled = [0, 1, 2].map((slot) => pointAt(chart.points, slot, 1).glyph);
    expect(perRequest).toEqual(['★', '●', '●']);
    expect(pooled).toEqual(['■', '★', '■']);
  });

  it('puts higher p99s on higher rows, and the p99<5ms line between the steps under 5 ms and those over it', () => {
    const lineRow = chart.plotRows.findIndex((line) => line.includes('┄') && line.endsWith(' p99<5ms'));
    expect(lineRow).toBeGreaterThan(0);
    const placed = fixtureCurves.flatMap((c, strategy) =>
      c.rows.map((r, slot) => ({ p99Ms: r.p99Ms, row: pointAt(chart.points, slot, strategy === 0 ? -1 : 1).row })),
    );
    for (const point of placed) {
      if (point.p99Ms < 5) expect(point.row, `${point.p99Ms} ms`).toBeGreaterThan(lineRow);
      else expect(point.row, `${point.p99Ms} ms`).toBeLessThan(lineRow);
    }
    const byLatency = [...placed].sort((a, b) => a.p99Ms - b.p99Ms).map((p) => p.row);
    expect(byLatency).toEqual([...byLatency].sort((a, b) => b - a));
    // 726 ms and 1.7 s: the per-request steps past its knee, two decades above the line.
    expect(lineRow - pointAt(chart.points, 1, -1).row).toBeGreaterThanOrEqual(4);
  });

  it('labels the log axis with its decades', () => {
    const labels = chart.plotRows.map((line) => line.split(/[┤│]/)[0]!.trim()).filter((label) => label !== '');
    for (const decade of ['1', '10', '100', '1,000']) expect(labels).toContain(decade);
    const ends = chart.plotRows.map((line) => line.search(/[┤│]/));
    expect(new Set(ends).size).toBe(1);
  });

  it('names each strategy with its glyph and its knee, and the star', () => {
    expect(chart.legend).toBe('● per-request (knee 500/s)  ■ pooled(max=50) (knee 4,000/s)  ★ knee');
  });

  it.each([40, 80, 120])('keeps every line within %i columns, with colour too', (width) => {
    for (const style of [plainStyle, colourStyle(true)]) {
      const text = renderCapacityChart(fixtureCurves, style, { width });
      for (const line of text.split('\n')) expect(visibleWidth(line), line).toBeLessThanOrEqual(width);
    }
  });

  it('still shows every step, the objective and the first and last rates at 40 columns', () => {
    const narrow = parseChart(renderCapacityChart(fixtureCurves, plainStyle, { width: 40 }));
    expect(narrow.points).toHaveLength(6);
    expect(narrow.plotRows.join('\n')).toContain('p99<5ms');
    expect(narrow.xLabels).toMatch(/^\s*500\b.*\b16,000$/);
  });

  it('writes colour codes only when the style has colour, and a different colour per strategy', () => {
    expect(renderCapacityChart(fixtureCurves, plainStyle, {})).not.toMatch(ANSI);
    const coloured = renderCapacityChart(fixtureCurves, colourStyle(true), {});
    const colourOf = (glyph: string) => new RegExp(`\\u001b\\[(\\d+)m${glyph}`).exec(coloured)?.[1];
    expect(colourOf('●')).toBeDefined();
    expect(colourOf('■')).toBeDefined();
    expect(colourOf('●')).not.toBe(colourOf('■'));
  });
});

describe('renderCapacityChart with synthetic curves', () => {
  it('says (no knee) for a curve without one', () => {
    const text = renderCapacityChart(
      [curve('pooled(max=4)', [row(1000, 8), row(2000, 40)], null), curve('multiplexed', [row(1000, 1)], 1000)],
      plainStyle,
      { width: 80 },
    );
    expect(parseChart(text).legend).toContain('● pooled(max=4) (no knee)  ■ multiplexed (knee 1,000/s)');
  });

  it('leaves the star out of the legend when no curve has a knee', () => {
    const text = renderCapacityChart([curve('a', [row(1000, 8)], null)], plainStyle, { width: 80 });
    expect(parseChart(text).legend).not.toContain('★');
  });

  it('keeps a step just under the limit under its line and one at the limit over it, whatever the rounding', () => {
    const chart = parseChart(
      renderCapacityChart([curve('a', [row(1000, 4.9), row(2000, 5), row(3000, 5.1)], null)], plainStyle, {}),
    );
    const lineRow = chart.plotRows.findIndex((line) => line.includes('p99<5ms'));
    const rowOf = (slot: number) => chart.points.find((p) => p.slot === slot)!.row;
    expect(rowOf(0)).toBeGreaterThan(lineRow);
    expect(rowOf(1)).toBeLessThan(lineRow);
    expect(rowOf(2)).toBeLessThan(lineRow);
  });

  it('draws only the objectives on p99, and says which it did not draw', () => {
    const objectives = ['p99<5ms', 'p50<1ms', 'p99.9<20ms'];
    const text = renderCapacityChart([curve('a', [row(1000, 2), row(2000, 9)], 1000, objectives)], plainStyle, {
      width: 80,
    });
    const chart = parseChart(text);
    expect(chart.plotRows.filter((line) => line.includes('┄'))).toHaveLength(1);
    expect(chart.legend).toContain('p50<1ms, p99.9<20ms not drawn: the chart shows p99');
    expect(renderCapacityChart(fixtureCurves, plainStyle, {})).not.toContain('not drawn');
  });

  it('spans a decade at least, for a flat curve', () => {
    const chart = parseChart(renderCapacityChart([curve('a', [row(1000, 2), row(2000, 2.1)], 2000)], plainStyle, {}));
    const labels = chart.plotRows.map((line) => Number(line.split(/[┤│]/)[0]!.trim())).filter((n) => n > 0);
    expect(Math.max(...labels) / Math.min(...labels)).toBeGreaterThanOrEqual(10);
  });

  it('keeps the first and last of many rates, skips labels that would touch, and fits 40 columns', () => {
    const rates = Array.from({ length: 30 }, (_, i) => 2000 * (i + 1));
    const curves = ['a', 'b', 'c'].map((label, s) =>
      curve(
        label,
        rates.map((rate, i) => row(rate, (s + 1) * 1.2 ** i)),
        rates[4 + s]!,
      ),
    );
    for (const width of [40, 80, 120]) {
      const text = renderCapacityChart(curves, plainStyle, { width });
      const chart = parseChart(text);
      expect(chart.ticks).toHaveLength(30);
      const labels = chart.xLabels.trim().split(/\s+/);
      expect(labels[0]).toBe('2,000');
      expect(labels.at(-1)).toBe('60,000');
      expect(labels.length).toBeLessThan(30);
      for (const label of labels) expect(label).toMatch(/^\d{1,3}(,\d{3})*$/); // no two labels run together
      for (const line of text.split('\n')) expect(visibleWidth(line), line).toBeLessThanOrEqual(width);
    }
  });

  it('is one line when there is no step to draw', () => {
    expect(renderCapacityChart([], plainStyle, {})).toBe(EMPTY_CURVE_CHART_MESSAGE);
    expect(renderCapacityChart([curve('a', [], null)], plainStyle, {})).toBe(EMPTY_CURVE_CHART_MESSAGE);
  });
});
