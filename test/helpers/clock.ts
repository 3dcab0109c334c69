import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock, Random } from '../../src/clock.js';
import type { Scheduled, Wakeups } from '../../src/scheduler.js';

/**
 * A clock that moves only when the test moves it (src/clock.ts's Clock): what the load loop, the scheduler and the
 * pool are handed (the delay proxy, through ManualWakeups) instead of process.hrtime, performance.now and Date.now.
 * Its functions are arrow functions, so they can be read off and called unbound, as the code under test does.
 */
export class FakeClock implements Clock {
  private ns: bigint;

  constructor(
    private readonly startNs = 1_000_000_000n,
    /** What epochMs() says at startNs. */
    private readonly epochAtStartMs = Date.UTC(2025, 0, 1),
  ) {
    this.ns = startNs;
  }

  readonly now = (): bigint => this.ns;
  readonly nowMs = (): number => Number(this.ns) / 1e6;
  readonly epochMs = (): number => this.epochAtStartMs + Number(this.ns - this.startNs) / 1e6;

  set(ns: bigint): void {
    if (ns < this.ns) throw new Error(`a monotonic clock does not go back (from ${this.ns} to ${ns} ns)`);
    this.ns = ns;
  }

  advance(ns: bigint): void {
    this.set(this.ns + ns);
  }

  advanceMs(ms: number): void {
    this.advance(BigInt(Math.round(ms * 1e6)));
  }
}

/**
 * Math.random's stand-in: the same draws on every run (Park and Miller's minimal standard generator, uniform in
 * (0, 1)). `seed`: an integer from 1 to 2³¹ − 2.
 */
export function seededRandom(seed: number): Random {
  let state = seed;
  return {
    random: () => {
      state = (state * 48271) % 2147483647;
      return state / 2147483647;
    },
  };
}

interface Wakeup extends Scheduled {
  dueNs: bigint;
  seq: number;
  callback: (lateNs: bigint) => void;
  cancelled: boolean;
}

/**
 * Wake-ups on a FakeClock that moves only when the test says so (src/scheduler.ts's Wakeups): what the delay
 * proxy is handed instead of the process's scheduler. Every delay the proxy applies is then exact: a chunk due
 * rtt/2 after the proxy read it leaves when the test moves the clock there, whatever the machine's load.
 */
export class ManualWakeups implements Wakeups {
  readonly clock: FakeClock;
  /** at() calls so far. */
  scheduled = 0;
  private wakeups: Wakeup[] = [];
  private seq = 0;

  constructor(clock = new FakeClock(0n)) {
    this.clock = clock;
  }

  now(): bigint {
    return this.clock.now();
  }

  at(dueNs: bigint, callback: (lateNs: bigint) => void): Scheduled {
    this.scheduled++;
    const wakeup: Wakeup = {
      dueNs,
      seq: this.seq++,
      callback,
      cancelled: false,
      cancel: () => {
        wakeup.cancelled = true;
      },
    };
    this.wakeups.push(wakeup);
    return wakeup;
  }

  /** Wake-ups scheduled and neither run nor cancelled. */
  get pending(): number {
    return this.wakeups.filter((w) => !w.cancelled).length;
  }

  /** Moves the clock to the earliest pending wake-up and runs every one due by then, in time order. */
  advance(): void {
    const next = this.earliest();
    if (next === undefined) throw new Error('no wake-up is pending');
    this.advanceTo(next.dueNs);
  }

  /** Moves the clock to `ns`, running every wake-up due by then (those they schedule too) in time order. */
  advanceTo(ns: bigint): void {
    for (let next = this.earliest(); next !== undefined && next.dueNs <= ns; next = this.earliest()) {
      this.wakeups.splice(this.wakeups.indexOf(next), 1);
      if (next.dueNs > this.clock.now()) this.clock.set(next.dueNs);
      next.callback(this.clock.now() - next.dueNs);
    }
    if (ns > this.clock.now()) this.clock.set(ns);
  }

  /**
   * Settles `promise` on virtual time: whenever a wake-up is pending, the clock jumps to it; otherwise the real
   * sockets are left to do their part. Every delay is then at least what the proxy was asked for; it may be longer
   * when the clock jumps while a chunk is still on its way (it is queued later), never shorter.
   */
  async drive<R>(promise: Promise<R>): Promise<R> {
    let settled = false;
    const done = (): void => {
      settled = true;
    };
    void promise.then(done, done);
    for (;;) {
      await until(() => settled || this.pending > 0, 'the promise to settle or a wake-up to be scheduled');
      if (settled) return promise;
      this.advance();
    }
  }

  private earliest(): Wakeup | undefined {
    this.wakeups = this.wakeups.filter((w) => !w.cancelled);
    let earliest: Wakeup | undefined;
    for (const w of this.wakeups)
      if (earliest === undefined || w.dueNs < earliest.dueNs || (w.dueNs === earliest.dueNs && w.seq < earliest.seq))
        earliest = w;
    return earliest;
  }
}

/**
 * Waits, on the real clock, for something the sockets do: polled every millisecond. No timing is read from it; its
 * deadline (below the 60 s test timeout) only turns a hang into a message that says what never happened.
 */
export async function until(condition: () => boolean, what: string, deadlineMs = 30_000): Promise<void> {
  const deadline = performance.now() + deadlineMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`waited ${deadlineMs / 1000} s for ${what}`);
    await sleep(1);
  }
}
