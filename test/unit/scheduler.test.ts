import { describe, expect, it } from 'vitest';
import { POLL_WINDOW_NS, Scheduler, type SchedulerHost } from '../../src/scheduler.js';

/**
 * A virtual event loop: time moves only when the test says so. `step()` runs one loop iteration: the timers
 * that are due, then the immediates queued before it began (as Node's check phase does), each pass moving the
 * clock on by `pollNs` to stand for the poll phase's I/O.
 */
class VirtualLoop implements SchedulerHost {
  nowNs = 0n;
  timers: { dueNs: bigint; callback: () => void; cleared: boolean }[] = [];
  immediates: (() => void)[] = [];
  timersSet = 0;
  immediatesSet = 0;

  constructor(private readonly pollNs = 10_000n) {}

  now(): bigint {
    return this.nowNs;
  }
  setTimer(callback: () => void, ms: number): unknown {
    this.timersSet++;
    const timer = { dueNs: this.nowNs + BigInt(ms) * 1_000_000n, callback, cleared: false };
    this.timers.push(timer);
    return timer;
  }
  clearTimer(timer: unknown): void {
    (timer as { cleared: boolean }).cleared = true;
  }
  setImmediate(callback: () => void): void {
    this.immediatesSet++;
    this.immediates.push(callback);
  }

  get liveTimers(): number {
    return this.timers.filter((t) => !t.cleared).length;
  }

  step(): void {
    this.nowNs += this.pollNs;
    for (const timer of this.timers.filter((t) => !t.cleared && t.dueNs <= this.nowNs)) {
      timer.cleared = true;
      timer.callback();
    }
    const immediates = this.immediates.splice(0);
    for (const callback of immediates) callback();
  }

  /** Jump to the next timer when nothing else is pending (the loop would sleep in epoll). */
  runUntilIdle(maxSteps = 100_000): void {
    for (let i = 0; i < maxSteps; i++) {
      if (this.immediates.length === 0) {
        const next = this.timers.filter((t) => !t.cleared).sort((a, b) => Number(a.dueNs - b.dueNs))[0];
        if (next === undefined) return;
        if (next.dueNs > this.nowNs) this.nowNs = next.dueNs - this.pollNs;
      }
      this.step();
    }
    throw new Error('the loop never went idle');
  }
}

describe('Scheduler', () => {
  it('wakes every waiter at or after its time, in time order, and says how late', () => {
    const loop = new VirtualLoop();
    const scheduler = new Scheduler(loop);
    const woken: { name: string; atNs: bigint; lateNs: bigint }[] = [];
    for (const [name, dueNs] of [
      ['c', 7_300_000n],
      ['a', 250_000n],
      ['b', 3_000_000n],
      ['a2', 250_000n],
    ] as const) {
      scheduler.at(dueNs, (lateNs) => woken.push({ name, atNs: loop.nowNs, lateNs }));
    }
    loop.runUntilIdle();
    expect(woken.map((w) => w.name)).toEqual(['a', 'a2', 'b', 'c']);
    for (const w of woken) {
      expect(w.lateNs).toBeGreaterThanOrEqual(0n);
      // Polled once per loop iteration: at most one iteration (10 µs here) late.
      expect(w.lateNs).toBeLessThanOrEqual(10_000n);
    }
    expect(scheduler.pending).toBe(0);
  });

  it('sleeps on one timer while the next wake-up is far, and polls only inside the window', () => {
    const loop = new VirtualLoop();
    const scheduler = new Scheduler(loop);
    let woke = false;
    scheduler.at(50_000_000n, () => (woke = true));
    expect(loop.timersSet).toBe(1);
    expect(loop.immediatesSet).toBe(0);
    loop.runUntilIdle();
    expect(woke).toBe(true);
    // The timer ended the sleep shortly before the wake-up; the polling covered at most the window.
    expect(loop.immediatesSet).toBeLessThanOrEqual(Number(POLL_WINDOW_NS / 10_000n) + 2);
    expect(loop.liveTimers).toBe(0);
  });

  it('keeps one poll pending however many waiters are near', () => {
    const loop = new VirtualLoop();
    const scheduler = new Scheduler(loop);
    for (let i = 0; i < 100; i++) scheduler.at(BigInt(i) * 5_000n, () => undefined);
    expect(loop.immediates.length).toBe(1);
    loop.step();
    expect(loop.immediates.length).toBe(1);
    loop.runUntilIdle();
    expect(scheduler.pending).toBe(0);
  });

  it('never runs a wake-up that is already due synchronously: I/O runs first', () => {
    const loop = new VirtualLoop();
    loop.nowNs = 1_000_000_000n;
    const scheduler = new Scheduler(loop);
    let woke = false;
    scheduler.at(0n, () => (woke = true));
    expect(woke).toBe(false);
    loop.step();
    expect(woke).toBe(true);
  });

  it('a cancelled wake-up never runs and leaves no timer behind', () => {
    const loop = new VirtualLoop();
    const scheduler = new Scheduler(loop);
    let woke = false;
    const far = scheduler.at(60_000_000_000n, () => (woke = true));
    expect(loop.liveTimers).toBe(1);
    far.cancel();
    expect(loop.liveTimers).toBe(0);
    loop.runUntilIdle();
    expect(woke).toBe(false);
    expect(scheduler.pending).toBe(0);
  });

  it('moves its timer earlier when an earlier wake-up is added', () => {
    const loop = new VirtualLoop();
    const scheduler = new Scheduler(loop);
    const order: string[] = [];
    scheduler.at(40_000_000n, () => order.push('late'));
    scheduler.at(20_000_000n, () => order.push('early'));
    expect(loop.liveTimers).toBe(1);
    loop.runUntilIdle();
    expect(order).toEqual(['early', 'late']);
  });

  it('sleepUntil resolves with the lateness', async () => {
    const loop = new VirtualLoop();
    const scheduler = new Scheduler(loop);
    const late = scheduler.sleepUntil(2_000_000n);
    loop.runUntilIdle();
    expect(await late).toBeGreaterThanOrEqual(0n);
  });
});
