// The one module that knows hdr-histogram-js (the layer check lets no other file import it): every histogram is
// built, encoded and decoded here, and its percentiles are read here, never above the exact maximum. Values are
// recorded as integer microseconds (recordValue); summaries are in ms.
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { LatencySummary } from './schema/bench.js';

export type { Histogram };

/** Integer microseconds, 3 significant digits, from 1 µs up; grows past an hour if it must. Record with recordValue(us). */
export function newHistogram(): Histogram {
  return build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
}

/** The V2 compressed base64 form a result carries (`hdr`), so results from several machines add up exactly. */
export function encode(histogram: Histogram): string {
  return encodeIntoCompressedBase64(histogram);
}

/** A result's `hdr` read back. Its maxValue is only the top of the maximum's bucket: the exact maximum is the summary's. */
export function decode(hdr: string): Histogram {
  return decodeFromCompressedBase64(hdr);
}

/**
 * The value at a percentile, in µs, never above `maxUs`. A percentile is reported as the top of its HDR bucket,
 * which can lie a little above the exact maximum; a histogram recorded in this process knows that maximum.
 */
export function valueAtPercentile(
  histogram: Histogram,
  percentile: number,
  maxUs: number = histogram.maxValue,
): number {
  return Math.min(histogram.getValueAtPercentile(percentile), maxUs);
}

const usToMs = (us: number): number => us / 1000;

export function summarize(histogram: Histogram): LatencySummary {
  const empty = histogram.totalCount === 0;
  const at = (percentile: number): number => (empty ? 0 : usToMs(valueAtPercentile(histogram, percentile)));
  return {
    unit: 'ms',
    count: histogram.totalCount,
    mean: empty ? 0 : usToMs(histogram.mean),
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: empty ? 0 : usToMs(histogram.maxValue),
    hdr: encode(histogram),
  };
}

/** A summary, or null for a histogram that recorded nothing (e.g. acquire waits of a strategy with no pool). */
export function summarizeIfAny(histogram: Histogram): LatencySummary | null {
  return histogram.totalCount === 0 ? null : summarize(histogram);
}

/**
 * The exact sum of several summaries' histograms (e.g. one run's on several machines or threads): their V2
 * encodings decoded and added into one 64-bit histogram, never an average of percentiles. The maximum is the
 * largest of the exact maxima, the mean the count-weighted mean.
 */
export function addSummaries(summaries: readonly LatencySummary[]): LatencySummary {
  const sum = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
    bitBucketSize: 64,
  });
  for (const summary of summaries) sum.add(decode(summary.hdr));
  const count = summaries.reduce((total, s) => total + s.count, 0);
  const maxMs = Math.max(0, ...summaries.map((s) => s.max));
  const at = (percentile: number): number =>
    count === 0 ? 0 : Math.min(usToMs(sum.getValueAtPercentile(percentile)), maxMs);
  return {
    unit: 'ms',
    count,
    mean: count === 0 ? 0 : summaries.reduce((total, s) => total + s.mean * s.count, 0) / count,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: maxMs,
    hdr: encode(sum),
  };
}

/**
 * Any percentile of a summary, in ms, read from its exact histogram (decoded once, for as many reads as wanted)
 * and never above the summary's exact maximum, as the summary's own percentiles are.
 */
export function summaryPercentiles(summary: LatencySummary): (percentile: number) => number {
  const histogram = decode(summary.hdr);
  return (percentile) => Math.min(usToMs(histogram.getValueAtPercentile(percentile)), summary.max);
}
