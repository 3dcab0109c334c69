import type { BenchConfig, CapacityCurve, CapacityRow, StrategyResult } from '../../schema/bench.js';
import { curveLabel, stepRate } from '../../step-labels.js';
import { parseSlo, type Slo } from '../gates/slo.js';
import { generatorSaturation } from './generator-health.js';

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
  return misses;
}

/**
 * The knee: the highest offered rate at which that step and every lower one met every objective, completed at least
 * 95 % of the rate offered and had no error. A step whose generator saturated can be no knee: its figures are partly
 * the generator's. It still counts as met when it met everything, since a saturated generator only adds latency and
 * loses rate; one that missed ends the curve, as any miss does. Null where no step qualifies. The steps are taken
 * in the order of their offered rates, whatever order they ran in.
 */
export function kneeOf(steps: readonly CapacityStep[], slo: readonly Slo[]): number | null {
  let knee: number | null = null;
  for (const step of [...steps].sort((a, b) => a.offeredRatePerSec - b.offeredRatePerSec)) {
    if (stepMisses(step, slo).length > 0) break;
    if (!step.generatorSaturated) knee = step.offeredRatePerSec;
  }
  return knee;
}

/** How the steps were measured: by how many instances, and which steps' generators were the bottleneck. */
export interface CapacityMeasurement {
  /** The service instances the steps stand for (--threads, merged machines); 1 for one process. */
  instances: number;
  bottlenecked: (result: StrategyResult) => boolean;
}

/**
 * Each strategy's capacity curve from the steps of a rate sweep (--rate with several rates): its rows in the order
 * of the offered rates, each with why it missed if it did, and its knee. Null without a rate sweep.
 */
export function buildCapacity(
  config: BenchConfig,
  results: readonly StrategyResult[],
  { instances, bottlenecked }: CapacityMeasurement = { instances: 1, bottlenecked: generatorWasBottleneck },
): CapacityCurve[] | null {
  if (!config.rates) return null;
  const slo = (config.slo ?? []).map((text) => parseSlo(text));
  const curves = new Map<string, StrategyResult[]>();
  for (const result of results) {
    const label = curveLabel(result.label);
    curves.set(label, [...(curves.get(label) ?? []), result]);
  }
  return [...curves.entries()].map(([label, steps]) => {
    const rows = steps.map((result) => capacityRow(result, slo, bottlenecked(result)));
    rows.sort((a, b) => a.offeredRatePerSec - b.offeredRatePerSec);
    return {
      strategy: steps[0]!.strategy,
      label,
      slo: slo.map((objective) => objective.text),
      kneeRatePerSec: kneeOf(rows.map(stepOf), slo),
      ...(instances > 1 ? { instances } : {}),
      rows,
    };
  });
}

function capacityRow(result: StrategyResult, slo: readonly Slo[], generatorSaturated: boolean): CapacityRow {
  const { latency, load } = result;
  const row: CapacityRow = {
    // The label's rate is the step's as planned; added up over threads, the requested rates may be a rounding off it.
    offeredRatePerSec: stepRate(result.label) ?? load.requestedRate ?? 0,
    // What the run's table calls req/s (the successes over its window): the curve and the table never disagree.
    achievedRatePerSec: result.throughput,
    p50Ms: latency.p50,
    p90Ms: latency.p90,
    p99Ms: latency.p99,
    p999Ms: latency.p999,
    errors: result.errors,
    generatorSaturated,
    acquireWaitP99Ms: result.acquireWait?.p99 ?? null,
    // Little's law: the connections busy on average, the rate served × the time each request held one.
    busyConnections: result.strategy === 'pooled' ? (result.throughput * load.holdMeanMs) / 1000 : null,
    misses: [],
  };
  row.misses = stepMisses(stepOf(row), slo);
  return row;
}

/**
 * The generator could not make the load it was asked for: its event loop was busy, or lagged by a share of the
 * latency (see generator-health.ts). Starts a little late against a fast server ('late-starts', 'late-wake-ups')
 * only add to the latency reported, so a step that met its objectives with them met them all the more.
 */
export function generatorWasBottleneck(result: StrategyResult): boolean {
  const reasons = generatorSaturation(result)?.reasons ?? [];
  return reasons.includes('busy-loop') || reasons.includes('loop-lag');
}

function stepOf(row: CapacityRow): CapacityStep {
  return {
    offeredRatePerSec: row.offeredRatePerSec,
    achievedRatePerSec: row.achievedRatePerSec,
    latencyMs: { 50: row.p50Ms, 90: row.p90Ms, 99: row.p99Ms, 99.9: row.p999Ms },
    errors: row.errors,
    generatorSaturated: row.generatorSaturated,
  };
}
