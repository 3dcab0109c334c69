import { UsageError } from '../errors.js';
import type { BenchResult, CapacityCurve, StrategyResult } from '../schema/bench.js';
import type { MeasuredSource } from '../schema/size.js';
import type { SizeFlags } from './inputs.js';
import { instancesOfBench, offeredRatePerInstance, workersPerInstance } from './instances.js';
import { kneePerInstance, kneeStepOf, withinObjectives } from './peak.js';
import { formatDerivedRate } from '../format.js';

/**
 * The load a bench run measured, as size flags: a closed loop gives threads (the workers) and the utilization
 * u = hold / (hold + think); an open loop gives its rate and the mean hold time. Both are one instance's: a run of
 * several (--threads, merged machines) had a pool in each. Which run the figures come from, and why, goes with them
 * (`from`), so that the answer can say so.
 */
export function sizeFlagsFromBench(result: BenchResult, file: string): SizeFlags {
  if (result.capacity) return fromKnee(result, result.capacity, file);
  const { run, reason } = chooseRun(result.results);
  if (run?.load === undefined || run.load.holdMeanMs <= 0) {
    throw new UsageError(`--from ${file}: the result has no measured hold time (no completed requests)`);
  }
  const holdMs = run.load.holdMeanMs;
  const rate = offeredRatePerInstance(result);
  const instances = instancesOfBench(result);
  const from: MeasuredSource = {
    file,
    run: run.label,
    reason: instances === 1 ? reason : `${reason}; each of its ${instances} instances' share of the load`,
  };
  if (rate !== null) return { ratePerSec: rate, holdMs, from };
  return {
    threads: workersPerInstance(result),
    utilization: Math.min(1, Math.max(run.load.modelUtilization, 1e-9)),
    holdMs,
    from,
  };
}

/**
 * A pooled run measures what a pool's hold time is (acquire → release); in a sweep, the largest pool, whose
 * workers waited least, comes closest to the models' threads that never wait. Without a pooled run, the first.
 */
function chooseRun(results: StrategyResult[]): { run: StrategyResult | undefined; reason: string } {
  const pooled = results.filter((r) => r.strategy === 'pooled' && r.pool !== null);
  if (pooled.length === 1)
    return { run: pooled[0], reason: "the pooled run: it measures a pool's hold time (acquire → release)" };
  if (pooled.length > 1) {
    const largest = pooled.reduce((best, r) => (r.pool!.max > best.pool!.max ? r : best));
    return {
      run: largest,
      reason:
        `the largest pool of the sweep's ${pooled.length} pooled runs: its workers waited least, ` +
        `so its hold and think times are closest to threads that never wait`,
    };
  }
  return { run: results[0], reason: 'the first run: the result has no pooled run' };
}

/**
 * A capacity curve: the knee of its pooled curve (else of its first), the highest rate that strategy served within
 * every objective, with the hold measured at that step: the load one instance can take, as size sees it. The knee
 * goes with it apart from the rate, which a --peak-rate replaces by each instance's share of the peak.
 */
function fromKnee(result: BenchResult, curves: CapacityCurve[], file: string): SizeFlags {
  const curve =
    curves.find((c) => c.strategy === 'pooled' && c.kneeRatePerSec !== null) ??
    curves.find((c) => c.kneeRatePerSec !== null);
  if (curve === undefined || curve.kneeRatePerSec === null) {
    const objectives = curves[0]?.slo.join(' and ') || 'its objectives';
    throw new UsageError(
      `--from ${file}: its capacity curve has no knee (no strategy met ${objectives} from its lowest rate): ` +
        'nothing to size for; run the curve from a lower --rate',
    );
  }
  const run = kneeStepOf(result, curve);
  if (run === undefined || run.load.holdMeanMs <= 0) {
    throw new UsageError(
      `--from ${file}: the knee's step (${curve.label} at ${curve.kneeRatePerSec}/s) has no measured hold time`,
    );
  }
  const knee = kneePerInstance(curve)!;
  const instances = curve.instances ?? 1;
  const served =
    instances === 1
      ? 'the highest rate it served'
      : `the highest rate its ${instances} instances served together, ${formatDerivedRate(knee)}/s each`;
  return {
    ratePerSec: knee,
    holdMs: run.load.holdMeanMs,
    from: {
      file,
      run: run.label,
      reason: `the knee of the ${curve.label} curve: ${served}${withinObjectives(curve.slo)}`,
    },
    knee: { ratePerSec: knee, slo: curve.slo, file, label: curve.label },
  };
}
