import { SWEEP_TOLERANCE } from '../bench/findings/sweep.js';
import type { SweepResult, SweepRow } from '../schema/bench.js';
import { formatCount, formatDecimal, formatFixedMs, formatPercent, plural } from '../format.js';
import { cell, type Cell, type TableSection } from './section.js';

export const SWEEP_TITLE = 'Pool-size sweep: measured waits beside the model';

/** A difference of two probabilities in percentage points, signed: +22.1 pts, -0.4 pts, 0.0 pts. */
export function formatPoints(difference: number): string {
  const points = (Math.abs(difference) * 100).toFixed(1);
  const sign = points === '0.0' ? '' : difference > 0 ? '+' : '-';
  return `${sign}${points} pts`;
}

/** A row's difference and verdict: as recorded, or, in a result written before they were, from its two P(wait)s. */
export function rowAgreement(sweep: SweepResult, row: SweepRow): { difference: number; agrees: boolean } {
  const difference = row.difference ?? row.waitProbability - row.predictedWaitProbability;
  return { difference, agrees: row.agrees ?? withinTolerance(sweep, difference) };
}

export const sweepTolerance = (sweep: SweepResult): number => sweep.tolerance ?? SWEEP_TOLERANCE;

const withinTolerance = (sweep: SweepResult, difference: number): boolean =>
  Math.abs(difference) <= sweepTolerance(sweep);

const dash = '–';

/** What the sweep's columns mean: stated in the Markdown report beside the other definitions. */
export const SWEEP_DEFINITIONS = [
  '**sweep**: per pool size, **P(wait) measured** (acquires that queued ÷ all acquires) ' +
    "beside the model's P(wait) at that row's own measured load (finite-source: " +
    'the workers and its u = hold / (hold + think); Erlang C: the rate × its mean hold); ' +
    '**difference** = measured − predicted in percentage points, ✗ where it is beyond the tolerance.',
  '**holds by load** (closed-loop sweeps): the same finite-source model fed with ' +
    'the mean hold the run measured at each number of busy connections instead of one mean hold; ' +
    'where holds grow with the load (Redis and the generator sharing a CPU), ' +
    "what is left of its difference is the generator's and the pool's.",
];

/**
 * The sweep section of every report: per pool size the measured load (u, or the offered load for Erlang C, and the
 * hold), the measured P(wait) beside the model's at that load, their difference and whether it is within the
 * tolerance (✗ where it is not), the acquire waits and the formula's and the model's sizes; under it, how many rows
 * agree and the worst difference, then the model's inputs.
 */
export function sweepSection(sweep: SweepResult): TableSection {
  const tolerance = `±${formatDecimal(sweepTolerance(sweep) * 100, 1)} pts`;
  const erlang = sweep.model === 'erlang-c';
  const head = [
    'pool\nsize',
    'req/s',
    erlang ? 'offered\nload' : 'u',
    'hold\nms',
    'P(wait)\nmeasured',
    `P(wait)\n${sweep.model}`,
    'difference',
    `within\n${tolerance}`,
    'acquire\np50 ms',
    'acquire\np99 ms',
    'marks',
  ];
  const byLoad = hasLoadDependent(sweep);
  if (byLoad) head.splice(8, 0, 'P(wait)\nholds by load', 'difference\nby load');
  const loadCell = (row: SweepRow): string => {
    if (erlang)
      return row.holdMs === undefined || sweep.ratePerSec === null
        ? dash
        : formatDecimal((sweep.ratePerSec * row.holdMs) / 1000, 2);
    return row.utilization === undefined ? dash : formatPercent(row.utilization);
  };
  const rows = sweep.rows.map((row): Cell[] => {
    const { difference, agrees } = rowAgreement(sweep, row);
    const marks = [
      row.poolSize === sweep.formulaPoolSize ? 'formula' : '',
      row.poolSize === sweep.modelPoolSize ? 'model (1 %)' : '',
    ]
      .filter(Boolean)
      .join(', ');
    return [
      cell(formatCount(row.poolSize), 'name'),
      cell(formatCount(row.throughput)),
      cell(loadCell(row)),
      cell(row.holdMs === undefined ? dash : formatFixedMs(row.holdMs)),
      cell(formatPercent(row.waitProbability)),
      cell(formatPercent(row.predictedWaitProbability)),
      cell(formatPoints(difference)),
      agrees ? cell('✓', 'good') : cell('✗', 'bad'),
      ...(byLoad ? loadDependentCells(sweep, row) : []),
      cell(formatFixedMs(row.acquireP50)),
      cell(formatFixedMs(row.acquireP99)),
      cell(marks),
    ];
  });
  const notes = [
    agreementLine(sweep, tolerance),
    ...(byLoad ? [loadDependentAgreementLine(sweep, tolerance)] : []),
    inputsLine(sweep),
  ];
  return { title: SWEEP_TITLE, head, rows, textColumns: 1, notes };
}

const hasLoadDependent = (sweep: SweepResult): boolean =>
  sweep.rows.some((row) => row.loadDependentDifference !== undefined);

/** The prediction with the holds by load and its difference, ✗ beside it where it is beyond the tolerance. */
function loadDependentCells(sweep: SweepResult, row: SweepRow): Cell[] {
  if (row.loadDependentPredictedWaitProbability === undefined || row.loadDependentDifference === undefined)
    return [cell(dash), cell(dash)];
  const agrees = withinTolerance(sweep, row.loadDependentDifference);
  return [
    cell(formatPercent(row.loadDependentPredictedWaitProbability)),
    cell(`${formatPoints(row.loadDependentDifference)} ${agrees ? '✓' : '✗'}`, agrees ? 'good' : 'bad'),
  ];
}

/** "4 of 6 rows agree with the model within ±3 pts; the worst difference is +61.8 pts, at pool 6 (✗)." */
export function agreementLine(
  sweep: SweepResult,
  tolerance = `±${formatDecimal(sweepTolerance(sweep) * 100, 1)} pts`,
): string {
  if (sweep.rows.length === 0) return 'No pooled run finished: nothing to compare with the model.';
  const { count, worst } = summarizeVerdicts(sweep.rows.map((row) => ({ row, ...rowAgreement(sweep, row) })));
  return `${count} with the model within ${tolerance} (measured − predicted P(wait)); ${worst}.`;
}

/** "With the holds measured at each number of busy connections, all 4 rows agree within ±3 pts; the worst …" */
export function loadDependentAgreementLine(
  sweep: SweepResult,
  tolerance = `±${formatDecimal(sweepTolerance(sweep) * 100, 1)} pts`,
): string {
  const verdicts = sweep.rows.flatMap((row) =>
    row.loadDependentDifference === undefined
      ? []
      : [{ row, difference: row.loadDependentDifference, agrees: withinTolerance(sweep, row.loadDependentDifference) }],
  );
  const { count, worst } = summarizeVerdicts(verdicts);
  return `With the holds measured at each number of busy connections, ${count.toLowerCase()} within ${tolerance}; ${worst}.`;
}

/** How many of (at least one) verdicts agree, and the worst difference with its pool size. */
function summarizeVerdicts(verdicts: { row: SweepRow; difference: number; agrees: boolean }[]): {
  count: string;
  worst: string;
} {
  const agreeing = verdicts.filter((v) => v.agrees).length;
  const worst = verdicts.reduce((a, b) => (Math.abs(b.difference) > Math.abs(a.difference) ? b : a));
  return {
    count:
      agreeing === verdicts.length
        ? verdicts.length === 1
          ? 'The one row agrees'
          : `All ${verdicts.length} rows agree`
        : `${agreeing} of ${plural(verdicts.length, 'row')} agree`,
    worst: `the worst difference is ${formatPoints(worst.difference)}, at pool ${worst.row.poolSize}${worst.agrees ? '' : ' (✗)'}`,
  };
}

function inputsLine(sweep: SweepResult): string {
  const u = `u = ${formatDecimal(sweep.utilization * 100, 1)} %`;
  const hold = `${formatDecimal(sweep.holdMs, 3)} ms`;
  const rate = `${formatCount(sweep.ratePerSec ?? 0)} requests/s`;
  // Results written before the rows carried their own load were predicted at the sweep's means.
  const perRow = sweep.rows.every((row) => row.holdMs !== undefined);
  const inputs = perRow
    ? sweep.model === 'erlang-c'
      ? `Erlang C with ${rate} × each row's own mean hold (mean over the rows ${hold})`
      : `finite-source with ${plural(sweep.workers, 'worker')} at each row's own u and hold (means over the rows: ${u}, hold ${hold})`
    : sweep.model === 'erlang-c'
      ? `Erlang C with ${rate} and a ${hold} mean hold`
      : `finite-source with ${plural(sweep.workers, 'worker')} at ${u} (mean hold ${hold})`;
  return (
    `Model inputs measured in the runs: ${inputs}. Formula pool (no buffer): ${sweep.formulaPoolSize}; ` +
    `model pool for ≤ 1 % waits: ${sweep.modelPoolSize}.`
  );
}
