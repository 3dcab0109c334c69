import type { BenchConfig, StrategyResult } from '../../schema/bench.js';
import type { Warning } from '../../schema/warning.js';
import {
  formatCount,
  formatDecimal,
  formatMs,
  formatPercent,
  formatRate,
  formatSignificant,
  plural,
} from '../../format.js';
import { erlangC, erlangCPoolSize } from '../../sizing/erlang-c.js';
import { finiteSourcePoolSize, finiteSourceWait } from '../../sizing/finite-source.js';
import { canWaitForConnection, isSaturatingClosedLoop } from './alerts.js';
import { generatorSaturation } from './generator-health.js';
import { measuredWaitProbability, SWEEP_TARGET_WAIT } from './sweep.js';

/** What the answer needs of the configuration. */
export type PoolAnswerContext = Pick<BenchConfig, 'concurrency' | 'load' | 'poolSizes'>;

/** What `size`'s model says for the load a pooled run measured. */
export interface PoolPrediction {
  model: 'erlang-c' | 'finite-source';
  /** Mean connections busy: rate × mean hold (Erlang C), or workers × u (finite-source). */
  busy: number;
  /** P(wait) at the run's pool size. */
  waitProbability: number;
  /** The model's smallest pool with P(wait) ≤ 1 %. */
  poolForTarget: number;
}

/**
 * The model `size` would use for the load as measured: an open loop is an arrival rate (Erlang C with the schedule's
 * rate × the run's mean hold), a closed loop whose workers think is a finite source (the workers at the run's
 * u = hold / (hold + think)). Null for a closed loop without think time, where every worker holds a connection all
 * the time and there is nothing to predict.
 */
export function predictPool(result: StrategyResult, context: PoolAnswerContext): PoolPrediction | null {
  if (!result.pool || !(result.load.holdMeanMs > 0)) return null;
  const poolSize = result.pool.max;
  const rate = context.load.ratePerSec;
  if (rate !== null) {
    const busy = (rate * result.load.holdMeanMs) / 1000;
    return {
      model: 'erlang-c',
      busy,
      waitProbability: erlangC(poolSize, busy),
      poolForTarget: erlangCPoolSize(Math.max(busy, 1e-9), SWEEP_TARGET_WAIT),
    };
  }
  if (isSaturatingClosedLoop(context.load)) return null;
  const u = Math.min(1, Math.max(1e-9, result.load.modelUtilization));
  const workers = context.concurrency;
  return {
    model: 'finite-source',
    busy: workers * u,
    waitProbability: finiteSourceWait(workers, u, poolSize).waitProbability,
    poolForTarget: finiteSourcePoolSize(workers, u, SWEEP_TARGET_WAIT),
  };
}

const share = (p: number): string => (p > 0 && p < 0.000001 ? '< 0.0001 %' : formatPercent(p));

/**
 * "Is this pool big enough?", answered for one pooled run whose requests could wait for a connection (more workers
 * than connections; a sweep answers it row by row in its own table): the share of acquires that waited and the
 * acquire p99, beside what the model `size` uses predicts for the load measured, and the model's pool for at most
 * 1 % waiting. A note when at most 1 % waited, a warning when more did. A run the generator distorted says that its
 * waits are not the pool's alone.
 */
export function poolAnswer(result: StrategyResult, context: PoolAnswerContext): Warning[] {
  const { pool } = result;
  if (
    result.strategy !== 'pooled' ||
    !pool ||
    context.poolSizes !== null ||
    !canWaitForConnection(pool, context.concurrency)
  )
    return [];
  const prediction = predictPool(result, context);
  if (prediction === null) return [];
  const measured = measuredWaitProbability(result);
  const acquireP99 = result.acquireWait ? `, acquire p99 ${formatMs(result.acquireWait.p99)}` : '';
  const waited = `${share(measured)} of the acquires waited for a connection${acquireP99}`;
  const load =
    prediction.model === 'erlang-c'
      ? `${formatRate(context.load.ratePerSec!)} requests/s × a mean hold of ${formatMs(result.load.holdMeanMs)}`
      : `${plural(context.concurrency, 'worker')} at u = ${formatPercent(result.load.modelUtilization)} (mean hold ${formatMs(result.load.holdMeanMs)})`;
  const model = prediction.model === 'erlang-c' ? 'Erlang C' : 'finite-source';
  const predicted =
    `for the load measured (${load}: ${formatSignificant(prediction.busy)} connections busy on average) ` +
    `the ${model} model predicts ${share(prediction.waitProbability)} ` +
    `with ${plural(pool.max, 'connection')}, and ${formatCount(prediction.poolForTarget)} for at most ${formatPercent(SWEEP_TARGET_WAIT)}`;
  const enough = measured <= SWEEP_TARGET_WAIT;
  const modelEnough = prediction.waitProbability <= SWEEP_TARGET_WAIT;
  const target = formatPercent(SWEEP_TARGET_WAIT);
  const verdict = enough
    ? `the pool is big enough for this load: ${waited}`
    : !modelEnough
      ? `the pool is too small for this load: ${waited}, more than ${target}`
      : `more requests waited than the model predicts for this pool: ${waited}, more than ${target}`;
  const saturated = generatorSaturation(result) !== null;
  const distorted = saturated
    ? " (the load generator was saturated in this run: its waits are not the pool's alone, see its warning)"
    : '';
  const sizeCommand =
    prediction.model === 'erlang-c'
      ? `redis-pool size --rate ${context.load.ratePerSec} --hold-ms ${formatDecimal(result.load.holdMeanMs, 3)}`
      : `redis-pool size --threads ${context.concurrency} --utilization ${formatDecimal(result.load.modelUtilization, 3)}`;
  // The sizes around the model's: would a smaller pool do, or does it take a larger one?
  const sweep = `--pool-size ${Math.max(1, prediction.poolForTarget - 2)}..${prediction.poolForTarget + 2}`;
  return [
    {
      code: 'pool-answer',
      ...(enough ? { level: 'note' as const } : {}),
      message: `${result.label}: ${verdict}; ${predicted}${distorted}`,
      remedy: enough
        ? `\`${sizeCommand}\` sizes a pool for this load with a buffer and a fleet; a sweep (${sweep}) measures each size beside the model`
        : !modelEnough
          ? `grow the pool towards ${formatCount(prediction.poolForTarget)}, ` +
            `or measure the sizes around it beside the model with a sweep (${sweep}); \`${sizeCommand}\` sizes it for a fleet`
          : beyondTheModel(pool.max, saturated),
    },
  ];
}

/**
 * What to do when a pool the model finds big enough made more than 1 % wait: not "grow towards" a model's pool it
 * already exceeds. A saturated generator is the likelier cause (its late wake-ups send the workers in bursts);
 * else the load is not the model's (holds that lengthen with the load, bursts of the service's own), and a sweep
 * from this pool up finds the size that measured enough.
 */
function beyondTheModel(poolMax: number, saturated: boolean): string {
  const sweep = `--pool-size ${poolMax}..${poolMax + 4}`;
  return saturated
    ? 'give the generator less to do first (its warning says how) and measure again: ' +
        'requests it released in bursts waited for connections the model counts as free'
    : `measure this pool and larger ones with a sweep (${sweep}): ` +
        "where this load is not the model's (holds that lengthen as more run at once, bursts), the sweep finds the size that keeps the waits under 1 %";
}
