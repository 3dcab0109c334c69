import { generatorSaturation } from '../bench/findings/generator-health.js';
import { formatDecimal, formatDerivedRate, formatRate } from '../format.js';
import type { BenchResult, StrategyResult, SweepResult } from '../schema/bench.js';
import type { SizeResult } from '../schema/size.js';
import type { Warning } from '../schema/warning.js';
import { instancesOfBench, workersPerInstance } from '../sizing/instances.js';
import { kneePerInstance, kneeStepOf, withinObjectives } from '../sizing/peak.js';

/** One measured bench result and the file it was read from (the file names it in the report). */
export interface CapacityBench {
  file: string;
  result: BenchResult;
}

/** What a capacity plan is asked beside its documents: report --peak-rate, the whole fleet's peak (req/s). */
export interface CapacityOptions {
  peakRatePerSec?: number;
}

/**
 * The labels of a bench's runs that the load generator distorted (a generator-saturated finding): what they measured
 * is the generator's as much as the pool's or Redis', so none of it is fair evidence for a plan.
 */
export function saturatedRuns(result: BenchResult): Set<string> {
  return new Set(result.results.filter((r) => generatorSaturation(r) !== null).map((r) => r.label));
}

/** The sweep's rows measured with a generator that applied the load it was asked for. */
export function fairRows(sweep: SweepResult, saturated: ReadonlySet<string>): SweepResult['rows'] {
  return sweep.rows.filter((row) => !saturated.has(row.label));
}

/**
 * The smallest pool of a sweep whose measured waiting share met the target, or null when none did; rows measured
 * with the generator saturated (`saturated`, by label) are no evidence and are left out.
 */
export function smallestPoolMeetingTarget(
  sweep: SweepResult,
  targetWait: number,
  saturated: ReadonlySet<string> = new Set(),
): SweepResult['rows'][number] | null {
  const reaching = fairRows(sweep, saturated).filter((row) => row.waitProbability <= targetWait);
  return reaching.length === 0 ? null : reaching.reduce((best, row) => (row.poolSize < best.poolSize ? row : best));
}

/** The load the bench measured, in the plan's terms: a sweep's model inputs, else its pooled run's load. */
export interface MeasuredLoad {
  source: string;
  workers: number;
  holdMs: number;
  /** Closed loop only: in open loop the workers' utilization is not the plan's input. */
  utilization: number | null;
  /** Open loop only. */
  ratePerSec: number | null;
}

export function measuredLoad(result: BenchResult): MeasuredLoad | null {
  const openLoop = result.config.load.ratePerSec !== null;
  const sweep = result.sweep;
  if (sweep) {
    return {
      source: 'over its sweep',
      workers: sweep.workers,
      holdMs: sweep.holdMs,
      utilization: openLoop ? null : sweep.utilization,
      ratePerSec: sweep.ratePerSec,
    };
  }
  const pooled = result.capacity ? kneeStep(result) : result.results.find((r) => r.strategy === 'pooled');
  if (!pooled) return null;
  // The plan sizes one instance's pool; a run of several (--threads, merged machines) served their load together.
  const instances = instancesOfBench(result);
  return {
    source: `in its ${pooled.label} run${instances === 1 ? '' : `, each of its ${instances} instances`}`,
    workers: workersPerInstance(result),
    holdMs: pooled.load.holdMeanMs,
    utilization: openLoop ? null : pooled.load.modelUtilization,
    ratePerSec: openLoop ? pooled.load.achievedRate / instances : null,
  };
}

/** A capacity curve's pooled step at its knee (the load one instance takes within its objectives); none without one. */
function kneeStep(result: BenchResult): StrategyResult | undefined {
  const curve = result.capacity?.find((c) => c.strategy === 'pooled' && c.kneeRatePerSec !== null);
  return curve && kneeStepOf(result, curve);
}

/** A cluster bench's connections per node, measured, beside what `size --shards` predicted for it and what the plan holds. */
export interface ClusterEvidence {
  /** Masters the bench ran against, and the plan's shards. */
  masters: number;
  planShards: number;
  /** The plan's connections per node (instances × the recommended pool). */
  planConnectionsPerNode: number;
  runs: {
    label: string;
    /** size's fleet budget for the bench's own pool (null: per-request, no pool). */
    predictedPerNode: number | null;
    /** The most sockets to any one node in the window (client side), and the highest server-side peak of any node. */
    measuredPeakPerNode: number;
    serverPeakPerNode: number;
  }[];
}

export function clusterEvidence(
  plan: { shards: number; connectionsPerNode: number },
  result: BenchResult,
): ClusterEvidence | null {
  const runs = result.results.filter((r) => r.cluster);
  if (runs.length === 0) return null;
  return {
    masters: runs[0]!.cluster!.nodes.length,
    planShards: plan.shards,
    planConnectionsPerNode: plan.connectionsPerNode,
    runs: runs.map((r) => ({
      label: r.label,
      predictedPerNode: r.predictedConnections?.perNode ?? null,
      measuredPeakPerNode: Math.max(...r.cluster!.nodes.map((n) => n.connections.peakOpenInWindow)),
      serverPeakPerNode: Math.max(...r.cluster!.nodes.map((n) => n.connections.serverPeakClients)),
    })),
  };
}

/** The code of the warning that the plan's load per instance is above a pooled curve's knee. */
export const PLAN_ABOVE_KNEE = 'plan-above-knee';

/** A warning of the report, and where it comes from: "plan", or the bench file. */
export type ReportWarning = Warning & { from: string };

/** The report's warnings, once for every format: the plan's, each bench's, and the plan's load against each knee. */
export function reportWarnings(size: SizeResult, benches: readonly CapacityBench[]): ReportWarning[] {
  return [
    ...size.warnings.map((w) => ({ ...w, from: 'plan' })),
    ...benches.flatMap(({ file, result }) => [
      ...result.warnings.map((w) => ({ ...w, from: file })),
      ...planAboveKnee(size, file, result).map((w) => ({ ...w, from: file })),
    ]),
  ];
}

/** The plan's requests per second for one instance: its rate, or its busy threads over its hold; null without them. */
function planRatePerInstance({ inputs }: SizeResult): number | null {
  if (inputs.ratePerSec !== null) return inputs.ratePerSec;
  if (inputs.threads === null || inputs.utilization === null || inputs.holdMs === null) return null;
  return (inputs.threads * inputs.utilization * 1000) / inputs.holdMs;
}

/**
 * A plan that puts more on one instance than a pooled curve's knee sizes a pool for a load at which the bench saw
 * that instance's tail latency break: the pool may be right and the instance still too loaded.
 */
function planAboveKnee(size: SizeResult, file: string, result: BenchResult): Warning[] {
  const rate = planRatePerInstance(size);
  if (rate === null) return [];
  return (result.capacity ?? [])
    .filter((curve) => curve.strategy === 'pooled')
    .flatMap((curve) => {
      const knee = kneePerInstance(curve);
      if (knee === null || rate <= knee) return [];
      // The first step above the knee that missed; steps above it that met everything on a saturated generator, or
      // none at all, say nothing fair of the plan's load.
      const aboveKnee = curve.rows.filter((row) => row.offeredRatePerSec > curve.kneeRatePerSec!);
      const missed = aboveKnee.find((row) => row.misses.length > 0);
      const stepsAbove = aboveKnee.length > 0;
      const above = missed
        ? `at ${formatDerivedRate(missed.offeredRatePerSec / (curve.instances ?? 1))} req/s it missed ${missed.misses.join(', ')}`
        : stepsAbove
          ? "the steps above it ran on a saturated load generator, so nothing fair was measured at the plan's load"
          : "the curve stops there, so nothing was measured at the plan's load";
      return [
        {
          code: PLAN_ABOVE_KNEE,
          message:
            `the plan puts ${formatDerivedRate(rate)} req/s on each instance, ${formatDecimal(rate / knee, 1)}× the ` +
            `${formatRate(knee)} req/s one instance of ${curve.label} served${withinObjectives(curve.slo)}; ${above}`,
          remedy: missed
            ? 'spread the load over more instances, each at most the knee ' +
              `(\`redis-pool size --from ${file} --peak-rate <the fleet's peak>\` sizes them)`
            : `run the curve on up to the plan's rate (a last --rate step of ${Math.ceil(rate)})` +
              (stepsAbove ? ', with a load generator that keeps up (--threads, or a second load machine)' : '') +
              ' to find where it breaks',
        },
      ];
    });
}
