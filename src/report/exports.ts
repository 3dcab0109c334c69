import { decode } from '../histograms.js';
import type { BenchResult } from '../schema/bench.js';

/** One entry of github-action-benchmark's custom formats. */
export interface GabEntry {
  name: string;
  unit: string;
  value: number;
  extra?: string;
}

/**
 * github-action-benchmark's `customSmallerIsBetter` (latency percentiles, ms) and `customBiggerIsBetter`
 * (throughput, requests/s): one entry per strategy and metric.
 */
export function toGab(result: BenchResult): { smallerIsBetter: GabEntry[]; biggerIsBetter: GabEntry[] } {
  const smallerIsBetter = result.results.flatMap((r) =>
    (['p50', 'p99'] as const).map((p) => ({
      name: `${r.label} latency ${p}`,
      unit: 'ms',
      value: r.latency[p],
      extra: `${r.latency.count} requests`,
    })),
  );
  const biggerIsBetter = result.results.map((r) => ({
    name: `${r.label} throughput`,
    unit: 'requests/s',
    value: r.throughput,
    extra: `${r.errors} errors`,
  }));
  return { smallerIsBetter, biggerIsBetter };
}

/** Bencher Metric Format: per strategy, `latency` in nanoseconds (value p50, upper_value p99) and `throughput`. */
export function toBmf(
  result: BenchResult,
): Record<string, Record<string, { value: number; lower_value?: number; upper_value?: number }>> {
  const msToNs = (ms: number): number => Math.round(ms * 1e6);
  return Object.fromEntries(
    result.results.map((r) => [
      r.label,
      {
        latency: { value: msToNs(r.latency.p50), upper_value: msToNs(r.latency.p99) },
        throughput: { value: r.throughput },
      },
    ]),
  );
}

/**
 * One HdrHistogram percentile-distribution text per strategy (what the HdrHistogram plotter reads), in ms:
 * file name (from the run's label) → text. Built from each result's exact histogram.
 */
export function toHgrm(result: BenchResult): Map<string, string> {
  const files = new Map<string, string>();
  for (const r of result.results) {
    const name = `${r.label.replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '')}.hgrm`;
    files.set(name, decode(r.latency.hdr).outputPercentileDistribution(5, 1000));
  }
  return files;
}
