import { serverOf } from '../redis/info.js';
import { REPORT_SCHEMA } from '../schema/report.js';
import { compareStrategies, type Comparison } from './compare.js';
import { TOOL } from '../version.js';
import type { BenchResult } from '../schema/bench.js';
import {
  clusterEvidence,
  measuredLoad,
  reportWarnings,
  saturatedRuns,
  smallestPoolMeetingTarget,
  type CapacityBench,
  type CapacityOptions,
  type ClusterEvidence,
  type MeasuredLoad,
  type ReportWarning,
} from './capacity-evidence.js';
import type { PeakPlan, QueueingModelName, QueueingResult, SizeInputs, SizeResult } from '../schema/size.js';
import { peakFleet, type PeakFleet } from './peak-section.js';
import { rowAgreement, sweepTolerance } from './sweep-section.js';

/**
 * `redis-pool report --json`: the capacity plan as data, section by section as in the Markdown document
 * (inputs, pool per instance, per Redis node, measured evidence, warnings). The bench documents themselves are
 * named by file and runId, not copied.
 */
export interface CapacityReportDocument {
  schema: typeof REPORT_SCHEMA;
  tool: { name: string; version: string };
  plan: {
    sizeSchema: string;
    inputs: SizeInputs;
    formula: SizeResult['formula'];
    /** Every model the inputs allow, the primary first. */
    models: QueueingResult[];
    /** size --peak-rate: the plan's fleet at its peak; null without. */
    peak: PeakPlan | null;
  };
  recommendation: {
    poolSize: number;
    model: QueueingModelName;
    targetWait: number;
    waitProbability: number;
    formulaPoolSize: number;
    waitProbabilityAtFormulaSize: number;
  };
  /** Connections per Redis node and per process, for the formula's pool and the model's. */
  perNode: SizeResult['fleet'];
  /**
   * The fleet at its peak (report --peak-rate, else the plan's): per capacity curve of the benches, the instances
   * it needs and the connections they open per node; null without a peak.
   */
  peak: PeakFleet | null;
  evidence: CapacityEvidence[];
  /** The plan's warnings and every bench's, each saying where it comes from ("plan" or the bench file). */
  warnings: ReportWarning[];
}

export interface CapacityEvidence {
  file: string;
  runId: string;
  startedAt: string;
  interrupted: boolean;
  target: BenchResult['target'];
  runs: {
    label: string;
    strategy: string;
    throughput: number;
    latencyP50Ms: number;
    latencyP99Ms: number;
    acquireWaitP99Ms: number | null;
    connectionsUsed: number;
    serverPeakClients: number;
    errors: number;
    /** Measured with the load generator saturated (a generator-saturated warning): not fair evidence. */
    generatorSaturated: boolean;
  }[];
  comparisons: Comparison[];
  sweep: {
    model: QueueingModelName;
    /** Largest |measured − predicted| a row may show and still agree with the model. */
    tolerance: number;
    rows: {
      poolSize: number;
      measuredWaitProbability: number;
      predictedWaitProbability: number;
      /** measured − predicted, and whether it is within the tolerance. */
      difference: number;
      agrees: boolean;
      acquireWaitP99Ms: number;
      /** Measured with the load generator saturated: not fair evidence, and left out of smallestPoolMeetingTarget. */
      generatorSaturated: boolean;
    }[];
    /** The smallest pool measured with a fair generator whose waiting share met the plan's target; null when none did. */
    smallestPoolMeetingTarget: number | null;
  } | null;
  /** The load the bench measured, to set beside the plan's inputs. */
  measuredLoad: MeasuredLoad | null;
  /** A cluster bench: connections per node measured, beside size's prediction and the plan's; null otherwise. */
  cluster: ClusterEvidence | null;
}

export function capacityReportDocument(
  size: SizeResult,
  benches: CapacityBench[],
  options: CapacityOptions = {},
): CapacityReportDocument {
  return {
    schema: REPORT_SCHEMA,
    tool: { ...TOOL },
    plan: {
      sizeSchema: size.schema,
      inputs: size.inputs,
      formula: size.formula,
      models: size.models,
      peak: size.peak ?? null,
    },
    recommendation: {
      poolSize: size.queueing.poolSize,
      model: size.queueing.model,
      targetWait: size.queueing.targetWait,
      waitProbability: size.queueing.waitProbability,
      formulaPoolSize: size.formula.poolSize,
      waitProbabilityAtFormulaSize: size.queueing.atFormulaSize.waitProbability,
    },
    perNode: size.fleet,
    peak: peakFleet(size, benches, options.peakRatePerSec),
    evidence: benches.map((bench) => evidence(size, bench)),
    warnings: reportWarnings(size, benches),
  };
}

function evidence(size: SizeResult, { file, result }: CapacityBench): CapacityEvidence {
  const sweep = result.sweep;
  const saturated = saturatedRuns(result);
  return {
    file,
    runId: result.runId,
    startedAt: result.startedAt,
    interrupted: result.interrupted,
    // An older result has no `server`: it read redis_version only, and is Redis at that version.
    target: { ...result.target, server: serverOf(result.target) },
    runs: result.results.map((r) => ({
      label: r.label,
      strategy: r.strategy,
      throughput: r.throughput,
      latencyP50Ms: r.latency.p50,
      latencyP99Ms: r.latency.p99,
      acquireWaitP99Ms: r.acquireWait?.p99 ?? null,
      connectionsUsed: r.connections.used,
      serverPeakClients: r.connections.serverPeakClients,
      errors: r.errors,
      generatorSaturated: saturated.has(r.label),
    })),
    comparisons: compareStrategies(result.results),
    sweep: sweep
      ? {
          model: sweep.model,
          tolerance: sweepTolerance(sweep),
          rows: sweep.rows.map((row) => ({
            poolSize: row.poolSize,
            measuredWaitProbability: row.waitProbability,
            predictedWaitProbability: row.predictedWaitProbability,
            ...rowAgreement(sweep, row),
            acquireWaitP99Ms: row.acquireP99,
            generatorSaturated: saturated.has(row.label),
          })),
          smallestPoolMeetingTarget:
            smallestPoolMeetingTarget(sweep, size.inputs.targetWait, saturated)?.poolSize ?? null,
        }
      : null,
    measuredLoad: measuredLoad(result),
    cluster: clusterEvidence(
      { shards: size.fleet.shards, connectionsPerNode: size.fleet.queueing.connectionsPerNode },
      result,
    ),
  };
}
