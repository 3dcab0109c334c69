import type { BenchConfig, StrategyResult, SweepResult, SweepRow } from '../report/bench-schema.js';
import { erlangC, erlangCPoolSize } from '../sizing/erlang-c.js';
import { finiteSourcePoolSize, finiteSourceWait } from '../sizing/finite-source.js';
import { formulaPoolSize } from '../sizing/formula.js';

/** The wait target the sweep's "model pool size" is marked for. */
export const SWEEP_TARGET_WAIT = 0.01;

/** Share of acquires that queued for a connection, from the pool's own counters. */
export function measuredWaitProbability(result: StrategyResult): number {
  const pool = result.pool;
  if (!pool) return 0;
  const acquires = pool.hits + pool.misses + pool.timeouts + pool.exhausted;
  return acquires === 0 ? 0 : pool.waitCount / acquires;
}

/**
 * Puts each pooled run of a sweep beside what the sizing models predict for the same inputs, measured from the
 * runs themselves: closed loop → finite-source with the workers and u = hold / (hold + think); open loop →
 * Erlang C with the rate and the mean hold time.
 */
export function buildSweep(config: BenchConfig, results: StrategyResult[]): SweepResult | null {
  const runs = results.filter((r) => r.strategy === 'pooled');
  if (config.poolSizes === null || runs.length === 0) return null;
  const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
  const holdMs = mean(runs.map((r) => r.load.holdMeanMs));
  const workers = config.concurrency;
  const rate = config.load.ratePerSec;
  const utilization = Math.min(1, Math.max(1e-9, mean(runs.map((r) => r.load.modelUtilization))));
  const model = rate !== null ? 'erlang-c' : 'finite-source';
  const offeredLoad = rate !== null ? (rate * holdMs) / 1000 : 0;
  const predict = (poolSize: number): number =>
    model === 'erlang-c' ? erlangC(poolSize, offeredLoad) : finiteSourceWait(workers, utilization, poolSize).waitProbability;

  const rows: SweepRow[] = runs.map((r) => ({
    poolSize: r.pool!.max,
    label: r.label,
    throughput: r.throughput,
    waitProbability: measuredWaitProbability(r),
    acquireP50: r.acquireWait?.p50 ?? 0,
    acquireP99: r.acquireWait?.p99 ?? 0,
    predictedWaitProbability: predict(r.pool!.max),
    model,
  }));
  const busy = model === 'erlang-c' ? offeredLoad : workers * utilization;
  return {
    model,
    workers,
    utilization,
    ratePerSec: rate,
    holdMs,
    formulaPoolSize: formulaPoolSize(busy, 0),
    modelPoolSize: model === 'erlang-c' ? erlangCPoolSize(Math.max(offeredLoad, 1e-9), SWEEP_TARGET_WAIT) : finiteSourcePoolSize(workers, utilization, SWEEP_TARGET_WAIT),
    rows,
  };
}
