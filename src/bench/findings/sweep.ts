import type { BenchConfig, StrategyResult, SweepResult, SweepRow } from '../../schema/bench.js';
import { erlangC, erlangCPoolSize } from '../../sizing/erlang-c.js';
import { finiteSourcePoolSize, finiteSourceWait } from '../../sizing/finite-source.js';
import { formulaPoolSize } from '../../sizing/formula.js';
import { loadDependentWait } from '../../sizing/load-dependent.js';
import { MIN_HOLDS_PER_LEVEL } from '../run/hold-by-busy.js';

/** The wait target the sweep's "model pool size" is marked for. */
export const SWEEP_TARGET_WAIT = 0.01;

/**
 * Largest |measured − predicted| P(wait) a sweep row may show and still agree with the model: 3 percentage
 * points, the target of the generator's fidelity (issue 11). Beyond it the row is marked as disagreeing.
 */
export const SWEEP_TOLERANCE = 0.03;

/** Share of acquires that queued for a connection, from the pool's own counters. */
export function measuredWaitProbability(result: StrategyResult): number {
  const pool = result.pool;
  if (!pool) return 0;
  const acquires = pool.hits + pool.misses + pool.timeouts + pool.exhausted;
  return acquires === 0 ? 0 : pool.waitCount / acquires;
}

/** The models take a utilization strictly inside (0, 1]; a run with no think time measures exactly 1. */
const modelInput = (utilization: number): number => Math.min(1, Math.max(1e-9, utilization));

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Puts each pooled run of a sweep beside what the sizing models predict for that run's own measured load:
 * closed loop → finite-source with the workers and the run's u = hold / (hold + think); open loop → Erlang C with
 * the schedule's rate × the run's mean hold. Each row is predicted at its own load, not at the sweep's mean, so
 * a row whose hold or think time drifted is still compared with what the model says for what really ran.
 * The sweep-level inputs are the means over the rows, for the summary line and the pool-size marks.
 */
export function buildSweep(config: BenchConfig, results: StrategyResult[]): SweepResult | null {
  const runs = results.filter((r) => r.strategy === 'pooled');
  if (config.poolSizes === null || runs.length === 0) return null;
  const workers = config.concurrency;
  const rate = config.load.ratePerSec;
  const model = rate !== null ? 'erlang-c' : 'finite-source';
  const offeredLoad = (holdMs: number): number => (rate !== null ? (rate * holdMs) / 1000 : 0);

  const rows = runs.map((r): SweepRow => {
    const poolSize = r.pool!.max;
    const waitProbability = measuredWaitProbability(r);
    const predictedWaitProbability =
      model === 'erlang-c'
        ? erlangC(poolSize, offeredLoad(r.load.holdMeanMs))
        : finiteSourceWait(workers, modelInput(r.load.modelUtilization), poolSize).waitProbability;
    const difference = waitProbability - predictedWaitProbability;
    return {
      poolSize,
      label: r.label,
      throughput: r.throughput,
      waitProbability,
      acquireP50: r.acquireWait?.p50 ?? 0,
      acquireP99: r.acquireWait?.p99 ?? 0,
      predictedWaitProbability,
      model,
      utilization: r.load.modelUtilization,
      holdMs: r.load.holdMeanMs,
      difference,
      agrees: Math.abs(difference) <= SWEEP_TOLERANCE,
      ...(model === 'finite-source' ? loadDependentPrediction(r, workers, poolSize, waitProbability) : {}),
    };
  });

  const holdMs = mean(runs.map((r) => r.load.holdMeanMs));
  const utilization = modelInput(mean(runs.map((r) => r.load.modelUtilization)));
  const busy = model === 'erlang-c' ? offeredLoad(holdMs) : workers * utilization;
  return {
    model,
    workers,
    utilization,
    ratePerSec: rate,
    holdMs,
    formulaPoolSize: formulaPoolSize(busy, 0),
    modelPoolSize:
      model === 'erlang-c'
        ? erlangCPoolSize(Math.max(offeredLoad(holdMs), 1e-9), SWEEP_TARGET_WAIT)
        : finiteSourcePoolSize(workers, utilization, SWEEP_TARGET_WAIT),
    tolerance: SWEEP_TOLERANCE,
    rows,
  };
}

/**
 * The same model fed with the holds as measured at each number of busy connections (load.holdByBusy): where
 * holds grow with the load (a CPU shared by Redis and the generator), this is what the model says for the
 * machine as it behaved, so what is left of the difference is the generator's and the pool's.
 */
function loadDependentPrediction(
  run: StrategyResult,
  workers: number,
  poolSize: number,
  measured: number,
): Pick<SweepRow, 'loadDependentPredictedWaitProbability' | 'loadDependentDifference'> {
  const levels = run.load.holdByBusy;
  if (!levels || levels.length === 0 || !(run.load.thinkMeanMs > 0)) return {};
  // A level with too few holds is noise: the run's mean hold stands for that state instead.
  const holdAt = new Map(levels.filter((l) => l.holds >= MIN_HOLDS_PER_LEVEL).map((l) => [l.busy, l.meanMs]));
  const predicted = loadDependentWait(
    workers,
    run.load.thinkMeanMs,
    (busy) => holdAt.get(busy) ?? run.load.holdMeanMs,
    poolSize,
  );
  return { loadDependentPredictedWaitProbability: predicted, loadDependentDifference: measured - predicted };
}
