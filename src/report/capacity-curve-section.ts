import type { CapacityCurve, CapacityRow } from '../schema/bench.js';
import { formatCount, formatDecimal, formatFixedMs, formatRate } from '../format.js';
import { cell, type Cell, type ListSection, type TableSection } from './section.js';

const dash = '–';

export const CAPACITY_TITLE = 'Capacity curve: each strategy at each offered rate';

/** The answer of a rate sweep, one line per strategy: the highest rate it served within every objective. */
export function capacityAnswer(curves: readonly CapacityCurve[]): ListSection {
  return {
    items: curves.map((curve) => {
      const within = curve.slo.length > 0 ? ` with ${curve.slo.join(' and ')}` : '';
      const top = curve.rows.at(-1)?.offeredRatePerSec;
      if (curve.kneeRatePerSec === null) {
        const lowestMissed = (curve.rows[0]?.misses.length ?? 1) > 0;
        const text = lowestMissed
          ? `not even its lowest rate${within}: no capacity found`
          : `no knee${within}: every step it met ran on a saturated load generator (see the steps)`;
        return { lead: cell(`${curve.label}:`, 'name'), text };
      }
      const more = curve.kneeRatePerSec === top ? ' (its highest step: it may serve more)' : '';
      const instances = curve.instances ?? 1;
      const who =
        instances === 1
          ? `one instance serves up to ${formatCount(curve.kneeRatePerSec)} req/s`
          : `${formatCount(instances)} instances serve up to ${formatCount(curve.kneeRatePerSec)} req/s ` +
            `(${formatRate(curve.kneeRatePerSec / instances)} each)`;
      return { lead: cell(`${curve.label}:`, 'name'), text: `${who}${within}${more}` };
    }),
  };
}

/**
 * Every step of every curve: offered and achieved rates, latency, and why a step is beyond the knee. `compact` (the
 * terminal's first screen) leaves out the pool's acquire wait and busy connections.
 */
export function capacitySection(curves: readonly CapacityCurve[], compact = false): TableSection {
  const pooled = !compact && curves.some((curve) => curve.strategy === 'pooled');
  const head = [
    'strategy',
    'verdict',
    'offered/s',
    'served/s',
    ...(compact ? [] : ['p50 ms']),
    'p99 ms',
    // Compact, the verdict says "errors" where there were any.
    ...(compact ? [] : ['errors']),
    ...(pooled ? ['acquire\np99 ms', 'busy\nconns'] : []),
  ];
  const rows = curves.flatMap((curve) =>
    curve.rows.map((row): Cell[] => [
      cell(curve.label, 'name'),
      verdict(curve, row),
      cell(formatCount(row.offeredRatePerSec)),
      cell(formatCount(row.achievedRatePerSec)),
      ...(compact ? [] : [cell(formatFixedMs(row.p50Ms))]),
      cell(formatFixedMs(row.p99Ms)),
      ...(compact ? [] : [cell(formatCount(row.errors))]),
      ...(pooled
        ? [
            cell(row.acquireWaitP99Ms === null ? dash : formatFixedMs(row.acquireWaitP99Ms)),
            cell(row.busyConnections === null ? dash : formatDecimal(row.busyConnections, 1)),
          ]
        : []),
    ]),
  );
  const slo = curves[0]?.slo ?? [];
  return {
    title: CAPACITY_TITLE,
    head,
    rows,
    textColumns: 2,
    notes: [
      `within: ${slo.length > 0 ? `${slo.join(' and ')}, ` : ''}at least 95 % of the offered rate served, no error; ` +
        'the knee is the highest step within, with every step below it; * the load generator saturated: ' +
        'no knee (rate: under 95 % of the offered rate served).' +
        (pooled ? ' busy conns: the rate served × the mean hold (Little’s law), beside the pool it had.' : ''),
    ],
  };
}

/** ✓ knee, ✓ within, ✗ and what it missed, or met beyond a miss; `*` marks a step whose generator saturated. */
function verdict(curve: CapacityCurve, row: CapacityRow): Cell {
  const saturated = row.generatorSaturated ? ' *' : '';
  if (row.offeredRatePerSec === curve.kneeRatePerSec) return cell('✓ knee', 'answer');
  if (row.misses.length > 0) return cell(`✗ ${row.misses.map(shortMiss).join(', ')}${saturated}`, 'bad');
  const beyond = curve.kneeRatePerSec === null || row.offeredRatePerSec > curve.kneeRatePerSec;
  return beyond ? cell(`met, no knee${saturated}`, 'dim') : cell(`✓ within${saturated}`, 'good');
}

const shortMiss = (miss: string): string => (miss === 'rate not kept' ? 'rate' : miss);
