import type { Slo } from '../gates/slo.js';

/** A step must have completed at least this share of the rate it was offered to be within capacity. */
export const COMPLETED_SHARE = 0.95;

/** One step of a strategy's capacity curve: one offered rate, measured. */
export interface CapacityStep {
  offeredRatePerSec: number;
  achievedRatePerSec: number;
  /** The request latency at each percentile an objective names (and p50, p99), ms. */
  latencyMs: Record<number, number>;
  errors: number;
  /** The load generator was the bottleneck of this step: its figures are the generator's, not the strategy's. */
  generatorSaturated: boolean;
}

/** Why a step is not within capacity, in order; empty when it is. */
export function stepMisses(step: CapacityStep, slo: readonly Slo[]): string[] {
  const misses: string[] = [];
  for (const objective of slo) {
    const latency = step.latencyMs[objective.percentile];
    if (latency === undefined || !(latency < objective.limitMs)) misses.push(objective.text);
  }
  if (step.achievedRatePerSec < COMPLETED_SHARE * step.offeredRatePerSec) misses.push('rate not kept');
  if (step.errors > 0) misses.push('errors');
  if (step.generatorSaturated) misses.push('generator saturated');
  return misses;
}

/**
 * The knee: the highest offered rate at which that step and every lower one met every objective, completed at least
 * 95 % of the rate offered, had no error, and whose generator was not the bottleneck (a saturated step says nothing
 * of the strategy, so it can be no knee, and the curve is not trusted beyond it). Null where the lowest step
 * already missed. The steps are taken in the order of their offered rates, whatever order they ran in.
 */
export function kneeOf(steps: readonly CapacityStep[], slo: readonly Slo[]): number | null {
  let knee: number | null = null;
  for (const step of [...steps].sort((a, b) => a.offeredRatePerSec - b.offeredRatePerSec)) {
    if (stepMisses(step, slo).length > 0) break;
    knee = step.offeredRatePerSec;
  }
  return knee;
}
