import type { StrategyResult } from '../schema/bench.js';
import { fellBehind } from '../bench/findings/strategy-warnings.js';

/** How one strategy compares with another (per-request when it ran, else the first strategy). */
export interface Comparison {
  strategy: string;
  baseline: string;
  /** strategy throughput ÷ baseline throughput. */
  throughputRatio: number | null;
  /** baseline connections used ÷ strategy connections used (how many times fewer). */
  connectionsRatio: number | null;
  /**
   * baseline p50 ÷ strategy p50 (how many times faster the median request is); null when either fell behind its
   * open-loop schedule, whose latencies then measure the backlog, not the requests.
   */
  p50Ratio: number | null;
  /** baseline p99 ÷ strategy p99 (null as p50Ratio), and the two p99s in ms: the tail, which the median can hide. */
  p99Ratio?: number | null;
  p99Ms?: number;
  baselineP99Ms?: number;
}

const ratio = (numerator: number, denominator: number): number | null =>
  denominator > 0 && numerator > 0 ? numerator / denominator : null;

/** One run against another. */
export function compareRuns(run: StrategyResult, baseline: StrategyResult): Comparison {
  const behind = fellBehind(baseline) || fellBehind(run);
  return {
    strategy: run.label,
    baseline: baseline.label,
    throughputRatio: ratio(run.throughput, baseline.throughput),
    connectionsRatio: ratio(baseline.connections.used, run.connections.used),
    p50Ratio: behind ? null : ratio(baseline.latency.p50, run.latency.p50),
    p99Ratio: behind ? null : ratio(baseline.latency.p99, run.latency.p99),
    p99Ms: run.latency.p99,
    baselineP99Ms: baseline.latency.p99,
  };
}

/** Every other run against per-request (or the first run when per-request did not run). */
export function compareStrategies(results: StrategyResult[]): Comparison[] {
  const baseline = results.find((r) => r.strategy === 'per-request') ?? results[0];
  if (!baseline) return [];
  return results.filter((r) => r !== baseline).map((r) => compareRuns(r, baseline));
}

/**
 * The tail tells another story than the median when the p99s compare the other way round (faster at the median,
 * slower at p99), or more than twice as far apart or as close as the medians do.
 */
export function tailDisagrees(c: Comparison): boolean {
  if (c.p50Ratio === null || c.p99Ratio === null || c.p99Ratio === undefined) return false;
  if (c.p50Ratio >= 1 !== c.p99Ratio >= 1) return true;
  const spread = c.p99Ratio / c.p50Ratio;
  return spread > 2 || spread < 0.5;
}
