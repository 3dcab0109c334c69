/**
 * A fleet at its peak (size --peak-rate, report --peak-rate): the whole fleet's peak rate, shared evenly by its
 * instances, each of which a capacity curve measured to serve up to its knee within the curve's objectives.
 */
import { formatCount, formatDerivedRate, formatRate, plural } from '../format.js';
import type { BenchResult, CapacityCurve, StrategyResult } from '../schema/bench.js';
import { stepLabel } from '../step-labels.js';
import type { KneeSource, PeakPlan, SizeInputs } from '../schema/size.js';
import type { Warning } from '../schema/warning.js';

/**
 * What one instance served at a curve's knee. A curve measured by several instances (--threads, merged machines)
 * offered each step's rate to all of them, so its knee is theirs together; null without a knee.
 */
export function kneePerInstance(curve: Pick<CapacityCurve, 'kneeRatePerSec' | 'instances'>): number | null {
  return curve.kneeRatePerSec === null ? null : curve.kneeRatePerSec / (curve.instances ?? 1);
}

/** A curve's step at its knee, as measured (its hold, its connections, its pool); none without a knee. */
export function kneeStepOf(result: BenchResult, curve: CapacityCurve): StrategyResult | undefined {
  if (curve.kneeRatePerSec === null) return undefined;
  const label = stepLabel(curve.label, curve.kneeRatePerSec);
  return result.results.find((r) => r.label === label);
}

/** A figure a curve's step measured for all its instances, for one of them (rounded up: a connection is whole). */
export function perInstance(figure: number, curve: Pick<CapacityCurve, 'instances'>): number {
  return Math.ceil(figure / (curve.instances ?? 1));
}

/** The fewest instances that each take at most the knee of a peak: ceil(peak ÷ knee), at least one. */
export function instancesForPeak(peakRatePerSec: number, kneeRatePerSec: number): number {
  return Math.max(1, Math.ceil(peakRatePerSec / kneeRatePerSec));
}

/** The fleet at its peak, from resolved inputs (their fleet's instances share the peak); null without a peak. */
export function peakPlan(inputs: SizeInputs): PeakPlan | null {
  if (!inputs.peak) return null;
  const { instances } = inputs.fleet;
  const ratePerInstance = inputs.peak.ratePerSec / instances;
  const knee = inputs.knee?.ratePerSec ?? null;
  return {
    peakRatePerSec: inputs.peak.ratePerSec,
    instances,
    instancesFrom: inputs.peak.instancesFrom,
    ratePerInstance,
    kneeRatePerSec: knee,
    shareOfKnee: knee === null ? null : ratePerInstance / knee,
  };
}

/** The objectives a knee was measured within, in a phrase: "within p99<5ms" (empty without any). */
export function withinObjectives(slo: readonly string[]): string {
  return slo.length > 0 ? ` within ${slo.join(' and ')}` : '';
}

/** --instances too few for the peak: each would take more than one instance was measured to serve. */
export function peakAboveKneeWarning(plan: PeakPlan, knee: KneeSource | null | undefined): Warning | null {
  if (!knee || plan.shareOfKnee === null || plan.shareOfKnee <= 1) return null;
  const needed = instancesForPeak(plan.peakRatePerSec, knee.ratePerSec);
  return {
    code: 'peak-above-knee',
    message:
      `at the peak of ${formatRate(plan.peakRatePerSec)} req/s, each of the ${plural(plan.instances, 'instance')} ` +
      `would take ${formatDerivedRate(plan.ratePerInstance)} req/s, above the ${formatCount(knee.ratePerSec)} req/s ` +
      `one instance served${withinObjectives(knee.slo)} (${knee.label} in ${knee.file})`,
    remedy: `run at least ${plural(needed, 'instance')} (the peak ÷ the knee, rounded up), or leave out --instances`,
  };
}
