import { parseSlo, type Slo } from '../bench/gates/slo.js';
import { formatCount, formatRate, formatTwoDigitMs } from '../format.js';
import type { CapacityCurve } from '../schema/bench.js';
import { cycle, labelLine, MIN_CHART_MS, placeLabels, wrapEntries, type AxisLabel } from './chart-parts.js';
import { wrapLine } from './layout.js';
import type { Style } from './style.js';

/**
 * The terminal chart of `bench --chart` for a capacity curve: each step's p99 (log ms) at each offered rate, one
 * glyph per strategy, its knee a star, each p99 objective a dotted line. A scatter, not lines: a curve has a handful
 * of steps, and a line between two of them would draw latencies nobody measured.
 */
export interface CapacityChartOptions {
  /** The widest line, y labels included. */
  width?: number;
  /** Plot rows, about: the rows fall on a grid with the decades on it. */
  height?: number;
}

export const CURVE_CHART_TITLE = 'p99 latency (ms, log scale) at each offered rate (req/s)';
export const EMPTY_CURVE_CHART_MESSAGE = 'No capacity curve steps to chart.';
const DEFAULT_WIDTH = 80;
const DEFAULT_HEIGHT = 10;
/** Glyphs differ by shape, so strategies stay apart without colour. */
const GLYPHS = ['●', '■', '▲', '◆', '▼'];
const KNEE = '★';
const OBJECTIVE_LINE = '┄';
const COLORS = ['cyan', 'magenta', 'yellow', 'green', 'blue', 'red'] as const;
const CHARTED_PERCENTILE = 99;

interface Cell {
  char: string;
  paint?: (text: string) => string;
}

/** A plot row: a row of the grid, where row k·n is 10^n ms (k rows a decade), or an objective's line. */
interface PlotRow {
  label: string;
  cells: Cell[];
}

/** A p99 objective's line, drawn between grid row `below` and the one above it. */
interface ObjectiveLine {
  objective: Slo;
  below: number;
}

export function renderCapacityChart(
  curves: readonly CapacityCurve[],
  style: Style,
  options: CapacityChartOptions = {},
): string {
  const width = Number.isFinite(options.width) ? Math.round(options.width!) : DEFAULT_WIDTH;
  const height = Math.max(2, Math.round(options.height ?? DEFAULT_HEIGHT));
  if (curves.every((curve) => curve.rows.length === 0)) return EMPTY_CURVE_CHART_MESSAGE;

  const rates = [...new Set(curves.flatMap((curve) => curve.rows.map((row) => row.offeredRatePerSec)))].sort(
    (a, b) => a - b,
  );
  const { drawn, notDrawn } = objectivesOf(curves);
  const perDecade = rowsPerDecade(
    [...curves.flatMap((curve) => curve.rows.map((row) => row.p99Ms)), ...drawn.map((o) => o.limitMs)],
    height,
  );
  const gridPosition = (ms: number): number => Math.log10(Math.max(MIN_CHART_MS, ms)) * perDecade;
  // A limit on a grid row counts that row above its line: a step at the limit missed it.
  const lines = drawn.map((objective): ObjectiveLine => ({
    objective,
    below: Math.ceil(gridPosition(objective.limitMs) - 1e-9) - 1,
  }));
  const points = curves.flatMap((curve, strategy) =>
    curve.rows.map((row) => ({
      strategy,
      slot: rates.indexOf(row.offeredRatePerSec),
      grid: sideOfEachLine(Math.round(gridPosition(row.p99Ms)), row.p99Ms, lines),
      knee: row.offeredRatePerSec === curve.kneeRatePerSec,
    })),
  );
  const { bottom, top } = gridRange(
    [...points.map((p) => p.grid), ...lines.flatMap((line) => [line.below, line.below + 1])],
    perDecade,
  );
  const gridRows = Array.from({ length: top - bottom + 1 }, (_, i) => top - i);
  const labelWidth = Math.max(...gridRows.map((row) => axisMs(row, perDecade).length));
  const plotWidth = Math.max(1, width - labelWidth - 2);
  const { column, centre } = slotColumns(plotWidth, rates.length, curves.length);

  const dim = style.dim;
  const emptyCells = (): Cell[] => Array.from({ length: plotWidth }, () => ({ char: ' ' }));
  const grid = new Map<number, Cell[]>();
  const plotRows: PlotRow[] = [];
  for (const row of gridRows) {
    grid.set(row, emptyCells());
    plotRows.push({ label: axisMs(row, perDecade), cells: grid.get(row)! });
    const under = lines.filter((line) => line.below === row - 1);
    for (const { objective } of under.sort((a, b) => b.objective.limitMs - a.objective.limitMs))
      plotRows.push({ label: '', cells: objectiveCells(objective.text, plotWidth, dim) });
  }
  const paints = curves.map((_, strategy) => style[cycle(COLORS, strategy)]);
  for (const point of points) {
    grid.get(point.grid)![column(point.slot, point.strategy)] = {
      char: point.knee ? KNEE : cycle(GLYPHS, point.strategy),
      paint: paints[point.strategy],
    };
  }

  const ticks = Array.from({ length: plotWidth }, () => '─');
  for (const slot of rates.keys()) ticks[centre(slot)] = '┬';
  const xLabels = rates.map((rate, slot): AxisLabel => ({ text: formatRate(rate), column: centre(slot) }));
  // The first and the last rate always show; the others where they have room.
  const placed = placeLabels([xLabels[0]!, ...xLabels.slice(1).reverse()], plotWidth);
  const legend = [
    ...curves.map((curve, strategy) => {
      const knee = curve.kneeRatePerSec === null ? 'no knee' : `knee ${formatRate(curve.kneeRatePerSec)}/s`;
      return `${paints[strategy]!(cycle(GLYPHS, strategy))} ${curve.label} (${knee})`;
    }),
    ...(curves.some((curve) => curve.kneeRatePerSec !== null) ? [`${KNEE} knee`] : []),
  ];
  return [
    wrapLine(style.bold(CURVE_CHART_TITLE), width),
    ...plotRows.map(({ label, cells }) =>
      `${label.padStart(labelWidth)} ${label === '' ? '│' : '┤'}${renderCells(cells)}`.trimEnd(),
    ),
    `${' '.repeat(labelWidth + 1)}└${ticks.join('')}`,
    `${' '.repeat(labelWidth + 2)}${labelLine(placed, plotWidth)}`.trimEnd(),
    ...wrapEntries(legend, width),
    ...(notDrawn.length > 0
      ? [wrapLine(`${notDrawn.join(', ')} not drawn: the chart shows p${CHARTED_PERCENTILE}`, width)]
      : []),
  ].join('\n');
}

/** The objectives on p99, drawn as lines, and the texts of the others (and of any this version cannot read). */
function objectivesOf(curves: readonly CapacityCurve[]): { drawn: Slo[]; notDrawn: string[] } {
  const drawn: Slo[] = [];
  const notDrawn: string[] = [];
  for (const text of new Set(curves.flatMap((curve) => curve.slo))) {
    const objective = readObjective(text);
    if (objective?.percentile === CHARTED_PERCENTILE) drawn.push(objective);
    else notDrawn.push(text);
  }
  return { drawn, notDrawn };
}

function readObjective(text: string): Slo | null {
  try {
    return parseSlo(text);
  } catch {
    return null;
  }
}

/** Rows per decade for about `height` rows over the values' span (at least a decade), whole so decades fall on rows. */
function rowsPerDecade(valuesMs: readonly number[], height: number): number {
  const logs = valuesMs.map((ms) => Math.log10(Math.max(MIN_CHART_MS, ms)));
  const span = Math.max(1, Math.max(...logs) - Math.min(...logs));
  return Math.max(1, Math.round((height - 1) / span));
}

/**
 * A step's grid row, moved to the side of each objective's line that the step is on where rounding to the grid
 * crossed the line (one row at most): whether a step met the objective is the one thing the chart must not blur.
 */
function sideOfEachLine(grid: number, ms: number, lines: readonly ObjectiveLine[]): number {
  let row = grid;
  for (const { objective, below } of lines)
    row = ms < objective.limitMs ? Math.min(row, below) : Math.max(row, below + 1);
  return row;
}

/** The rows the chart spans: every value's, widened evenly to a decade at least. */
function gridRange(grids: readonly number[], perDecade: number): { bottom: number; top: number } {
  const bottom = Math.min(...grids);
  const top = Math.max(...grids);
  const shortfall = Math.max(0, perDecade - (top - bottom));
  // Not below the chart's floor, where nothing can be.
  const low = Math.max(Math.round(Math.log10(MIN_CHART_MS) * perDecade), bottom - Math.floor(shortfall / 2));
  return { bottom: low, top: Math.max(top, low + perDecade) };
}

/** A grid row's ms to two significant digits, thousands grouped: 0.46, 4.6, 46, 215, 2,200. */
function axisMs(grid: number, perDecade: number): string {
  const ms = 10 ** (grid / perDecade);
  return ms >= 1000 ? formatCount(Number(ms.toPrecision(2))) : formatTwoDigitMs(ms);
}

/**
 * Where each step's points go: the plot cut into equal slots, one per step, and in each slot one column per
 * strategy (a column apart where the slots are wide enough), centred. Slots narrower than the strategies (more
 * steps than the width takes) overlap their neighbours.
 */
function slotColumns(plotWidth: number, steps: number, strategies: number) {
  const slotStart = (slot: number): number => Math.floor((slot * plotWidth) / steps);
  const gap = Math.floor(plotWidth / steps) >= 2 * strategies - 1 ? 2 : 1;
  const groupWidth = (strategies - 1) * gap + 1;
  const groupStart = (slot: number): number =>
    slotStart(slot) + Math.floor((slotStart(slot + 1) - slotStart(slot) - groupWidth) / 2);
  return {
    column: (slot: number, strategy: number): number => clamp(groupStart(slot) + strategy * gap, 0, plotWidth - 1),
    centre: (slot: number): number => clamp(groupStart(slot) + Math.floor(groupWidth / 2), 0, plotWidth - 1),
  };
}

/** A dotted line across the plot, the objective's text at its right end where it fits. */
function objectiveCells(text: string, plotWidth: number, paint: Cell['paint']): Cell[] {
  const labelled = plotWidth >= text.length + 2;
  const lineWidth = labelled ? plotWidth - text.length - 1 : plotWidth;
  const cells: Cell[] = Array.from({ length: lineWidth }, () => ({ char: OBJECTIVE_LINE, paint }));
  return labelled ? [...cells, ...[...` ${text}`].map((char) => ({ char }))] : cells;
}

/** The cells of a row, each run of one paint painted once. */
function renderCells(row: readonly Cell[]): string {
  let line = '';
  let run = '';
  let paint: Cell['paint'];
  for (const cell of row) {
    if (cell.paint !== paint) {
      line += paint ? paint(run) : run;
      [run, paint] = ['', cell.paint];
    }
    run += cell.char;
  }
  return line + (paint ? paint(run) : run);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
