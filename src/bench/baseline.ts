import type { BenchResult, StrategyResult } from '../report/bench-schema.js';

/** One metric of one run against the same run of an earlier result. */
export interface BaselineDelta {
  run: string;
  metric: 'throughput' | 'p50' | 'p99';
  baseline: number;
  current: number;
  /** Positive = worse: lower throughput, or higher latency, in percent of the baseline. */
  regressionPct: number;
  regressed: boolean;
}

export interface BaselineComparison {
  file: string;
  maxRegressionPct: number;
  deltas: BaselineDelta[];
  /** Runs of this result that the baseline does not have (compared by label). */
  unmatched: string[];
}

/** Strategy by strategy (matched by label): throughput, p50 and p99 latency against the baseline's. */
export function compareWithBaseline(current: StrategyResult[], baseline: BenchResult, file: string, maxRegressionPct: number): BaselineComparison {
  const deltas: BaselineDelta[] = [];
  const unmatched: string[] = [];
  for (const run of current) {
    const before = baseline.results.find((r) => r.label === run.label);
    if (!before) {
      unmatched.push(run.label);
      continue;
    }
    const delta = (metric: BaselineDelta['metric'], was: number, now: number, higherIsBetter: boolean): BaselineDelta => {
      const regressionPct = was === 0 ? 0 : ((higherIsBetter ? was - now : now - was) / was) * 100;
      return { run: run.label, metric, baseline: was, current: now, regressionPct, regressed: regressionPct > maxRegressionPct };
    };
    deltas.push(
      delta('throughput', before.throughput, run.throughput, true),
      delta('p50', before.latency.p50, run.latency.p50, false),
      delta('p99', before.latency.p99, run.latency.p99, false),
    );
  }
  return { file, maxRegressionPct, deltas, unmatched };
}
