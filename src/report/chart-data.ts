import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import type { BenchResult, LatencySummary } from './bench-schema.js';

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

/** What the charts of a bench report draw, taken from a result without measuring anything again. */
export interface BenchChartData {
  latency: PercentileCurve[];
  acquireWait: PercentileCurve[];
  bars: { label: string; throughput: number; connectionsUsed: number; connectionsOpened: number; serverPeakClients: number }[];
  sweep: { model: string; poolSizes: number[]; measured: number[]; predicted: number[]; formulaPoolSize: number; modelPoolSize: number } | null;
}

/** Points per decade of 1/(1−p): enough for a smooth curve, few enough to keep a report small. */
const POINTS_PER_DECADE = 12;

/**
 * A latency percentile curve read from the summary's exact HdrHistogram: from the median's left (p0) to the
 * last percentile the sample can tell apart from the maximum (1/(1−p) ≤ count), then the maximum itself.
 */
export function percentileCurve(label: string, summary: LatencySummary): PercentileCurve {
  const histogram = decodeFromCompressedBase64(summary.hdr);
  const maxMs = summary.max;
  const points: PercentilePoint[] = [];
  const lastDecade = Math.log10(Math.max(1, summary.count));
  for (let step = 0; step / POINTS_PER_DECADE < lastDecade; step += 1) {
    const tailFactor = 10 ** (step / POINTS_PER_DECADE);
    const percentile = 100 * (1 - 1 / tailFactor);
    const ms = Math.min(histogram.getValueAtPercentile(percentile) / 1000, maxMs);
    points.push({ percentile, tailFactor, ms });
  }
  points.push({ percentile: 100, tailFactor: Math.max(1, summary.count), ms: maxMs });
  return { label, points };
}

export function benchChartData(result: BenchResult): BenchChartData {
  const sweep = result.sweep;
  return {
    latency: result.results.map((r) => percentileCurve(r.label, r.latency)),
    acquireWait: result.results.flatMap((r) => (r.acquireWait ? [percentileCurve(r.label, r.acquireWait)] : [])),
    bars: result.results.map((r) => ({
      label: r.label,
      throughput: r.throughput,
      connectionsUsed: r.connections.used,
      connectionsOpened: r.connections.opened,
      serverPeakClients: r.connections.serverPeakClients,
    })),
    sweep: sweep
      ? {
          model: sweep.model,
          poolSizes: sweep.rows.map((row) => row.poolSize),
          measured: sweep.rows.map((row) => row.waitProbability),
          predicted: sweep.rows.map((row) => row.predictedWaitProbability),
          formulaPoolSize: sweep.formulaPoolSize,
          modelPoolSize: sweep.modelPoolSize,
        }
      : null,
  };
}
