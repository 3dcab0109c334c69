import type { StrategyResult } from '../../schema/bench.js';
import { formatCount, formatDecimal, formatMs, formatPercent } from '../../format.js';
import type { Warning } from '../../schema/warning.js';
import { measuredWaitProbability } from './sweep.js';

/**
 * When is a run not a fair measurement? The generator runs all its workers on one event loop. Two things can go
 * wrong, and which one can be seen depends on whether the scheduler was waiting for wake-ups.
 *
 * **Bursts** (a pooled run whose workers wake on the scheduler: think times, open-loop starts). The queueing models
 * assume threads that ask for a connection independently of each other. A wake-up that fires late is harmless on its
 * own: it only lengthens that think time, and the measured u already counts it. What breaks the model is that late
 * wake-ups are late *together*: the loop was busy, and every worker due meanwhile wakes at the same instant and asks
 * for a connection in a burst. How much a burst matters is set by the hold time: requests that were meant to arrive
 * within a fraction of one hold of each other would have overlapped anyway, while requests moved by a hold or more
 * find a pool busier than independent threads would. So the rule compares the lateness with the run's own mean hold,
 * at two points:
 *
 * - the bulk, p90 > 50 % of the mean hold: one wake-up in ten moved by more than half a hold. A timer with 1 ms
 *   resolution on a 0.5 ms hold (lateness spread over the millisecond, p90 ≈ 0.9 ms), or 200 workers on 2 cores
 *   (lateness in milliseconds), is far past it; a precise scheduler on 20 workers with 10 GETs per request (hold
 *   ≈ 0.5 ms, lateness p90 below ~100 µs, p99 50–200 µs) stays well under it (250 µs).
 * - the tail, p99 > 2 × the mean hold: one in a hundred moved by more than two holds, which is what stalls of the
 *   loop look like (each releases the wake-ups due during it at once). A single GC pause moves far fewer than 1 %
 *   of the wake-ups of a run of seconds and does not count.
 *
 * Only a pool has waits for the models to predict, so this rule judges pooled runs, and only those in which more than
 * 1 % of the acquires waited: bursts only add waits, so a run that met the usual 1 % target met it whatever its bursts
 * (and its difference from a model's prediction is within the sweeps' 3-point tolerance). There, the event-loop
 * utilization is no signal: a precise scheduler waits for its last stretch on setImmediate, which keeps the loop busy
 * by design, so a loop near 100 % busy says nothing by itself; and the lateness of the wake-ups is the direct measure
 * of what the workers suffered, where the loop's lag (sampled by a 10 ms timer, whether or not a worker was due) is
 * not.
 *
 * **The generator as the bottleneck** (any strategy). Where the scheduler had (almost) nothing to wait for — a closed
 * loop without think time, an open loop that fell behind its schedule — the loop only ever waits for replies, and its
 * busy share means what it says: at 90 % or more, the generator, not Redis, sets the pace, and a reply that arrives
 * waits for the loop to finish what it is doing. Its lag p99 of the order of the latencies it reports (half the
 * request latency p99, and at least a millisecond, below which the lag is within the sampling timer's own
 * resolution) says the same from the other side. An open loop that kept its schedule counts latency from each
 * request's due time, so how late the starts fired is part of every latency it reports: a late-start p99 of half the
 * latency p99 or more is the same finding.
 *
 * **The share that is the generator's own waiting**, given with each finding: a reply that arrives while the loop is
 * busy waits, on average, the loop's mean delay (monitorEventLoopDelay's mean: how long a callback that became ready
 * at a random moment waited for the loop); in an open loop each request also waited for its start by the mean
 * lateness of the wake-ups. That wait over the mean request latency is the estimate. It is a lower bound: a request
 * of several round trips (per-request's connection setup, several commands one after another) waits for the loop at
 * each of them, and the replies of one loop iteration also wait for each other.
 */
export const GENERATOR_LIMITS = {
  /** Wake-up lateness p90 above this share of the mean hold: the bulk of the arrivals is bunched (pooled). */
  latenessP90OfHold: 0.5,
  /** Wake-up lateness p99 above this multiple of the mean hold: stalls release bursts of arrivals (pooled). */
  latenessP99OfHold: 2,
  /** The scheduler waited before fewer requests than this share of them: the loop's busy share counts. */
  polledShareOfRequests: 0.5,
  /** Event loop busy at least this share of the window, the scheduler not polling: the generator sets the pace. */
  busyLoop: 0.9,
  /** Loop lag p99 (or, in an open loop that kept its schedule, late-start p99) at least this share of the request latency p99. */
  delayOfLatencyP99: 0.5,
  /** …and a loop lag p99 at least this long: below it, the lag is within the sampling timer's own resolution. */
  lagFloorMs: 1,
  /** Below this share of the latency, the requests seldom waited for a saturated loop: its limit is the throughput. */
  waitShareWorthSaying: 0.1,
  /** Bursts are judged on pooled runs in which more than this share of the acquires waited (the usual 1 % target). */
  waitsThatMatter: 0.01,
} as const;

/** Which of the rules above a run crossed. */
export type SaturationReason = 'late-wake-ups' | 'busy-loop' | 'loop-lag' | 'late-starts';

/** The figures behind a generator-saturated finding, or null when the generator applied the load it was asked for. */
export interface GeneratorSaturation {
  reasons: SaturationReason[];
  /** The bursts rule's figures (pooled runs whose workers woke on the scheduler). */
  holdUs: number;
  p90Us: number;
  p99Us: number;
  p90LimitUs: number;
  p99LimitUs: number;
  /** How long a request waited for the generator, on average (loop lag mean, + the mean late start in an open loop); null when not measured. */
  waitMs: number | null;
  /** waitMs over the mean request latency, at most 1: the estimated share of the reported latency that is the generator's own waiting. */
  waitShare: number | null;
  /** What waitShare is a share of: the mean request latency, or (an open loop behind its schedule) the mean time from each request's actual start. */
  waitOf: { what: 'request latency' | 'time from start'; meanMs: number } | null;
}

type Generator = NonNullable<StrategyResult['generator']>;

/** Whether the scheduler had wake-ups to wait for before most requests (think times, open-loop starts kept on time). */
export function schedulerPolled(result: StrategyResult): boolean {
  const count = result.generator?.wakeLateness?.count ?? 0;
  return count > 0 && count >= GENERATOR_LIMITS.polledShareOfRequests * result.requests;
}

/** The generator's own wait per request and its share of the mean latency (see above); nulls when the run did not measure the mean lag. */
export function generatorWait(result: StrategyResult): Pick<GeneratorSaturation, 'waitMs' | 'waitShare' | 'waitOf'> {
  const generator = result.generator;
  if (generator?.lagMeanMs === undefined) return { waitMs: null, waitShare: null, waitOf: null };
  // An open loop that kept its schedule counts latency from the due time: its late starts are in every latency.
  const meanLateUs = generator.wakeLateness?.meanUs;
  const lateStartMs =
    result.load.requestedRate !== null && schedulerPolled(result) && meanLateUs !== undefined ? meanLateUs / 1000 : 0;
  const waitMs = generator.lagMeanMs + lateStartMs;
  // An open loop behind its schedule: its latencies are mostly the backlog (waiting for a free worker), so the
  // generator's own waiting is set against the time from each request's actual start.
  const behind = result.load.requestedRate !== null && !schedulerPolled(result) && result.load.uncorrectedLatency;
  const waitOf = behind
    ? { what: 'time from start' as const, meanMs: behind.mean }
    : { what: 'request latency' as const, meanMs: result.latency.mean };
  return { waitMs, waitShare: waitOf.meanMs > 0 ? Math.min(1, waitMs / waitOf.meanMs) : null, waitOf };
}

/** Whether, and why, the generator distorted the run (see above). */
export function generatorSaturation(result: StrategyResult): GeneratorSaturation | null {
  const generator = result.generator;
  if (!generator || result.requests === 0) return null;
  const reasons = schedulerPolled(result) ? polledReasons(result, generator) : bottleneckReasons(result, generator);
  if (reasons.length === 0) return null;
  const holdUs = result.load.holdMeanMs * 1000;
  const lateness = generator.wakeLateness;
  return {
    reasons,
    holdUs,
    p90Us: lateness?.p90Us ?? 0,
    p99Us: lateness?.p99Us ?? 0,
    p90LimitUs: GENERATOR_LIMITS.latenessP90OfHold * holdUs,
    p99LimitUs: GENERATOR_LIMITS.latenessP99OfHold * holdUs,
    ...generatorWait(result),
  };
}

function polledReasons(result: StrategyResult, generator: Generator): SaturationReason[] {
  const lateness = generator.wakeLateness!;
  const reasons: SaturationReason[] = [];
  const holdUs = result.load.holdMeanMs * 1000;
  // Bursts only add waits: a run in which at most 1 % of the acquires waited met the usual target whatever its bursts.
  if (
    result.strategy === 'pooled' &&
    holdUs > 0 &&
    measuredWaitProbability(result) > GENERATOR_LIMITS.waitsThatMatter
  ) {
    if (
      lateness.p90Us > GENERATOR_LIMITS.latenessP90OfHold * holdUs ||
      lateness.p99Us > GENERATOR_LIMITS.latenessP99OfHold * holdUs
    )
      reasons.push('late-wake-ups');
  }
  // Open loop: latency counts from the due time, so a late start is part of the latency reported.
  if (
    result.load.requestedRate !== null &&
    lateness.p99Us / 1000 >= GENERATOR_LIMITS.delayOfLatencyP99 * result.latency.p99
  )
    reasons.push('late-starts');
  return reasons;
}

function bottleneckReasons(result: StrategyResult, generator: Generator): SaturationReason[] {
  const reasons: SaturationReason[] = [];
  if (generator.eventLoopUtilization >= GENERATOR_LIMITS.busyLoop) reasons.push('busy-loop');
  const lag = generator.lagP99Ms;
  if (lag >= GENERATOR_LIMITS.lagFloorMs && lag >= GENERATOR_LIMITS.delayOfLatencyP99 * result.latency.p99)
    reasons.push('loop-lag');
  return reasons;
}

const us = (value: number): string => `${formatCount(value)} µs`;
const ms = (value: number): string => `${formatDecimal(value, 3)} ms`;

/** One line for the tables and reports that mark a saturated run: what crossed the limit, in a few words. */
export function saturationSummary(result: StrategyResult): string | null {
  const saturation = generatorSaturation(result);
  const generator = result.generator;
  if (!saturation || !generator) return null;
  const parts = saturation.reasons.map((reason): string => {
    switch (reason) {
      case 'late-wake-ups':
        return `wake-ups late by p90 ${us(saturation.p90Us)} / p99 ${us(saturation.p99Us)} against a ${ms(saturation.holdUs / 1000)} hold`;
      case 'busy-loop':
        return `event loop ${formatPercent(generator.eventLoopUtilization)} busy`;
      case 'loop-lag':
        return `loop lag p99 ${ms(generator.lagP99Ms)} against a latency p99 of ${ms(result.latency.p99)}`;
      case 'late-starts':
        return `starts late by p99 ${us(generator.wakeLateness!.p99Us)} against a latency p99 of ${ms(result.latency.p99)}`;
    }
  });
  const share =
    saturation.waitShare !== null && saturation.waitShare >= GENERATOR_LIMITS.waitShareWorthSaying
      ? `; at least ${formatPercent(saturation.waitShare)} of the mean latency is its own waiting`
      : '';
  return `${parts.join(', ')}${share}`;
}

/** A `generator-saturated` warning when the generator distorted the run (see above), with what it means for its figures. */
export function generatorWarnings(result: StrategyResult): Warning[] {
  const saturation = generatorSaturation(result);
  const generator = result.generator;
  if (!saturation || !generator) return [];
  const loop =
    `event loop ${formatPercent(generator.eventLoopUtilization)} busy, ` +
    `lag p99 ${formatDecimal(generator.lagP99Ms, 3)} ms, ${cpuUsed(generator)}`;
  const findings: string[] = [];
  const { reasons } = saturation;
  if (reasons.includes('late-wake-ups')) {
    const { holdUs, p90Us, p99Us, p90LimitUs, p99LimitUs } = saturation;
    findings.push(
      `the load generator woke its workers late, p90 ${us(p90Us)} and p99 ${us(p99Us)} after the intended time, ` +
        `against a mean hold of ${formatDecimal(holdUs / 1000, 3)} ms (fair up to p90 ${us(p90LimitUs)} and p99 ${us(p99LimitUs)}; ${loop}): ` +
        "the workers asked for connections in bursts, so this run is not a fair test of the model and its waits are not the pool's alone",
    );
  }
  const bottleneck = bottleneckFinding(result, saturation, generator, loop);
  if (bottleneck !== null) findings.push(bottleneck);
  const connect = connectUnderSaturation(result);
  return [
    {
      code: 'generator-saturated',
      kind: 'generator-saturated',
      message: `${result.label}: ${findings.join('; and ')}${connect !== null ? `; ${connect}` : ''}`,
      remedy: remedy(saturation, generator.onThread === true),
    },
  ];
}

/** The bottleneck finding: why the generator set the pace, and how much of the latency is its own waiting. */
function bottleneckFinding(
  result: StrategyResult,
  saturation: GeneratorSaturation,
  generator: Generator,
  loop: string,
): string | null {
  const { reasons, waitMs, waitShare, waitOf } = saturation;
  const why: string[] = [];
  if (reasons.includes('busy-loop')) why.push('its event loop was busy with no scheduled wake-up to wait for');
  if (reasons.includes('loop-lag'))
    why.push(
      `its loop lag p99 is of the order of the request latency p99 it reports, ${formatDecimal(result.latency.p99, 3)} ms`,
    );
  if (reasons.includes('late-starts'))
    why.push(
      `its requests started late by p99 ${us(generator.wakeLateness!.p99Us)}, ` +
        `of the order of the request latency p99 it reports, ${formatDecimal(result.latency.p99, 3)} ms, ` +
        `which counts from the due time`,
    );
  if (why.length === 0) return null;
  const lead = reasons.includes('late-starts')
    ? 'the load generator was late to start its requests'
    : 'the load generator was the bottleneck';
  let share = '';
  if (waitMs !== null && waitShare !== null && waitOf !== null) {
    const of =
      waitOf.what === 'request latency' ? 'the mean request latency' : "the mean time from a request's actual start";
    share =
      waitShare >= GENERATOR_LIMITS.waitShareWorthSaying
        ? `: a request waited a mean ${formatMs(waitMs)} for the generator, ` +
          `at least ${formatPercent(waitShare)} of ${of} (${formatMs(waitOf.meanMs)}); ` +
          `that much of what it reports is the generator's own waiting, not Redis' nor the network's`
        : `: its requests seldom waited for the loop (a ` +
          `mean ${formatMs(waitMs)}, ${formatPercent(waitShare)} of ${of}), ` +
          `but the loop had no time to spare, so the throughput is the generator's limit, not Redis'`;
  }
  return `${lead}: ${why.join(', and ')} (${loop})${share}`;
}

/** What the connect times of a saturated run are: mostly the generator's loop, with the command that times one unloaded. */
export function connectUnderSaturation(result: StrategyResult): string | null {
  if (!result.connect || result.connect.count === 0) return null;
  const saturation = generatorSaturation(result);
  if (!saturation?.reasons.some((r) => r === 'busy-loop' || r === 'loop-lag')) return null;
  return (
    `its connect times (p50 ${formatMs(result.connect.p50)}) ` +
    `were measured under that load and include the generator's own waiting at every step of the setup: ` +
    `\`redis-pool anatomy\` times one connection on an idle loop`
  );
}

/**
 * The CPU the generator's process used, per core. On one thread of several it is every thread's together: said so,
 * so that no thread reads as using more than a core of its own.
 */
export function cpuUsed(generator: Generator): string {
  const share = `${formatPercent(generator.cpuShare)} of a core`;
  return generator.onThread ? `the process's CPU ${share}, every thread's together` : `CPU ${share}`;
}

/** What to change; a run already on several threads is told to add threads only where there are cores for them. */
function remedy(saturation: GeneratorSaturation, onThread: boolean): string {
  const secondMachine = 'or a second load machine that runs half the load (bench on each with --start-at, then merge)';
  const threads = onThread
    ? 'more --threads only where the machine has a core free for each (a thread with no core to itself gains nothing)'
    : '--threads 2 (an event loop per thread, on a machine with cores to spare)';
  if (saturation.reasons.includes('late-wake-ups')) {
    return [
      'give the generator less to do per hold: fewer workers (--concurrency)',
      'a longer hold (more --commands-per-request, or a real network instead of loopback)',
      onThread ? threads : 'an event loop per thread (--threads 2, on a machine with cores to spare)',
      secondMachine,
    ].join(', ');
  }
  return [
    `give the generator less to do per event loop: ${threads}`,
    'fewer workers (--concurrency) or a lower --rate',
    secondMachine,
  ].join(', ');
}
