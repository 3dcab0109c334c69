import { formatCount, formatDerivedRate, formatPercent, formatRate } from '../format.js';
import type { SizeResult } from '../schema/size.js';
import { LIMIT_WARNING_FRACTION } from '../sizing/fleet.js';
import { instancesForPeak, kneePerInstance, kneeStepOf, perInstance, withinObjectives } from '../sizing/peak.js';
import type { CapacityBench } from './capacity-evidence.js';
import { cell, type Cell, type TableSection } from './section.js';
import { limitShare } from './size-figures.js';

/**
 * The fleet at its peak, per strategy of every capacity curve given as evidence (report --peak-rate, or the plan's
 * own peak): the instances each strategy needs to serve the peak within its objectives, and the connections that
 * fleet opens on each Redis node, from what the server saw one instance hold at the knee.
 */

/** Where the report's peak came from: report --peak-rate, or the size document's own --peak-rate. */
export type PeakSource = 'flag' | 'plan';

/** One curve (a strategy of a bench) at the fleet's peak; its figures are null without a knee. */
export interface PeakStrategy {
  file: string;
  label: string;
  strategy: string;
  slo: string[];
  /** What one instance served at the knee (a curve of several instances: their knee ÷ their number). */
  kneeRatePerSec: number | null;
  /** ceil(peak ÷ knee): as many instances as keep each at or under the knee. */
  instances: number | null;
  /** peak ÷ instances. */
  ratePerInstance: number | null;
  /** What the server saw one instance hold at the knee: the step's peak of clients. Null if the step is missing. */
  connectionsPerInstance: number | null;
  /** The pool's maximum in the knee's step (pooled); null without a pool. */
  poolMax: number | null;
  /** instances × connectionsPerInstance: what the fleet opens on each Redis node, and its share of maxclients. */
  connectionsPerNode: number | null;
  maxclientsFraction: number | null;
  /** instances × poolMax: the most the fleet's pools may open on each node. */
  connectionsPerNodeAtPoolMax: number | null;
}

export interface PeakFleet {
  peakRatePerSec: number;
  from: PeakSource;
  /** The plan's maxclients, which each node's connections are set against. */
  maxclients: number;
  strategies: PeakStrategy[];
}

/** The report's peak: report --peak-rate, else the plan's own (size --peak-rate); null without either. */
export function peakFleet(size: SizeResult, benches: CapacityBench[], peakRatePerSec?: number): PeakFleet | null {
  const planned = size.peak?.peakRatePerSec;
  const peak = peakRatePerSec ?? planned;
  if (peak === undefined) return null;
  const { maxclients } = size.inputs.fleet;
  return {
    peakRatePerSec: peak,
    from: peakRatePerSec !== undefined ? 'flag' : 'plan',
    maxclients,
    strategies: benches.flatMap(({ file, result }) =>
      (result.capacity ?? []).map((curve): PeakStrategy => {
        const step = kneeStepOf(result, curve);
        const knee = kneePerInstance(curve);
        const instances = knee === null ? null : instancesForPeak(peak, knee);
        // A step of several instances (--threads, merged machines): the server saw all of them.
        const ofOne = (figure: number | undefined): number | null =>
          figure === undefined ? null : perInstance(figure, curve);
        const connectionsPerInstance = ofOne(step?.connections.serverPeakClients);
        const poolMax = ofOne(step?.pool?.max);
        const times = (figure: number | null): number | null =>
          instances === null || figure === null ? null : instances * figure;
        const perNode = times(connectionsPerInstance);
        return {
          file,
          label: curve.label,
          strategy: curve.strategy,
          slo: curve.slo,
          kneeRatePerSec: knee,
          instances,
          ratePerInstance: instances === null ? null : peak / instances,
          connectionsPerInstance,
          poolMax,
          connectionsPerNode: perNode,
          maxclientsFraction: perNode === null ? null : perNode / maxclients,
          connectionsPerNodeAtPoolMax: times(poolMax),
        };
      }),
    ),
  };
}

export const PEAK_TITLE = 'The fleet at its peak';

/** What the section says before its table: the peak, where it came from, and how each figure is made. */
export function peakLead(fleet: PeakFleet): string {
  const source = fleet.from === 'flag' ? 'report --peak-rate' : "the plan's --peak-rate";
  if (fleet.strategies.length === 0)
    return (
      `A peak of ${formatRate(fleet.peakRatePerSec)} req/s (${source}), and no bench with a capacity curve to say how ` +
      "much one instance serves: measure one's knee with `redis-pool bench --rate 1000,4000,16000 --slo 'p99<5ms' " +
      '--output bench.json` and pass it with `--bench bench.json`.'
    );
  return (
    `At a peak of **${formatRate(fleet.peakRatePerSec)} req/s** (${source}), each strategy measured on a capacity ` +
    "curve needs as many instances as keep each at or under its knee, the most one instance served within the curve's " +
    'objectives: ceil(peak ÷ knee). Each Redis node then receives instances × the connections the server saw one ' +
    `instance hold at the knee (its peak of clients in that step), against the plan's maxclients of ${formatCount(fleet.maxclients)}.`
  );
}

const dash = '–';
const figure = (value: number | null, format: (v: number) => string = formatCount): Cell =>
  cell(value === null ? dash : format(value));

/** The strategies side by side at the peak; a curve without a knee is a row of dashes and a line under the table. */
export function peakSection(fleet: PeakFleet): TableSection {
  const files = new Set(fleet.strategies.map((s) => s.file));
  const byFile = files.size > 1;
  const head = [
    ...(byFile ? ['bench'] : []),
    'strategy',
    'knee req/s',
    'instances',
    'req/s each',
    'connections\nper instance',
    'connections\nper node',
    `% of maxclients\n${formatCount(fleet.maxclients)}`,
    'pool max',
    'per node at\npool max',
  ];
  const rows = fleet.strategies.map((s): Cell[] => [
    ...(byFile ? [cell(s.file, 'name')] : []),
    cell(s.label, 'name'),
    s.kneeRatePerSec === null ? cell('no knee', 'bad') : cell(formatCount(s.kneeRatePerSec)),
    figure(s.instances),
    figure(s.ratePerInstance, formatDerivedRate),
    figure(s.connectionsPerInstance),
    cell(s.connectionsPerNode === null ? dash : formatCount(s.connectionsPerNode), 'answer'),
    figure(s.maxclientsFraction, limitShare),
    figure(s.poolMax),
    figure(s.connectionsPerNodeAtPoolMax),
  ]);
  const kneeless = fleet.strategies
    .filter((s) => s.kneeRatePerSec === null)
    .map(
      (s) =>
        `${s.label}${byFile ? ` (${s.file})` : ''}: no knee: cannot serve any of its steps` +
        `${withinObjectives(s.slo) || ' within the objectives'}, so no number of instances serves the peak.`,
    );
  return {
    title: null,
    head,
    rows,
    textColumns: byFile ? 2 : 1,
    notes: [
      ...kneeless,
      'connections per instance: the most clients the server saw in the knee’s step; a pool may open up to its max ' +
        `(per node at pool max); ⚠️ past ${formatPercent(LIMIT_WARNING_FRACTION)} of maxclients.`,
    ],
  };
}
