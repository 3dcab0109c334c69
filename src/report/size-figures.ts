import {
  formatCount,
  formatDerivedRate,
  formatMs,
  formatPercent,
  formatRate,
  formatSignificant,
  plural,
} from '../format.js';
import type { SizeResult, WaitPrediction } from '../schema/size.js';
import { LIMIT_WARNING_FRACTION } from '../sizing/fleet.js';
import { withinObjectives } from '../sizing/peak.js';

/** The figures of a size result that both its terminal table (size-terminal.ts) and the capacity plan (capacity-markdown.ts) write. */

/** The mean wait in ms; with no hold time given, as a multiple of it (which says more than a dash). */
export function meanWait(prediction: WaitPrediction): string {
  if (prediction.meanWaitMs !== null) return formatMs(prediction.meanWaitMs);
  if (prediction.meanWaitInHoldTimes === null) return 'unbounded';
  return `${formatSignificant(prediction.meanWaitInHoldTimes)} × hold`;
}

/** A share of a limit (maxclients, the fd limit), marked ⚠️ past the alert level. */
export const limitShare = (fraction: number): string =>
  `${formatPercent(fraction)}${fraction > LIMIT_WARNING_FRACTION ? ' ⚠️' : ''}`;

/**
 * size --peak-rate, the answer to "how many instances, and what do they cost Redis": the instances, each one's share
 * of the peak (and of the knee one instance served), the pool each keeps and the connections per node (the model's
 * pool); empty without a peak. `bold` marks its lead.
 */
export function peakAnswer(result: SizeResult, bold: (text: string) => string): string {
  const { peak, fleet } = result;
  if (!peak) return '';
  const knee = result.inputs.knee;
  const ofKnee =
    knee && peak.shareOfKnee !== null
      ? `, ${formatPercent(peak.shareOfKnee)} of the knee ${formatCount(knee.ratePerSec)} req/s${withinObjectives(knee.slo)}`
      : '';
  const q = result.queueing;
  return (
    `${bold(`Peak ${formatRate(peak.peakRatePerSec)} req/s:`)} ${plural(peak.instances, 'instance')} ` +
    `(each ${formatDerivedRate(peak.ratePerInstance)} req/s${ofKnee}), each with a pool of ` +
    `${formatCount(q.poolSize)} (${q.model} model); the fleet opens ` +
    `${plural(fleet.queueing.connectionsPerNode, 'connection')} per Redis node ` +
    `(${formatPercent(fleet.queueing.maxclientsFraction)} of maxclients ${formatCount(fleet.maxclients)}).`
  );
}
