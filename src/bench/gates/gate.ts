import type { BenchResult } from '../../schema/bench.js';
import { compareWithBaseline } from './baseline.js';
import { evaluateThresholds, parseThreshold } from './thresholds.js';

/** A finished run as the runner hands it over: measured, not judged yet. */
export type MeasuredBench = Omit<BenchResult, 'thresholds' | 'baseline'>;

/** --baseline: the earlier result, its file (as the messages name it) and the regression allowed, in percent. */
export interface BaselineInput {
  result: BenchResult;
  file: string;
  maxRegressionPct: number;
}

/**
 * The one step after the run: every threshold's verdict on the runs it names, and the comparison with the
 * baseline, put into the result (the CI gate reads them there). Neither adds a warning today: a failed check is
 * the exit code (gateFailure), not a warning. An interrupted run is judged on what it measured.
 */
export function applyGate(measured: MeasuredBench, baseline: BaselineInput | null): BenchResult {
  const { warnings, ...rest } = measured;
  const thresholds = evaluateThresholds(measured.config.thresholds.map(parseThreshold), measured.results);
  const comparison =
    baseline !== null ? compareWithBaseline(measured, baseline.result, baseline.file, baseline.maxRegressionPct) : null;
  return { ...rest, thresholds, baseline: comparison, warnings };
}

/** Why the gate fails (exit 99), in one line: the failed thresholds and the regressions past the limit; null when it passes. */
export function gateFailure(result: BenchResult): string | null {
  const failed = result.thresholds.filter((v) => !v.ok);
  const comparison = result.baseline;
  const regressed = comparison?.deltas.filter((d) => d.regressed) ?? [];
  if (failed.length === 0 && regressed.length === 0) return null;
  const problems = [
    ...(failed.length > 0
      ? [
          `${failed.length} of ${result.thresholds.length} threshold checks failed: ${failed.map((v) => v.threshold).join(', ')}`,
        ]
      : []),
    ...(regressed.length > 0
      ? [
          `${regressed.length} regression(s) past ${comparison!.maxRegressionPct} % ` +
            `against ${comparison!.file}: ${regressed.map((d) => `${d.run} ${d.metric}`).join(', ')}`,
        ]
      : []),
  ];
  return problems.join('; ');
}
