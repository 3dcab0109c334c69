import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { newHoldStats, newRecorder, runLoad, type PhaseLimit } from '../../../src/bench/run/load-loop.js';
import type { Strategy } from '../../../src/bench/strategies/strategy.js';
import type { Workload } from '../../../src/bench/run/workload.js';
import { Pool } from '../../../src/pool/pool.js';
import { Scheduler } from '../../../src/scheduler.js';
import { finiteSourceWait } from '../../../src/sizing/finite-source.js';
import { loadDependentWait } from '../../../src/sizing/load-dependent.js';
import { BusyOccupancy } from '../../../src/bench/run/busy-occupancy.js';
import { summarizeHoldByBusy } from '../../../src/bench/run/hold-by-busy.js';
import type { Random } from '../../../src/clock.js';
import { FakeClock, seededRandom } from '../../helpers/clock.js';

/**
 * A discrete-event run of the real load loop, scheduler and pool on virtual time: the clock (a FakeClock handed to
 * all three) moves only when nothing else can run, to the next wake-up. Holds are wake-ups too,
 * so the workers are exactly the model's independent threads. Where its assumptions hold (exponential think
 * and hold times), the measured P(wait) must be the model's; what remains in a real run is then the real
 * system (hold times that are not exponential, a CPU shared by Redis and the generator), not the generator.
 */
class VirtualTime {
  readonly clock = new FakeClock();
  private timers: { dueNs: bigint; callback: () => void; live: boolean }[] = [];
  private immediates: (() => void)[] = [];

  readonly scheduler = new Scheduler({
    now: this.clock.now,
    setTimer: (callback, ms) => {
      const timer = { dueNs: this.clock.now() + BigInt(ms) * 1_000_000n, callback, live: true };
      this.timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => {
      (timer as { live: boolean }).live = false;
    },
    setImmediate: (callback) => {
      this.immediates.push(callback);
    },
  });

  /** Drives the loop until `done` settles: microtasks first, then immediates, then a jump to the next timer. */
  async run(done: Promise<void>): Promise<void> {
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      for (let i = 0; i < 20; i++) await Promise.resolve();
      if (finished) break;
      if (this.immediates.length > 0) {
        // The scheduler is polling: nothing happens until its next wake-up, so time jumps there.
        const due = this.scheduler.nextDueNs();
        if (due !== null && due > this.clock.now()) this.clock.set(due);
        for (const callback of this.immediates.splice(0)) callback();
        continue;
      }
      this.timers = this.timers.filter((t) => t.live);
      this.timers.sort((a, b) => (a.dueNs < b.dueNs ? -1 : a.dueNs > b.dueNs ? 1 : 0));
      const next = this.timers.shift();
      if (next === undefined) throw new Error('nothing left to run, but the load has not finished');
      if (next.dueNs > this.clock.now()) this.clock.set(next.dueNs);
      next.callback();
    }
    await done;
  }
}

/** A pooled strategy over the real Pool, with resources that cost nothing to open. */
function pooledStrategy(pool: Pool<object>): Strategy {
  return {
    name: 'pooled',
    holdIncludesAcquire: false,
    start: () => pool.start(),
    acquire: () => pool.acquire() as unknown as Promise<Redis>,
    release: (client) => pool.release(client),
    close: () => pool.close(),
    poolStats: () => pool.stats(),
    busyConnections: () => pool.borrowedCount,
  };
}

/** exponential: the model's holds; fixed: a constant hold; shared-cpu: exponential, 25 % longer per other busy connection. */
type HoldKind = 'exponential' | 'fixed' | 'shared-cpu';

async function simulate(
  poolSize: number,
  hold: HoldKind,
): Promise<{ measured: number; utilization: number; loadDependent: number }> {
  // One sequence of draws, the same every run, for the holds and the think times alike (as Math.random was).
  const random: Random = seededRandom(42 + poolSize);
  const time = new VirtualTime();
  const { clock } = time;
  const holdMeanMs = 0.5;
  const pool = new Pool<object>(
    { create: async () => ({}), destroy: async () => undefined },
    { max: poolSize, minIdle: poolSize },
    clock,
  );
  const workload = {
    drawTag: () => 0,
    run: async () => {
      const stats = pool.stats();
      const othersBusy = stats.totalConns - stats.idleConns - 1;
      const meanMs = hold === 'shared-cpu' ? holdMeanMs * (1 + 0.25 * othersBusy) : holdMeanMs;
      const holdMs = hold === 'fixed' ? meanMs : -meanMs * Math.log(1 - random.random());
      await time.scheduler.sleepUntil(clock.now() + BigInt(Math.round(holdMs * 1e6)));
    },
  } as unknown as Workload;
  const strategy = pooledStrategy(pool);
  await time.run(strategy.start());
  const recorder = newRecorder(null, null);
  recorder.occupancy = new BusyOccupancy(poolSize);
  const limit: PhaseLimit = { remainingRequests: 30_000, deadlineNs: 10n ** 18n };
  const before = pool.stats();
  const holdStats = newHoldStats();
  // The think time the load model sets for u = 10 % from the hold it has measured: 0.5 ms × 9.
  await time.run(
    runLoad(
      strategy,
      workload,
      20,
      { ratePerSec: null, targetUtilization: 0.1, thinkMs: null, thinkDistribution: 'exponential' },
      limit,
      recorder,
      holdStats,
      { scheduler: time.scheduler, clock, random },
    ),
  );
  const after = pool.stats();
  const acquires = after.hits + after.misses - before.hits - before.misses;
  const holdMs = recorder.holdUs / recorder.holds / 1000;
  const thinkMs = recorder.thinkUs / recorder.thinks / 1000;
  // The model fed with the mean hold at each number of busy connections, as the bench measures it.
  const holdAt = new Map(summarizeHoldByBusy(recorder.occupancy).holdByBusy.map((level) => [level.busy, level.meanMs]));
  const loadDependent = loadDependentWait(20, thinkMs, (busy) => holdAt.get(busy) ?? holdMs, poolSize);
  return {
    measured: (after.waitCount - before.waitCount) / acquires,
    utilization: holdMs / (holdMs + thinkMs),
    loadDependent,
  };
}

describe('the generator, the pool and the counters reproduce the model where its assumptions hold', () => {
  it.each([2, 3, 4, 5])(
    'pool of %i, 20 workers at u = 10 percent, exponential holds: measured P(wait) within 0.015 of finite-source',
    async (poolSize) => {
      const { measured, utilization } = await simulate(poolSize, 'exponential');
      const predicted = finiteSourceWait(20, utilization, poolSize).waitProbability;
      expect(utilization).toBeGreaterThan(0.09);
      expect(utilization).toBeLessThan(0.11);
      expect(Math.abs(measured - predicted)).toBeLessThan(0.015);
    },
    60_000,
  );

  it('fixed holds (a few sequential commands come close) agree with the model too: its P(wait) hardly depends on the hold distribution here', async () => {
    const { measured, utilization } = await simulate(4, 'fixed');
    expect(Math.abs(measured - finiteSourceWait(20, utilization, 4).waitProbability)).toBeLessThan(0.015);
  }, 60_000);

  it('holds that grow with the number of busy connections (a CPU shared by Redis and every request) wait more than the model says', async () => {
    const { measured, utilization } = await simulate(4, 'shared-cpu');
    expect(measured).toBeGreaterThan(finiteSourceWait(20, utilization, 4).waitProbability + 0.015);
  }, 60_000);

  it.each([2, 4])(
    'pool of %i, holds that grow with the load: the model fed with the holds measured at each number of busy connections agrees',
    async (poolSize) => {
      const { measured, loadDependent } = await simulate(poolSize, 'shared-cpu');
      expect(Math.abs(measured - loadDependent)).toBeLessThan(0.015);
    },
    60_000,
  );
});
