import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newHoldStats, newRecorder, runLoad, type PhaseLimit } from '../../../src/bench/load-loop.js';
import type { Strategy } from '../../../src/bench/strategies/strategy.js';
import type { Workload } from '../../../src/bench/workload.js';
import type { ClientFactory } from '../../../src/redis/client-factory.js';
import type { LoadConfig } from '../../../src/report/bench-schema.js';

/** A fake clock: the load loop reads process.hrtime.bigint(), and each step of a request moves it on. */
let clockNs = 0n;
const advanceMs = (ms: number): void => {
  clockNs += BigInt(ms * 1e6);
};

afterEach(() => {
  vi.restoreAllMocks();
});

const CLOSED: LoadConfig = { ratePerSec: null, targetUtilization: null, thinkMs: null, thinkDistribution: 'exponential' };

/** A strategy whose acquire takes 20 ms, whose commands take 5 ms and whose release takes 3 ms. */
function timedStrategy(holdIncludesAcquire: boolean): Strategy {
  return {
    name: holdIncludesAcquire ? 'per-request' : 'pooled',
    label: 'timed',
    holdIncludesAcquire,
    factory: {} as ClientFactory,
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
  run: async () => {
    advanceMs(5);
  },
} as unknown as Workload;

async function holdOfOneRequest(strategy: Strategy): Promise<{ holdMs: number; latencyMs: number }> {
  clockNs = 1_000_000_000n;
  vi.spyOn(process.hrtime, 'bigint').mockImplementation(() => clockNs);
  const recorder = newRecorder(null, null);
  const latencies: number[] = [];
  recorder.latency = { recordValue: (us: number) => latencies.push(us) } as unknown as NonNullable<typeof recorder.latency>;
  const limit: PhaseLimit = { remainingRequests: 1, deadlineNs: 10n ** 18n, stopped: () => false };
  await runLoad(strategy, workload, 1, CLOSED, limit, recorder, newHoldStats());
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
