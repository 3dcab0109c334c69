import type { Histogram } from '../../histograms.js';
import { setImmediate } from 'node:timers/promises';
import type { LoadConfig } from '../../schema/bench.js';
import { sharedScheduler, type Scheduler } from '../../scheduler.js';
import { realClock, realRandom, type Clock, type Random } from '../../clock.js';
import { breaksConnection, classifyError, endsTheRun, type ErrorKind } from './error-kinds.js';
import type { Strategy } from '../strategies/strategy.js';
import type { Timeline } from '../faults/recovery.js';
import type { Workload } from './workload.js';
import type { Connection } from '../strategies/connection.js';
import type { BusyOccupancy } from './busy-occupancy.js';

/** What a phase records. Histograms are null during warm-up, when no latency is kept. */
export interface Recorder {
  latency: Histogram | null;
  /** Open loop only: latency from the actual start, i.e. with coordinated omission left in. */
  uncorrected: Histogram | null;
  acquireWait: Histogram | null;
  requests: number;
  errors: number;
  errorsByKind: Record<string, number>;
  holdUs: number;
  holds: number;
  thinkUs: number;
  thinks: number;
  /** Open loop: requests that started more than LATE_AFTER_US after their intended time. */
  late: number;
  /** Open loop run for a time: requests due before the phase's end that had not started when it ended. */
  unstarted: number;
  /** How late the scheduler woke the workers it was asked to wake (think times, start times), integer µs. */
  wakeLateness: Histogram | null;
  /** Pooled, measured window: time spent and releases seen at each number of busy connections. */
  occupancy: BusyOccupancy | null;
  /** Successes and failures over time, kept only when faults are injected (to time the recovery). */
  timeline: Timeline | null;
  /** A cluster: each successful request's latency again, under the shard that served its hash tag. */
  byShard: ShardLatency | null;
}

/** Latency per cluster shard: the request's hash tag tells the shard (see ClusterRouting). */
export interface ShardLatency {
  record(tag: number, latencyUs: number): void;
}

export function newRecorder(
  latency: Histogram | null,
  acquireWait: Histogram | null,
  uncorrected: Histogram | null = null,
  wakeLateness: Histogram | null = null,
): Recorder {
  return new PhaseRecorder(latency, acquireWait, uncorrected, wakeLateness);
}

/**
 * The recorder and the phase below are instances of a class, not object literals: the second object an object literal
 * builds (the measured window's recorder, after the warm-up's) throws away the compiled hot path that read the first
 * one's (V8's --trace-deopt: "code dependencies"), which then runs unoptimized until it is compiled again, inside
 * the window; instances of a class share one hidden class from the first.
 */
class PhaseRecorder implements Recorder {
  requests = 0;
  errors = 0;
  errorsByKind: Record<string, number> = {};
  holdUs = 0;
  holds = 0;
  thinkUs = 0;
  thinks = 0;
  late = 0;
  unstarted = 0;
  occupancy: BusyOccupancy | null = null;
  timeline: Timeline | null = null;
  byShard: ShardLatency | null = null;

  constructor(
    public latency: Histogram | null,
    public acquireWait: Histogram | null,
    public uncorrected: Histogram | null,
    public wakeLateness: Histogram | null,
  ) {}
}

/**
 * Moving means over a strategy's life (warm-up included) from which the think time is derived: the hold time,
 * and how late the scheduler woke the thinking workers. They follow the recent values rather than all of them,
 * because both drift (a cold start, a machine that gets busier) and a think time tuned to old ones would miss
 * the target utilization. Kept only when the workers think: nothing else reads them.
 */
export interface HoldStats {
  meanUs: number;
  count: number;
  /** How late a think time ended, on average: a wake-up is never early, so this much is taken off the next draw's mean. */
  lateMeanUs: number;
  lateCount: number;
}

/** Weight of the newest hold in the moving mean: it follows a change within a few hundred requests. */
const HOLD_SMOOTHING = 0.01;

export function newHoldStats(): HoldStats {
  return { meanUs: 0, count: 0, lateMeanUs: 0, lateCount: 0 };
}

function addHold(stats: HoldStats, holdUs: number): void {
  stats.count++;
  stats.meanUs += (holdUs - stats.meanUs) * smoothing(stats.count);
}

function addLateness(stats: HoldStats, lateUs: number): void {
  stats.lateCount++;
  stats.lateMeanUs += (lateUs - stats.lateMeanUs) * smoothing(stats.lateCount);
}

/** Until there are enough samples, a plain mean; then exponential smoothing. */
function smoothing(count: number): number {
  return Math.max(HOLD_SMOOTHING, 1 / count);
}

/** When the phase ends: after `remainingRequests` in all, at `deadlineNs`, or when `signal` aborts (SIGINT). */
export interface PhaseLimit {
  remainingRequests: number;
  deadlineNs: bigint;
  signal?: AbortSignal | undefined;
}

export const LATE_AFTER_US = 1000;

const elapsedUs = (from: bigint, to: bigint): number => Number((to - from) / 1000n);

/**
 * What the loop sleeps on, reads the time from and draws its random numbers from: the process's own unless a test
 * passes fakes (then a scheduler on the same clock).
 */
export interface LoopEnvironment {
  scheduler?: Scheduler;
  clock?: Clock;
  random?: Random;
}

/**
 * What every worker of one runLoad shares, the limit's count and deadline copied in: the workers read no other
 * object made for the phase. Their compiled loop then serves every phase: V8 throws compiled code away when it
 * meets the second object of an object literal it relied on, or another closure where it called one
 * (--trace-deopt: "code dependencies", "wrong call target"), which the window, the second phase of a run, would
 * then run unoptimized; instances of a class (this one, PhaseRecorder) share one hidden class from the first.
 */
class Phase {
  /** The first error that ends the run (see endsTheRun): every worker stops, and runLoad throws it. */
  fatal: { error: unknown } | null = null;
  /** Successful requests that found a free connection at once (no wait): recorded as 0 µs waits in one go at the end. */
  immediateAcquires = 0;
  /** Requests not started yet, counted down by every worker. */
  remaining: number;
  readonly deadlineNs: bigint;
  readonly signal: AbortSignal | undefined;

  constructor(
    readonly scheduler: Scheduler,
    /** The clock's and the random source's functions, read off once per phase. */
    readonly now: () => bigint,
    readonly random: () => number,
    readonly strategy: Strategy,
    readonly workload: Workload,
    readonly recorder: Recorder,
    /** Null when the workers do not think (workersThink): the think-time model is its one reader. */
    readonly holdStats: HoldStats | null,
    limit: PhaseLimit,
  ) {
    this.remaining = limit.remainingRequests;
    this.deadlineNs = limit.deadlineNs;
    this.signal = limit.signal;
  }

  /** Whether a worker starts another request: some are left, the phase is not aborted, no error ended the run. */
  get going(): boolean {
    return this.remaining > 0 && this.signal?.aborted !== true && this.fatal === null;
  }
}

/**
 * Runs `concurrency` workers until the limit. Closed loop: each worker runs requests back to back, with the
 * think time of the load model between them. Open loop (a rate): requests have fixed intended start times,
 * spread over the workers, and latency counts from the intended time (coordinated omission corrected, as
 * wrk2 does). The timed part of a request holds nothing but the work.
 */
export async function runLoad(
  strategy: Strategy,
  workload: Workload,
  concurrency: number,
  load: LoadConfig,
  limit: PhaseLimit,
  recorder: Recorder,
  holdStats: HoldStats,
  environment: LoopEnvironment = {},
): Promise<void> {
  const { scheduler = sharedScheduler, clock = realClock, random = realRandom } = environment;
  const holds = workersThink(load) ? holdStats : null;
  const phase = new Phase(scheduler, clock.now, random.random, strategy, workload, recorder, holds, limit);
  const timed = limit.remainingRequests === Infinity;
  const schedule = load.ratePerSec !== null ? new OpenSchedule(load.ratePerSec, clock.now()) : null;
  const thinkMeanMs = thinkTimeModel(load, phase.holdStats);
  const worker = (): Promise<void> => work(phase, schedule, thinkMeanMs, load.thinkDistribution);
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (schedule && timed && phase.signal?.aborted !== true && phase.fatal === null)
    recorder.unstarted = schedule.unstarted(phase.deadlineNs);
  if (phase.immediateAcquires > 0) recorder.acquireWait?.recordValueWithCount(0, phase.immediateAcquires);
  if (phase.fatal) throw phase.fatal.error;
}

/**
 * Mean of the next think-time draw: the mean think time (fixed, or hold × (1 − u) / u from the hold times
 * measured so far) less the scheduler's mean lateness, so that the think times as slept (draw + lateness)
 * have the mean the load model asks for. Null = no thinking.
 */
function thinkTimeModel(load: LoadConfig, holdStats: HoldStats | null): (() => number) | null {
  if (holdStats === null) return null;
  const u = load.targetUtilization!;
  const meanMs = load.thinkMs !== null ? () => load.thinkMs! : () => (holdStats.meanUs / 1000) * ((1 - u) / u);
  return () => Math.max(0, meanMs() - holdStats.lateMeanUs / 1000);
}

/**
 * A closed loop with a think time, or a utilization target below 100 %: the workers think between requests.
 * `--think 0` (and `--utilization 100%`) is the closed loop without think time: requests back to back, nothing scheduled.
 */
export function workersThink(load: LoadConfig): boolean {
  const u = load.targetUtilization;
  return load.ratePerSec === null && ((load.thinkMs !== null && load.thinkMs > 0) || (u !== null && u < 1));
}

function drawThinkMs(meanMs: number, distribution: LoadConfig['thinkDistribution'], random: () => number): number {
  return distribution === 'fixed' ? meanMs : -meanMs * Math.log(1 - random());
}

/**
 * Every draw is slept, however short (a think time of 0.05 ms is not skipped nor carried over): the think starts
 * when the request has released its connection, and the next request starts when the scheduler wakes the worker.
 */
async function think(phase: Phase, thinkMs: number): Promise<void> {
  const { recorder, scheduler, now } = phase;
  const start = now();
  const lateUs = Number((await scheduler.sleepUntil(start + BigInt(Math.round(thinkMs * 1e6)))) / 1000n);
  recorder.wakeLateness?.recordValue(lateUs);
  addLateness(phase.holdStats!, lateUs);
  recorder.thinkUs += elapsedUs(start, now());
  recorder.thinks++;
}

/**
 * Open loop: request i is due at start + i / rate, taken by whichever worker is free. A phase that runs for a time
 * ends at its deadline, also behind schedule: a worker free after it starts nothing more, and the requests due that
 * never started are counted (`unstarted`), rather than run after the time the phase was given (which, for a
 * strategy that cannot keep the rate, would stretch a 10 s window to however long its backlog takes).
 */
class OpenSchedule {
  private readonly intervalNs: number;
  /** The index of the next request to start. */
  next = 0;

  constructor(
    ratePerSec: number,
    private readonly startNs: bigint,
  ) {
    this.intervalNs = 1e9 / ratePerSec;
  }

  dueAt(index: number): bigint {
    return this.startNs + BigInt(Math.round(index * this.intervalNs));
  }

  /** Requests due before the deadline never started: the first index due at or after it (rounding settled by a step either way). */
  unstarted(deadlineNs: bigint): number {
    let due = Math.max(this.next, Math.ceil(Number(deadlineNs - this.startNs) / this.intervalNs));
    while (due > this.next && this.dueAt(due - 1) >= deadlineNs) due--;
    while (this.dueAt(due) < deadlineNs) due++;
    return due - this.next;
  }
}

/**
 * One worker: a request after another until the phase ends. Closed loop (no schedule): each starts when the
 * previous one ended (and the worker thought, if it thinks), its latency counted from then. Open loop: the worker
 * takes the next request due, sleeps until its time if that is still ahead, and its latency counts from that time.
 *
 * A request: acquire, commands, release. Its hold (what the finite-source model calls holding a connection)
 * runs from when the strategy's hold begins, the start of the acquire where the connection is opened for the
 * request (per-request: connect → commands → close), else the moment the connection was handed over (pooled:
 * acquired → released; multiplexed: first command → last reply), to the end of an asynchronous release (the
 * close); a synchronous one (the pool's) takes a fraction of a microsecond, and the hold ends with the last reply.
 *
 * A free connection is taken synchronously, and counts as a wait of 0 µs without reading the clock again: the
 * hot path reads the clock twice per request and awaits one promise, the reply's, as the leanest loop does (the
 * request is written out here rather than in a function of its own, whose promise the loop would await too).
 */
async function work(
  phase: Phase,
  schedule: OpenSchedule | null,
  thinkMeanMs: (() => number) | null,
  thinkDistribution: LoadConfig['thinkDistribution'],
): Promise<void> {
  while (phase.going) {
    // Read here rather than once before the loop: code that runs once per worker has no type feedback when the
    // loop is compiled, and the next phase's first run of it would throw the compiled loop away.
    const { strategy, workload, recorder, now } = phase;
    let measureFrom: bigint;
    let start: bigint;
    if (schedule === null) {
      start = now();
      if (start >= phase.deadlineNs) return;
      measureFrom = start;
      phase.remaining--;
    } else {
      measureFrom = schedule.dueAt(schedule.next);
      if (measureFrom >= phase.deadlineNs || now() >= phase.deadlineNs) return;
      schedule.next++;
      phase.remaining--;
      // A start time still ahead is a wake-up the scheduler owes; one already passed means every worker was busy.
      if (measureFrom > now())
        recorder.wakeLateness?.recordValue(Number((await phase.scheduler.sleepUntil(measureFrom)) / 1000n));
      start = now();
      if (elapsedUs(measureFrom, start) > LATE_AFTER_US) recorder.late++;
    }
    const tag = workload.drawTag();
    let client = strategy.acquireNow?.(tag);
    const immediate = client !== undefined;
    let acquired = start;
    if (client === undefined) {
      client = await acquireWaiting(phase, tag);
      if (client !== undefined) acquired = now();
    }
    if (client !== undefined) {
      const { occupancy } = recorder;
      if (occupancy !== null && strategy.busyConnections) occupancy.acquired(acquired, strategy.busyConnections());
      let broken = false;
      let end: bigint | null = null;
      let latencyUs = 0;
      try {
        await (strategy.run ? strategy.run(client, tag) : workload.run(client, tag));
        end = now();
        recorder.requests++;
        latencyUs = elapsedUs(measureFrom, end);
        recorder.latency?.recordValue(latencyUs);
        recorder.byShard?.record(tag, latencyUs);
        recorder.uncorrected?.recordValue(elapsedUs(start, end));
        if (immediate) phase.immediateAcquires++;
        else recorder.acquireWait?.recordValue(elapsedUs(start, acquired));
        recorder.timeline?.record(end, true);
      } catch (error) {
        broken = breaksConnection(countError(recorder, error, now));
      }
      if (occupancy !== null && strategy.busyConnections) occupancy.releasing(now(), strategy.busyConnections());
      const releasing = strategy.release(client, broken);
      if (releasing) await releasing;
      if (end !== null) {
        const holdFrom = strategy.holdIncludesAcquire ? start : acquired;
        // A hold that spans the latency's interval (a free connection, a closed loop, a synchronous release) is that number.
        recordHold(
          phase,
          !releasing && holdFrom === measureFrom ? latencyUs : elapsedUs(holdFrom, releasing ? now() : end),
        );
      }
      if (broken) await yieldToEventLoop();
    }
    if (thinkMeanMs !== null) await think(phase, drawThinkMs(thinkMeanMs(), thinkDistribution, phase.random));
  }
}

/** A connection that acquire() has to open, check or wait for; undefined when it failed (counted, or the end of the run). */
async function acquireWaiting(phase: Phase, tag: number): Promise<Connection | undefined> {
  try {
    return await phase.strategy.acquire(tag);
  } catch (error) {
    if (endsTheRun(error)) {
      phase.fatal ??= { error };
      return undefined;
    }
    countError(phase.recorder, error, phase.now);
    await yieldToEventLoop();
    return undefined;
  }
}

function recordHold(phase: Phase, holdUs: number): void {
  const { recorder } = phase;
  recorder.holdUs += holdUs;
  recorder.holds++;
  if (phase.holdStats !== null) addHold(phase.holdStats, holdUs);
}

/**
 * A failure can settle without any I/O (a command on a closed connection rejects at once). A worker that
 * retried in a loop of such microtasks would starve the event loop: no reconnect, no timer, no reply would
 * ever be processed. After a failure, each worker lets I/O run first.
 */
function yieldToEventLoop(): Promise<void> {
  return setImmediate();
}

function countError(recorder: Recorder, error: unknown, now: () => bigint): ErrorKind {
  const kind = classifyError(error);
  recorder.timeline?.record(now(), false);
  recorder.requests++;
  recorder.errors++;
  recorder.errorsByKind[kind] = (recorder.errorsByKind[kind] ?? 0) + 1;
  return kind;
}
