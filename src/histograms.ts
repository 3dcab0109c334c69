import { build, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { LatencySummary } from './schema/bench.js';

/** Integer microseconds, 3 significant digits, from 1 µs up; grows past an hour if it must. */
export function newHistogram(): Histogram {
  return build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
}

const usToMs = (us: number): number => us / 1000;

export function summarize(histogram: Histogram): LatencySummary {
  const empty = histogram.totalCount === 0;
  // A percentile is reported as the top of its HDR bucket, which can lie a little above the exact maximum.
  const at = (percentile: number): number => (empty ? 0 : usToMs(Math.min(histogram.getValueAtPercentile(percentile), histogram.maxValue)));
  return {
    unit: 'ms',
    count: histogram.totalCount,
    mean: empty ? 0 : usToMs(histogram.mean),
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: empty ? 0 : usToMs(histogram.maxValue),
    hdr: encodeIntoCompressedBase64(histogram),
  };
}

/** A summary, or null for a histogram that recorded nothing (e.g. acquire waits of a strategy with no pool). */
export function summarizeIfAny(histogram: Histogram): LatencySummary | null {
  return histogram.totalCount === 0 ? null : summarize(histogram);
}
