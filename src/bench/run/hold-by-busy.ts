import type { HoldByBusy, LoadResult, StrategyResult } from '../../schema/bench.js';
import { formatPercent } from '../../format.js';
import type { Warning } from '../../schema/warning.js';
import type { BusyOccupancy } from './busy-occupancy.js';

/** Levels with fewer holds than this are listed but left out of the fit: their mean is noise. */
export const MIN_HOLDS_PER_LEVEL = 30;

/** Growth per busy connection past which the holds clearly depend on the load (a model assumption that fails). */
export const HOLD_GROWTH_LIMIT = 0.05;

/** Below this many times the releases per ms of the first level, three or more busy connections are served one at a time. */
export const SERIAL_SPEEDUP = 1.5;

/**
 * The mean hold at each number of busy connections (k busy connections for time(k), left by releases(k): each
 * hold lasted k × time(k) ÷ releases(k) there), and how fast it grows from one level to the next.
 */
export function summarizeHoldByBusy(
  occupancy: Pick<BusyOccupancy, 'timeUs' | 'releases'>,
): Required<Pick<LoadResult, 'holdByBusy' | 'holdGrowthPerBusy'>> {
  const levels: HoldByBusy[] = [];
  occupancy.releases.forEach((releases, busy) => {
    if (busy > 0 && releases > 0)
      levels.push({ busy, holds: releases, meanMs: (busy * occupancy.timeUs[busy]!) / releases / 1000 });
  });
  return {
    holdByBusy: levels,
    holdGrowthPerBusy: relativeGrowth(levels.filter((level) => level.holds >= MIN_HOLDS_PER_LEVEL)),
  };
}

/**
 * Weighted least-squares slope of the mean hold against the number of busy connections, as a share of the fitted
 * hold with one connection busy: 0.1 = each extra busy connection makes a hold 10 % longer.
 */
function relativeGrowth(levels: HoldByBusy[]): number | null {
  if (levels.length < 2) return null;
  const total = levels.reduce((sum, l) => sum + l.holds, 0);
  const meanX = levels.reduce((sum, l) => sum + l.holds * l.busy, 0) / total;
  const meanY = levels.reduce((sum, l) => sum + l.holds * l.meanMs, 0) / total;
  const sxx = levels.reduce((sum, l) => sum + l.holds * (l.busy - meanX) ** 2, 0);
  if (sxx === 0) return null;
  const slope = levels.reduce((sum, l) => sum + l.holds * (l.busy - meanX) * (l.meanMs - meanY), 0) / sxx;
  const atOne = meanY + slope * (1 - meanX);
  return atOne > 0 ? slope / atOne : null;
}

/**
 * A sweep compares each run with a model whose holds do not depend on how many connections are busy. Where they
 * clearly do, the run says so: the model then underestimates the waits, and the difference is not the pool's.
 */
export function holdContentionWarnings(result: StrategyResult): Warning[] {
  const { holdByBusy, holdGrowthPerBusy } = result.load;
  if (
    !holdByBusy ||
    holdGrowthPerBusy === undefined ||
    holdGrowthPerBusy === null ||
    holdGrowthPerBusy <= HOLD_GROWTH_LIMIT
  )
    return [];
  const fitted = holdByBusy.filter((level) => level.holds >= MIN_HOLDS_PER_LEVEL);
  const [first, last] = [fitted[0]!, fitted[fitted.length - 1]!];
  // Releases per ms at the top level against the first: k connections busy that release no faster than one are
  // being served one at a time.
  const speedup = last.busy / last.meanMs / (first.busy / first.meanMs);
  const serial =
    last.busy >= 3 && speedup < SERIAL_SPEEDUP
      ? `; with ${last.busy} busy the releases came only ${speedup.toFixed(2)}× as fast ` +
        `as with ${first.busy}, so the requests were served nearly one at a time by a ` +
        `saturated CPU (the generator's event loop or Redis): more connections could not help this run, ` +
        `and its waits say more about that CPU than about the pool`
      : '';
  return [
    {
      code: 'holds-depend-on-load',
      message:
        `${result.label}: a hold took ${first.meanMs.toFixed(3)} ms with ${first.busy} connection(s) ` +
        `busy and ${last.meanMs.toFixed(3)} ms with ${last.busy} (${formatPercent(holdGrowthPerBusy)} ` +
        `longer per busy connection): the holds depend on how many requests run at once ` +
        `(Redis and the load generator share the CPU, or the server is saturated), ` +
        `which the model's independent holds leave out, so it underestimates the waits${serial}`,
      remedy:
        'compare the sweep with the model where a hold is mostly network time (--rtt, or Redis on another machine than the load generator)',
    },
  ];
}
