import { formatMs, formatSignificant } from '../format.js';
import type { WaitPrediction } from '../schema/size.js';

/** The figures of a size result that both its terminal table (size-terminal.ts) and the capacity plan (capacity-markdown.ts) write. */

/** The mean wait in ms; with no hold time given, as a multiple of it (which says more than a dash). */
export function meanWait(prediction: WaitPrediction): string {
  if (prediction.meanWaitMs !== null) return formatMs(prediction.meanWaitMs);
  if (prediction.meanWaitInHoldTimes === null) return 'unbounded';
  return `${formatSignificant(prediction.meanWaitInHoldTimes)} × hold`;
}
