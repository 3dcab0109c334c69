/**
 * One precise scheduler for every timed wait of the load generator: closed-loop think times, open-loop start
 * times, and the --rtt proxy's delays.
 *
 * Node's timers have a resolution of 1 ms, and every timer that is due fires in one batch at the start of a
 * loop iteration, before the I/O callbacks that would have released connections. Against holds of a few
 * hundred microseconds that wakes workers together and makes a pool look busier than it is. Here one timer
 * sleeps until shortly before the earliest wake-up, and from there the scheduler polls the clock once per loop
 * iteration (setImmediate, which runs after the poll phase, so I/O is processed between two polls) and wakes
 * each waiter when its own time has come, in time order. One scheduler serves every waiter: it never spins
 * more than one poll per loop iteration, however many wait.
 */

import { realClock } from './clock.js';

/** What the scheduler needs from its environment: a clock and two ways to be called back. Injectable for tests. */
export interface SchedulerHost {
  /** Monotonic time in nanoseconds: a Clock's `now` (src/clock.ts). */
  now(): bigint;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
  setImmediate(callback: () => void): void;
}

export const nodeHost: SchedulerHost = {
  now: realClock.now,
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout),
  setImmediate: (callback) => {
    setImmediate(callback);
  },
};

/**
 * How long before a wake-up the scheduler stops sleeping on a timer and starts polling the clock. A timer can
 * fire up to a millisecond early or late (libuv keeps its loop time in whole milliseconds), so the window must
 * be longer than that.
 */
export const POLL_WINDOW_NS = 1_500_000n;

/** A scheduled callback; `cancel()` before it runs and it never will. */
export interface Scheduled {
  cancel(): void;
}

/**
 * What a user of the scheduler needs from it: its clock and its wake-ups. The --rtt proxy takes one (the shared
 * scheduler by default); a test passes a fake on virtual time.
 */
export interface Wakeups {
  /** The scheduler's clock: monotonic nanoseconds. */
  now(): bigint;
  /** Calls `callback` at or after `dueNs` (never synchronously), with how late that was. */
  at(dueNs: bigint, callback: (lateNs: bigint) => void): Scheduled;
}

interface Entry extends Scheduled {
  dueNs: bigint;
  seq: number;
  callback: (lateNs: bigint) => void;
  cancelled: boolean;
}

export class Scheduler implements Wakeups {
  private readonly heap: Entry[] = [];
  private seq = 0;
  private timer: unknown = null;
  private timerDueNs = 0n;
  private polling = false;
  private readonly onTick = (): void => this.tick();
  private readonly onTimer = (): void => {
    this.timer = null;
    this.tick();
  };

  constructor(private readonly host: SchedulerHost = nodeHost) {}

  now(): bigint {
    return this.host.now();
  }

  /** When the earliest waiter is due, or null when none waits (a simulation on virtual time jumps there). */
  nextDueNs(): bigint | null {
    this.dropCancelledHead();
    return this.heap[0]?.dueNs ?? null;
  }

  /** Waiters not yet woken (cancelled ones included until their time). */
  get pending(): number {
    return this.heap.length;
  }

  /**
   * Calls `callback` as soon as possible at or after `dueNs`, with how late that was. A time already passed
   * runs at the next poll, never synchronously: the caller always lets I/O run first.
   */
  at(dueNs: bigint, callback: (lateNs: bigint) => void): Scheduled {
    const entry: Entry = {
      dueNs,
      seq: this.seq++,
      callback,
      cancelled: false,
      cancel: () => {
        entry.cancelled = true;
        // A cancelled wake-up at the head must not keep a timer (and the process) alive.
        this.arm();
      },
    };
    this.push(entry);
    this.arm();
    return entry;
  }

  /** Resolves at or after `dueNs` with how late it woke, in nanoseconds. */
  sleepUntil(dueNs: bigint): Promise<bigint> {
    return new Promise((resolve) => this.at(dueNs, resolve));
  }

  private tick(): void {
    this.polling = false;
    const now = this.host.now();
    for (let head = this.heap[0]; head !== undefined && head.dueNs <= now; head = this.heap[0]) {
      this.pop();
      if (!head.cancelled) head.callback(now - head.dueNs);
    }
    this.arm();
  }

  /** Poll when the next wake-up is near; otherwise one timer that ends shortly before it. */
  private arm(): void {
    this.dropCancelledHead();
    const head = this.heap[0];
    if (head === undefined) {
      this.clearTimer();
      return;
    }
    const leadNs = head.dueNs - this.host.now();
    if (leadNs <= POLL_WINDOW_NS) {
      this.clearTimer();
      if (!this.polling) {
        this.polling = true;
        this.host.setImmediate(this.onTick);
      }
      return;
    }
    const wakeNs = head.dueNs - POLL_WINDOW_NS;
    if (this.timer !== null && this.timerDueNs <= wakeNs) return;
    this.clearTimer();
    this.timerDueNs = wakeNs;
    this.timer = this.host.setTimer(this.onTimer, Math.max(1, Math.floor(Number(leadNs - POLL_WINDOW_NS) / 1e6)));
  }

  private clearTimer(): void {
    if (this.timer === null) return;
    this.host.clearTimer(this.timer);
    this.timer = null;
  }

  private dropCancelledHead(): void {
    while (this.heap[0]?.cancelled) this.pop();
  }

  // A binary min-heap ordered by due time, then by order of scheduling (two waiters due at once wake in order).

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.dueNs < b.dueNs || (a.dueNs === b.dueNs && a.seq < b.seq);
}

/** The process's scheduler: the load loop and the delay proxy share it, so one poll serves them all. */
export const sharedScheduler = new Scheduler();
