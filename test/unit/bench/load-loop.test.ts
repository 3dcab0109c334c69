import type { Redis } from 'ioredis';
import { beforeEach, describe, expect, it } from 'vitest';
import { newHistogram } from '../../../src/histograms.js';
import { newHoldStats, newRecorder, runLoad, type PhaseLimit } from '../../../src/bench/run/load-loop.js';
import { Scheduler } from '../../../src/scheduler.js';
import type { Strategy } from '../../../src/bench/strategies/strategy.js';
import type { Workload } from '../../../src/bench/run/workload.js';
import type { LoadConfig } from '../../../src/schema/bench.js';
import { FakeClock, seededRandom } from '../../helpers/clock.js';

/** The load loop's clock, handed to it: each step of a request moves it on. A new one for every test. */
let clock: FakeClock;
const advanceMs = (ms: number): void => clock.advanceMs(ms);

beforeEach(() => {
  clock = new FakeClock();
});

const CLOSED: LoadConfig = {
  ratePerSec: null,
  targetUtilization: null,
  thinkMs: null,
  thinkDistribution: 'exponential',
};

/** A strategy whose acquire takes 20 ms, whose commands take 5 ms and whose release takes 3 ms. */
function timedStrategy(holdIncludesAcquire: boolean): Strategy {
  return {
    name: holdIncludesAcquire ? 'per-request' : 'pooled',
    holdIncludesAcquire,
    start: async () => undefined,
    acquire: async () => {
      advanceMs(20);
      return {} as Redis;
    },
    release: async () => {
      advanceMs(3);
    },
    close: async () => undefined,
    poolStats: () => null,
  };
}

const workload = {
  drawTag: () => 0,
  run: async () => {
    advanceMs(5);
  },
} as unknown as Workload;

async function holdOfOneRequest(strategy: Strategy): Promise<{ holdMs: number; latencyMs: number }> {
  const recorder = newRecorder(null, null);
  const latencies: number[] = [];
  recorder.latency = { recordValue: (us: number) => latencies.push(us) } as unknown as NonNullable<
    typeof recorder.latency
  >;
  const limit: PhaseLimit = { remainingRequests: 1, deadlineNs: 10n ** 18n };
  await runLoad(strategy, workload, 1, CLOSED, limit, recorder, newHoldStats(), { clock });
  expect(recorder.holds).toBe(1);
  return { holdMs: recorder.holdUs / 1000, latencyMs: latencies[0]! / 1000 };
}

describe('what a hold spans', () => {
  it('per-request holds its connection from the start of the connect to the end of the close', async () => {
    const { holdMs, latencyMs } = await holdOfOneRequest(timedStrategy(true));
    expect(holdMs).toBe(28);
    // Request latency still ends at the last reply.
    expect(latencyMs).toBe(25);
  });

  it('pooled holds it from acquired to released (the acquire wait is not a hold)', async () => {
    const { holdMs, latencyMs } = await holdOfOneRequest(timedStrategy(false));
    expect(holdMs).toBe(8);
    expect(latencyMs).toBe(25);
  });
});

describe('acquire waits', () => {
  it('records a connection taken at once (acquireNow) as a wait of 0 µs, and a wait for acquire() as its length, once per successful request', async () => {
    let free = 2;
    const strategy: Strategy = { ...timedStrategy(false), acquireNow: () => (free-- > 0 ? ({} as Redis) : undefined) };
    const recorder = newRecorder(newHistogram(), newHistogram());
    const limit: PhaseLimit = { remainingRequests: 5, deadlineNs: 10n ** 18n };
    await runLoad(strategy, workload, 1, CLOSED, limit, recorder, newHoldStats(), { clock });
    const waits = recorder.acquireWait!;
    expect(waits.totalCount).toBe(5);
    // Two of five at 0 µs; timedStrategy's acquire() takes 20 ms (HDR: within its bucket's 16 µs).
    expect(waits.getValueAtPercentile(40)).toBe(0);
    expect(waits.getValueAtPercentile(41)).toBeCloseTo(20_000, -2);
    expect(waits.minNonZeroValue).toBeCloseTo(20_000, -2);
    // Every hold spans acquired → released: 5 ms of commands and 3 ms of release.
    expect(recorder.holdUs).toBe(5 * 8000);
  });
});

/**
 * A scheduler on virtual time: it reads the same fake clock as the load loop, a timer jumps the clock to its end,
 * and each poll moves it on by 5 µs (a loop iteration). The event loop itself is the real one.
 */
function virtualScheduler(pollNs = 5_000n): Scheduler {
  return new Scheduler({
    now: clock.now,
    setTimer: (callback, ms) =>
      setImmediate(() => {
        clock.advance(BigInt(ms) * 1_000_000n);
        callback();
      }),
    clearTimer: (timer) => clearImmediate(timer as NodeJS.Immediate),
    setImmediate: (callback) => {
      setImmediate(() => {
        clock.advance(pollNs);
        callback();
      });
    },
  });
}

/** A strategy that lends a connection at once and takes it back at once. */
function instantStrategy(): Strategy {
  return { ...timedStrategy(false), acquire: async () => ({}) as Redis, release: () => undefined };
}

/** A workload whose requests take `ms` of virtual time, and which notes when each started. */
function timedWorkload(ms: number, starts: bigint[]): Workload {
  return {
    drawTag: () => 0,
    run: async () => {
      starts.push(clock.now());
      advanceMs(ms);
    },
  } as unknown as Workload;
}

/** The think times' draws: from a fixed sequence, the same on every run. */
const SEED = 12345;

async function runVirtual(load: LoadConfig, requests: number, concurrency: number, workMs: number, pollNs = 5_000n) {
  const starts: bigint[] = [];
  const recorder = newRecorder(null, null, null, newHistogram());
  const limit: PhaseLimit = { remainingRequests: requests, deadlineNs: 10n ** 18n };
  const began = clock.now();
  await runLoad(instantStrategy(), timedWorkload(workMs, starts), concurrency, load, limit, recorder, newHoldStats(), {
    scheduler: virtualScheduler(pollNs),
    clock,
    random: seededRandom(SEED),
  });
  return { recorder, starts: starts.map((s) => s - began) };
}

describe('the load loop on the precise scheduler (virtual time)', () => {
  it('open loop: every request starts at its intended time, in order, none skipped', async () => {
    const { recorder, starts } = await runVirtual({ ...CLOSED, ratePerSec: 4000 }, 200, 4, 0.1);
    expect(recorder.requests).toBe(200);
    expect(starts).toHaveLength(200);
    starts.forEach((startNs, i) => {
      const intendedNs = BigInt(i * 250_000);
      expect(startNs).toBeGreaterThanOrEqual(intendedNs);
      // Woken within one poll of its time, never a millisecond late.
      expect(startNs - intendedNs).toBeLessThanOrEqual(10_000n);
    });
    expect(recorder.late).toBe(0);
    expect(recorder.wakeLateness!.totalCount).toBeGreaterThan(0);
    expect(recorder.wakeLateness!.maxValue).toBeLessThanOrEqual(10);
  });

  it('open loop behind its schedule: the phase ends at its deadline, and the requests due that never started are counted', async () => {
    const starts: bigint[] = [];
    const recorder = newRecorder(null, null, null, newHistogram());
    // 1,000 requests/s for 1 s, served by 2 workers whose requests take 10 ms of the one virtual clock each: about 100 can start.
    const limit: PhaseLimit = {
      remainingRequests: Infinity,
      deadlineNs: clock.now() + 1_000_000_000n,
    };
    await runLoad(
      instantStrategy(),
      timedWorkload(10, starts),
      2,
      { ...CLOSED, ratePerSec: 1000 },
      limit,
      recorder,
      newHoldStats(),
      { scheduler: virtualScheduler(), clock },
    );
    // Nothing starts after the deadline but a request due before it, woken within a poll.
    for (const start of starts) expect(start).toBeLessThanOrEqual(limit.deadlineNs + 10_000n);
    expect(recorder.requests).toBeGreaterThan(90);
    expect(recorder.requests).toBeLessThan(110);
    // Every request due in the window either started or is counted as never started.
    expect(recorder.requests + recorder.unstarted).toBe(1000);
  });

  it('open loop run for a request count: all of them run, nothing is counted as unstarted', async () => {
    const { recorder } = await runVirtual({ ...CLOSED, ratePerSec: 1000 }, 50, 2, 10);
    expect(recorder.requests).toBe(50);
    expect(recorder.unstarted).toBe(0);
  });

  it('closed loop with --think 0: requests back to back, nothing scheduled', async () => {
    const { recorder } = await runVirtual({ ...CLOSED, thinkMs: 0 }, 100, 2, 0.05);
    expect(recorder.requests).toBe(100);
    expect(recorder.thinks).toBe(0);
    expect(recorder.wakeLateness!.totalCount).toBe(0);
  });

  it('closed loop: a think time is slept after every request, even one far below a millisecond', async () => {
    const { recorder } = await runVirtual({ ...CLOSED, thinkMs: 0.2 }, 3000, 3, 0.05);
    expect(recorder.requests).toBe(3000);
    // One think per request: none skipped, none merged into the next.
    expect(recorder.thinks).toBe(3000);
    const meanThinkMs = recorder.thinkUs / recorder.thinks / 1000;
    // Exponential draws with a mean of 0.2 ms, plus at most a poll of lateness each.
    expect(meanThinkMs).toBeGreaterThan(0.2 * 0.9);
    expect(meanThinkMs).toBeLessThan(0.2 * 1.1 + 0.01);
  });

  it('closed loop: a scheduler that wakes late (100 µs polls) does not stretch the mean think time', async () => {
    const { recorder } = await runVirtual({ ...CLOSED, thinkMs: 0.3 }, 3000, 1, 0.05, 100_000n);
    expect(recorder.wakeLateness!.mean).toBeGreaterThan(40);
    const meanThinkMs = recorder.thinkUs / recorder.thinks / 1000;
    expect(meanThinkMs).toBeGreaterThan(0.3 * 0.93);
    expect(meanThinkMs).toBeLessThan(0.3 * 1.07);
  });

  it('closed loop: fixed think times are slept exactly', async () => {
    const { recorder, starts } = await runVirtual({ ...CLOSED, thinkMs: 3, thinkDistribution: 'fixed' }, 20, 1, 0.5);
    expect(recorder.thinks).toBe(20);
    for (let i = 1; i < starts.length; i++) {
      const gapNs = starts[i]! - starts[i - 1]!;
      expect(gapNs).toBeGreaterThanOrEqual(3_500_000n);
      expect(gapNs).toBeLessThanOrEqual(3_510_000n);
    }
  });

  it('a utilization target: think = hold × (1 − u) / u, so each worker holds a connection u of its time', async () => {
    // One worker: on virtual time, another worker's work would move the clock inside this one's hold.
    const { recorder } = await runVirtual({ ...CLOSED, targetUtilization: 0.1 }, 4000, 1, 0.3);
    const holdMs = recorder.holdUs / recorder.holds / 1000;
    const thinkMs = recorder.thinkUs / recorder.thinks / 1000;
    expect(holdMs).toBeCloseTo(0.3, 6);
    expect(holdMs / (holdMs + thinkMs)).toBeGreaterThan(0.09);
    expect(holdMs / (holdMs + thinkMs)).toBeLessThan(0.11);
  });
});
