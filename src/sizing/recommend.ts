import type { QueueingResult, SizeInputs, SizeResult, WaitPrediction, FleetBudget } from '../schema/size.js';
import { SIZE_SCHEMA } from '../schema/names.js';
import type { Warning } from '../schema/warning.js';
import { formatCount, formatPercent, formatRate, plural } from '../format.js';
import { TOOL } from '../version.js';
import { erlangCPlan, type ErlangCWait } from './erlang-c.js';
import { finiteSourcePoolSize, finiteSourceWait } from './finite-source.js';
import { busyFromRate, busyFromThreads, formulaPoolSize } from './formula.js';
import { fleetBudget, LIMIT_WARNING_FRACTION } from './fleet.js';
import { peakAboveKneeWarning, peakPlan } from './peak.js';

/** The whole answer of `redis-pool size`, as a pure function of resolved inputs. */
export function recommendPoolSize(inputs: SizeInputs): SizeResult {
  const fromRate = inputs.ratePerSec !== null && inputs.holdMs !== null;
  const busy = fromRate
    ? busyFromRate(inputs.ratePerSec!, inputs.holdMs!)
    : busyFromThreads(inputs.threads!, inputs.utilization!);
  const poolSize = formulaPoolSize(busy, inputs.buffer);

  const models: QueueingResult[] = [];
  if (inputs.threads !== null && inputs.utilization !== null) models.push(finiteSourceResult(inputs, poolSize));
  if (fromRate) models.push(erlangCResult(busy, inputs, poolSize));
  const queueing = models[0]!;

  const fleet = {
    ...inputs.fleet,
    formula: fleetBudget(poolSize, inputs.fleet),
    queueing: fleetBudget(queueing.poolSize, inputs.fleet),
  };
  const peak = peakPlan(inputs);
  const aboveKnee = peak && peakAboveKneeWarning(peak, inputs.knee);
  return {
    schema: SIZE_SCHEMA,
    tool: { ...TOOL },
    inputs,
    poolSize,
    formula: {
      expression: formulaExpression(inputs, fromRate, poolSize),
      busyConnections: busy,
      busySource: fromRate ? 'rate×hold' : 'threads×utilization',
      buffer: inputs.buffer,
      poolSize,
    },
    queueing,
    models,
    fleet,
    peak,
    warnings: [...(aboveKnee ? [aboveKnee] : []), ...sizeWarnings(inputs, poolSize, queueing, fleet.formula)],
  };
}

function finiteSourceResult(inputs: SizeInputs, formulaSize: number): QueueingResult {
  const threads = inputs.threads!;
  const utilization = inputs.utilization!;
  const predict = (size: number): WaitPrediction => {
    const wait = finiteSourceWait(threads, utilization, size);
    const inHolds = Number.isFinite(wait.meanWaitInHoldTimes) ? wait.meanWaitInHoldTimes : null;
    return {
      poolSize: size,
      waitProbability: wait.waitProbability,
      meanWaitMs: inHolds !== null && inputs.holdMs !== null ? inHolds * inputs.holdMs : null,
      meanWaitInHoldTimes: inHolds,
      p99WaitMs: null,
    };
  };
  const size = finiteSourcePoolSize(threads, utilization, inputs.targetWait);
  return {
    model: 'finite-source',
    targetWait: inputs.targetWait,
    ...predict(size),
    atFormulaSize: predict(formulaSize),
  };
}

function erlangCResult(offeredLoad: number, inputs: SizeInputs, formulaSize: number): QueueingResult {
  const holdMs = inputs.holdMs!;
  const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);
  const prediction = (poolSize: number, wait: ErlangCWait): WaitPrediction => ({
    poolSize,
    waitProbability: wait.waitProbability,
    meanWaitMs: finite(wait.meanWaitMs),
    meanWaitInHoldTimes: finite(wait.meanWaitMs / holdMs),
    p99WaitMs: finite(wait.p99WaitMs),
  });
  // One walk of the recursion answers both the model's pool and the formula's.
  const plan = erlangCPlan(offeredLoad, holdMs, inputs.targetWait, [formulaSize]);
  return {
    model: 'erlang-c',
    targetWait: inputs.targetWait,
    ...prediction(plan.poolSize, plan.wait),
    atFormulaSize: prediction(formulaSize, plan.alsoAt[0]!),
  };
}

function formulaExpression(inputs: SizeInputs, fromRate: boolean, poolSize: number): string {
  const busyPart = fromRate
    ? `${formatRate(inputs.ratePerSec!)}/s × ${sixDigits(inputs.holdMs!)} ms`
    : `${formatCount(inputs.threads!)} × ${sixDigits(inputs.utilization! * 100)} %`;
  return `ceil(${busyPart}) + ${formatCount(inputs.buffer)} = ${formatCount(poolSize)}`;
}

/**
 * An input of the formula's expression as the user gave it (2, 7.5), or, measured (size --from), to six significant
 * digits: enough to redo the ceil by hand, without the float's tail (0.230829375).
 */
function sixDigits(value: number): string {
  return String(Number(value.toPrecision(6)));
}

function sizeWarnings(inputs: SizeInputs, poolSize: number, queueing: QueueingResult, fleet: FleetBudget): Warning[] {
  const warnings: Warning[] = [];
  if (inputs.threads !== null && poolSize > inputs.threads) {
    warnings.push({
      code: 'pool-exceeds-threads',
      message:
        `the pool (${poolSize}) is larger than the number of threads ` +
        `(${inputs.threads}): ${poolSize - inputs.threads} connection(s) can never be in use at once`,
      remedy: `cap the pool at ${inputs.threads}, or lower --buffer`,
    });
  }
  if (queueing.atFormulaSize.waitProbability > inputs.targetWait) {
    warnings.push({
      code: 'formula-below-target',
      message:
        queueing.atFormulaSize.meanWaitInHoldTimes === null
          ? `the formula's pool of ${poolSize} cannot keep up with the load (${queueing.model} model): every request waits and the queue grows without bound`
          : `the formula's pool of ${formatCount(poolSize)} ` +
            `makes ${formatPercent(queueing.atFormulaSize.waitProbability)} of requests wait ` +
            `(${queueing.model} model), above the ${formatPercent(inputs.targetWait)} target`,
      remedy: `use ${plural(queueing.poolSize, 'connection')} (raise --buffer to ${inputs.buffer + queueing.poolSize - poolSize})`,
    });
  }
  if (fleet.maxclientsFraction > 1) {
    warnings.push({
      code: 'maxclients-exceeded',
      message:
        `${formatCount(fleet.connectionsPerNode)} connections per Redis node exceed ` +
        `maxclients (${formatCount(inputs.fleet.maxclients)}): new connections will be refused`,
      remedy: 'shrink the pools, use fewer instances, or raise maxclients on the server',
    });
  } else if (fleet.maxclientsFraction > LIMIT_WARNING_FRACTION) {
    warnings.push({
      code: 'maxclients-near-limit',
      message:
        `${formatCount(fleet.connectionsPerNode)} connections per Redis ` +
        `node use ${formatPercent(fleet.maxclientsFraction)} of maxclients ` +
        `(${formatCount(inputs.fleet.maxclients)}), past the 80 % alert level`,
      remedy:
        'leave headroom for deploys (old and new instances overlap) and admin connections: shrink the pools or raise maxclients',
    });
  }
  if (fleet.fdFraction > LIMIT_WARNING_FRACTION) {
    warnings.push({
      code: 'fd-limit',
      message:
        `each process holds ${formatCount(fleet.connectionsPerProcess)} ` +
        `Redis sockets, ${formatPercent(fleet.fdFraction)} of its ` +
        `file-descriptor limit (${formatCount(inputs.fleet.fdLimit)})`,
      remedy: 'raise the limit (ulimit -n / LimitNOFILE) or shrink the pools',
    });
  }
  return warnings;
}
