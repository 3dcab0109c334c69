import asciichart from 'asciichart';
import type { PercentileCurve, PercentilePoint } from './chart-data.js';
import { cycle, labelLine, MIN_CHART_MS, placeLabels, wrapEntries, type AxisLabel } from './chart-parts.js';
import { formatTwoDigitMs } from '../format.js';
import type { Style } from './style.js';

/** The terminal percentile chart of `bench --chart`: latency (log ms) against percentile (log 1/(1−p)). */
export interface PercentileChartOptions {
  /** Plot columns, the first on the y axis (p0). */
  width?: number;
  /** Plot rows. */
  height?: number;
  title?: string;
}

export const DEFAULT_CHART_TITLE = 'Request latency by percentile (ms, log scale)';
export const EMPTY_CHART_MESSAGE = 'No latency data to chart.';
const DEFAULT_WIDTH = 64;
const DEFAULT_HEIGHT = 12;
/** A flat chart still spans a decade, so its y labels stay distinct. */
const MIN_DECADES = 1;
/** Tolerance for log10 of tail factors computed as 10 ** (step / 12). */
const LOG_EPSILON = 1e-9;

/** asciichart's symbols: [axis ┼, axis ┤, unused, unused, horizontal, ╰, ╭, ╮, ╯, vertical]. */
type SymbolSet = [string, string, string, string, string, string, string, string, string, string];
const AXIS = '┤';
const AXIS_CROSS = '┼';

/** One line style per series, so curves stay apart without colour (asciichart draws every series alike). */
const SYMBOL_SETS: SymbolSet[] = [
  [AXIS_CROSS, AXIS, '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'],
  [AXIS_CROSS, AXIS, '╶', '╴', '━', '┗', '┏', '┓', '┛', '┃'],
  [AXIS_CROSS, AXIS, '╶', '╴', '═', '╚', '╔', '╗', '╝', '║'],
  [AXIS_CROSS, AXIS, '╶', '╴', '┄', '╰', '╭', '╮', '╯', '┆'],
  [AXIS_CROSS, AXIS, '╶', '╴', '┈', '╰', '╭', '╮', '╯', '┊'],
];

const SERIES_COLORS = [
  asciichart.cyan,
  asciichart.magenta,
  asciichart.yellow,
  asciichart.green,
  asciichart.blue,
  asciichart.red,
  asciichart.lightcyan,
  asciichart.lightmagenta,
];

interface ChartCurve {
  label: string;
  /** log10(tailFactor) of each point, ascending. */
  positions: number[];
  /** log10(ms) of each point, ms clamped to MIN_CHART_MS. */
  logMs: number[];
}

interface Series {
  curve: ChartCurve;
  /** One log10(ms) per column from p0; shorter than the chart when the curve has fewer requests. */
  values: number[];
  symbols: SymbolSet;
  color: string | undefined;
}

interface YRange {
  min: number;
  max: number;
}

export function renderPercentileChart(
  curves: PercentileCurve[],
  style: Style,
  options: PercentileChartOptions = {},
): string {
  const width = Math.max(2, Math.round(options.width ?? DEFAULT_WIDTH));
  const height = Math.max(2, Math.round(options.height ?? DEFAULT_HEIGHT));
  const chartCurves = curves.filter(hasLatency).map(toChartCurve);
  if (chartCurves.length === 0) return EMPTY_CHART_MESSAGE;

  const colored = style.level > 0;
  const maxPosition = Math.max(...chartCurves.map(lastPosition));
  const series = chartCurves.map((curve, index) => ({
    curve,
    values: resample(curve, width, maxPosition),
    symbols: cycle(SYMBOL_SETS, index),
    color: colored ? cycle(SERIES_COLORS, index) : undefined,
  }));
  const plotLines = plotSeries(series, yRangeOf(series), height);
  const axisColumn = findAxisColumn(plotLines);
  const lineWidth = axisColumn + width;
  const withValues = !colored && series.length > SYMBOL_SETS.length;
  const empty = curves.filter((curve) => !hasLatency(curve)).map((curve) => curve.label);
  return [
    style.bold(options.title ?? DEFAULT_CHART_TITLE),
    ...plotLines,
    ...xAxisLines(axisColumn, width, maxPosition),
    ...legendLines(series, empty, withValues, lineWidth),
  ].join('\n');
}

function hasLatency(curve: PercentileCurve): boolean {
  return curve.points.some((point) => point.ms > 0);
}

function toChartCurve(curve: PercentileCurve): ChartCurve {
  return {
    label: curve.label,
    positions: curve.points.map((point) => Math.log10(Math.max(1, point.tailFactor))),
    logMs: curve.points.map(logMs),
  };
}

function logMs(point: PercentilePoint): number {
  return Math.log10(Math.max(MIN_CHART_MS, point.ms));
}

function lastPosition(curve: ChartCurve): number {
  return curve.positions.at(-1) ?? 0;
}

/** The x position of each column: evenly spaced in log10(1/(1−p)) from 0 (p0) to the largest curve's end. */
function columnPosition(column: number, width: number, maxPosition: number): number {
  return (maxPosition * column) / (width - 1);
}

function nearestColumn(position: number, width: number, maxPosition: number): number {
  return maxPosition > 0 ? Math.round((position / maxPosition) * (width - 1)) : width - 1;
}

/**
 * Step interpolation (latency percentiles are step functions): a column takes the curve's last point at or left of
 * it. A curve with fewer requests ends at its own maximum's column; its series is just shorter, because
 * asciichart 1.5.25 does not skip NaN (a NaN breaks its min/max and it throws) but draws series of any length.
 */
function resample(curve: ChartCurve, width: number, maxPosition: number): number[] {
  const lastColumn = nearestColumn(lastPosition(curve), width, maxPosition);
  const values: number[] = [];
  for (let column = 0; column < lastColumn; column += 1) {
    values.push(valueAt(curve, columnPosition(column, width, maxPosition)));
  }
  values.push(curve.logMs.at(-1)!);
  return values;
}

function valueAt(curve: ChartCurve, position: number): number {
  let value = curve.logMs[0]!;
  for (let index = 0; index < curve.positions.length && curve.positions[index]! <= position + LOG_EPSILON; index += 1) {
    value = curve.logMs[index]!;
  }
  return value;
}

function yRangeOf(series: Series[]): YRange {
  const values = series.flatMap((s) => s.values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const shortfall = Math.max(0, MIN_DECADES - (max - min));
  return { min: min - shortfall / 2, max: max + shortfall / 2 };
}

/**
 * asciichart scales by itself, but its row count then depends on rounding. So values go in as row numbers
 * 1…height (1, not 0: asciichart marks the row of value 0 with ┼ on the axis) and the labels map rows back to ms.
 */
function plotSeries(series: Series[], range: YRange, height: number): string[] {
  const toRow = (logValue: number): number => 1 + ((logValue - range.min) / (range.max - range.min)) * (height - 1);
  const rowLabel = (row: number): string =>
    formatTwoDigitMs(10 ** (range.min + ((row - 1) / (height - 1)) * (range.max - range.min)));
  const labelWidth = Math.max(...Array.from({ length: height }, (_, index) => rowLabel(index + 1).length));
  const plots = series.map((s) =>
    asciichart
      .plot(s.values.map(toRow), {
        min: 1,
        max: height,
        height: height - 1,
        symbols: s.symbols,
        colors: [s.color],
        format: (row) => rowLabel(row).padStart(labelWidth),
      })
      .split('\n'),
  );
  return overlay(plots);
}

/** Stacks plots drawn on the same axes: a later series covers an earlier one where both draw, as in one asciichart plot. */
function overlay(plots: string[][]): string[] {
  const [first, ...rest] = plots;
  return first!.map((line, row) => {
    const cells = toCells(line);
    for (const plot of rest) {
      toCells(plot[row] ?? '').forEach((cell, column) => {
        if (isDrawn(cell)) cells[column] = cell;
      });
    }
    return cells.join('').trimEnd();
  });
}

/** One cell per screen column: a character with the colour codes asciichart wraps it in, if any. */
function toCells(line: string): string[] {
  return line.match(/\u001b\[\d+m[^\u001b]\u001b\[0m|[^\u001b]/g) ?? [];
}

function isDrawn(cell: string): boolean {
  return cell !== ' ' && cell !== AXIS;
}

/** The screen column of asciichart's y axis, measured because it depends on the label width and its offset. */
function findAxisColumn(plotLines: string[]): number {
  const line = stripAnsi(plotLines[0] ?? '');
  const column = line.search(/[┤┼]/);
  if (column < 0) throw new Error('asciichart output has no y axis');
  return column;
}

function stripAnsi(text: string): string {
  return text.replace(/\u001b\[\d+m/g, '');
}

/** A tick line under the plot and the percentile names under their ticks; the maximum wins where labels collide. */
function xAxisLines(axisColumn: number, width: number, maxPosition: number): string[] {
  const placed = placeLabels([{ text: 'max', column: width - 1 }, ...percentileLabels(width, maxPosition)], width);
  const ticks = Array.from({ length: width }, (_, column): string => (column === 0 ? '└' : '─'));
  for (const { label } of placed) ticks[label.column] = '┬';
  const indent = ' '.repeat(axisColumn);
  return [indent + ticks.join(''), (indent + labelLine(placed, width)).trimEnd()];
}

/** p50, p90, p99, p99.9, … as far as the longest curve reaches. */
function percentileLabels(width: number, maxPosition: number): AxisLabel[] {
  const labels: AxisLabel[] = [];
  const add = (text: string, position: number): void => {
    if (position <= maxPosition + LOG_EPSILON)
      labels.push({ text, column: nearestColumn(position, width, maxPosition) });
  };
  add('p50', Math.log10(2));
  for (let nines = 1; nines <= maxPosition + LOG_EPSILON; nines += 1) add(`p${ninesPercentile(nines)}`, nines);
  return labels;
}

/** The percentile with 1/(1−p) = 10^nines, written without float noise: 90, 99, 99.9, 99.99. */
function ninesPercentile(nines: number): string {
  return nines === 1 ? '90' : `99${nines > 2 ? `.${'9'.repeat(nines - 2)}` : ''}`;
}

/** Each curve's line style (and colour) with its label, wrapped to the chart's width. */
function legendLines(series: Series[], empty: string[], withValues: boolean, lineWidth: number): string[] {
  const entries = [
    ...series.map(
      (s) =>
        `${legendMarker(s)} ${s.curve.label}${withValues ? ` (p99 ${formatTwoDigitMs(10 ** valueAt(s.curve, 2))} ms)` : ''}`,
    ),
    ...empty.map((label) => `   ${label} (no data)`),
  ];
  return wrapEntries(entries, lineWidth);
}

function legendMarker(s: Series): string {
  return asciichart.colored(s.symbols[4].repeat(2), s.color);
}
