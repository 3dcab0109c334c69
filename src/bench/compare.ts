import type { StrategyResult } from '../schema/bench.js';

/** How one strategy compares with the baseline (per-request when it ran, else the first strategy). */
export interface Comparison {
  strategy: string;
  baseline: string;
  /** strategy throughput ÷ baseline throughput. */
  throughputRatio: number | null;
  /** baseline connections used ÷ strategy connections used (how many times fewer). */
  connectionsRatio: number | null;
  /** baseline p50 ÷ strategy p50 (how many times faster the median request is). */
  p50Ratio: number | null;
}

const ratio = (numerator: number, denominator: number): number | null =>
  denominator > 0 && numerator > 0 ? numerator / denominator : null;

export function compareStrategies(results: StrategyResult[]): Comparison[] {
  const baseline = results.find((r) => r.strategy === 'per-request') ?? results[0];
  if (!baseline) return [];
  return results
    .filter((r) => r !== baseline)
    .map((r) => ({
      strategy: r.label,
      baseline: baseline.label,
      throughputRatio: ratio(r.throughput, baseline.throughput),
      connectionsRatio: ratio(baseline.connections.used, r.connections.used),
      p50Ratio: ratio(baseline.latency.p50, r.latency.p50),
    }));
}
