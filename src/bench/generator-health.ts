import type { StrategyResult } from '../schema/bench.js';
import { formatCount, formatDecimal, formatPercent } from '../format.js';
import type { Warning } from '../schema/warning.js';

/**
 * When is a run not a fair test of the model? The queueing models assume threads that ask for a connection
 * independently of each other. The generator approximates them with workers that sleep a think time (or wait for an
 * open-loop start time) on one event loop. A wake-up that fires late is harmless on its own: it only lengthens that
 * think time, and the measured u already counts it. What breaks the model is that late wake-ups are late *together*:
 * the loop was busy, and every worker due meanwhile wakes at the same instant and asks for a connection in a burst.
 * How much a burst matters is set by the hold time: requests that were meant to arrive within a fraction of one hold
 * of each other would have overlapped anyway, while requests moved by a hold or more find a pool busier than
 * independent threads would. So the rule compares the lateness with the run's own mean hold, at two points:
 *
 * - the bulk, p90 > 50 % of the mean hold: one wake-up in ten moved by more than half a hold. A timer with 1 ms
 *   resolution on a 0.5 ms hold (lateness spread over the millisecond, p90 ≈ 0.9 ms), or 200 workers on 2 cores
 *   (lateness in milliseconds), is far past it; a precise scheduler on 20 workers with 10 GETs per request (hold
 *   ≈ 0.5 ms, lateness p90 below ~100 µs, p99 50–200 µs) stays well under it (250 µs).
 * - the tail, p99 > 2 × the mean hold: one in a hundred moved by more than two holds, which is what stalls of the
 *   loop look like (each releases the wake-ups due during it at once). A single GC pause moves far fewer than 1 %
 *   of the wake-ups of a run of seconds and does not count.
 *
 * The event-loop utilization is not part of the rule: a precise scheduler waits for its last stretch on
 * setImmediate, which keeps the loop busy by design, so a loop near 100 % busy says nothing by itself. The loop's
 * delay is sampled by a timer at millisecond resolution and counts stalls whether or not a worker was due; the
 * lateness of the wake-ups is the direct measure of what the workers suffered. Both are in the message.
 */
export const GENERATOR_LIMITS = {
  /** Wake-up lateness p90 above this share of the mean hold: the bulk of the arrivals is bunched. */
  latenessP90OfHold: 0.5,
  /** Wake-up lateness p99 above this multiple of the mean hold: stalls release bursts of arrivals. */
  latenessP99OfHold: 2,
} as const;

/** The figures that crossed a limit, or null when the generator applied the load it was asked for. */
export interface GeneratorSaturation {
  holdUs: number;
  p90Us: number;
  p99Us: number;
  p90LimitUs: number;
  p99LimitUs: number;
}

/** Whether the run's wake-ups were late enough, against its mean hold, to distort the load (see above). */
export function generatorSaturation(result: StrategyResult): GeneratorSaturation | null {
  const lateness = result.generator?.wakeLateness;
  const holdUs = result.load.holdMeanMs * 1000;
  // Nothing was scheduled (closed loop without think time), or no request held a connection: nothing to judge.
  if (!lateness || lateness.count === 0 || !(holdUs > 0)) return null;
  const p90LimitUs = GENERATOR_LIMITS.latenessP90OfHold * holdUs;
  const p99LimitUs = GENERATOR_LIMITS.latenessP99OfHold * holdUs;
  if (lateness.p90Us <= p90LimitUs && lateness.p99Us <= p99LimitUs) return null;
  return { holdUs, p90Us: lateness.p90Us, p99Us: lateness.p99Us, p90LimitUs, p99LimitUs };
}

const us = (value: number): string => `${formatCount(value)} µs`;

/** A `generator-saturated` warning when the generator's lateness made the run an unfair test of the model. */
export function generatorWarnings(result: StrategyResult): Warning[] {
  const saturation = generatorSaturation(result);
  const generator = result.generator;
  if (!saturation || !generator) return [];
  const { holdUs, p90Us, p99Us, p90LimitUs, p99LimitUs } = saturation;
  const loop = `event loop ${formatPercent(generator.eventLoopUtilization)} busy, lag p99 ${formatDecimal(generator.lagP99Ms, 3)} ms, CPU ${formatPercent(generator.cpuShare)} of a core`;
  return [
    {
      code: 'generator-saturated',
      kind: 'generator-saturated',
      message:
        `${result.label}: the load generator woke its workers late, p90 ${us(p90Us)} and p99 ${us(p99Us)} after the intended time, ` +
        `against a mean hold of ${formatDecimal(holdUs / 1000, 3)} ms (fair up to p90 ${us(p90LimitUs)} and p99 ${us(p99LimitUs)}; ${loop}): ` +
        'the workers asked for connections in bursts, so this run is not a fair test of the model and its waits are not the pool\'s alone',
      remedy:
        'give the generator less to do per hold: fewer workers (--concurrency), a longer hold (more --commands-per-request, or a real network instead of loopback), ' +
        'or a second load machine that runs half the workers',
    },
  ];
}
