import { summaryPercentiles } from '../histograms.js';
import type { BenchResult, LatencySummary } from '../schema/bench.js';

/** One point of a percentile curve: the percentile, where it sits on a 1/(1−p) axis, and the latency there. */
export interface PercentilePoint {
  percentile: number;
  /** 1 / (1 − p): 1 at the minimum, 10 at p90, 100 at p99, 1,000 at p99.9 (log axes spread the tail). */
  tailFactor: number;
  ms: number;
}

export interface PercentileCurve {
  label: string;
  points: PercentilePoint[];
}

/** Points per decade of 1/(1−p): enough for a smooth curve, few enough to keep a report small. */
const POINTS_PER_DECADE = 12;

/**
 * A latency percentile curve read from the summary's exact HdrHistogram: from the median's left (p0) to the
 * last percentile the sample can tell apart from the maximum (1/(1−p) ≤ count), then the maximum itself.
 */
export function percentileCurve(label: string, summary: LatencySummary): PercentileCurve {
  const msAt = summaryPercentiles(summary);
  const maxMs = summary.max;
  const points: PercentilePoint[] = [];
  const lastDecade = Math.log10(Math.max(1, summary.count));
  for (let step = 0; step / POINTS_PER_DECADE < lastDecade; step += 1) {
    const tailFactor = 10 ** (step / POINTS_PER_DECADE);
    const percentile = 100 * (1 - 1 / tailFactor);
    const ms = msAt(percentile);
    points.push({ percentile, tailFactor, ms });
  }
  points.push({ percentile: 100, tailFactor: Math.max(1, summary.count), ms: maxMs });
  return { label, points };
}

/** The request-latency curve of every run. */
export function latencyCurves(result: BenchResult): PercentileCurve[] {
  return result.results.map((r) => percentileCurve(r.label, r.latency));
}

/** The acquire-wait curve of every run that has one (pooled runs). */
export function acquireWaitCurves(result: BenchResult): PercentileCurve[] {
  return result.results.flatMap((r) => (r.acquireWait ? [percentileCurve(r.label, r.acquireWait)] : []));
}
