import { UsageError } from '../errors.js';
import type { BenchResult, StrategyResult } from '../report/bench-schema.js';
import type { SizeFlags } from './inputs.js';

/**
 * The load a bench run measured, as size flags: a closed loop gives threads (the workers) and the utilization
 * u = hold / (hold + think); an open loop gives its rate and the mean hold time. The pooled run is the one
 * that measures a pool's hold time; without one, the first run.
 */
export function sizeFlagsFromBench(result: BenchResult, file: string): SizeFlags {
  const run: StrategyResult | undefined = result.results.find((r) => r.strategy === 'pooled') ?? result.results[0];
  if (run === undefined || run.load === undefined || run.load.holdMeanMs <= 0) {
    throw new UsageError(`--from ${file}: the result has no measured hold time (no completed requests)`);
  }
  const holdMs = run.load.holdMeanMs;
  const rate = result.config.load.ratePerSec;
  if (rate !== null) return { ratePerSec: rate, holdMs };
  return { threads: result.config.concurrency, utilization: Math.min(1, Math.max(run.load.modelUtilization, 1e-9)), holdMs };
}
