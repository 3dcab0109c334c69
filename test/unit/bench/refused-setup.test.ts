import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { newHoldStats, newRecorder, runLoad, type PhaseLimit } from '../../../src/bench/run/load-loop.js';
import { maxclientsWarnings } from '../../../src/bench/findings/maxclients.js';
import type { Strategy } from '../../../src/bench/strategies/strategy.js';
import type { Workload } from '../../../src/bench/run/workload.js';
import { ServerFullError, SetupRefusedError } from '../../../src/redis/checked-redis.js';
import type { LoadConfig } from '../../../src/schema/bench.js';
import { readBenchFixture } from '../../helpers/fixtures.js';

const CLOSED_LOOP: LoadConfig = {
  ratePerSec: null,
  targetUtilization: null,
  thinkMs: null,
  thinkDistribution: 'exponential',
};

/** A strategy whose connections fail with `error` from the `failAt`-th acquire on. */
function failingStrategy(error: Error, failAt: number): Strategy & { acquires: number } {
  const client = {} as Redis;
  const strategy = {
    name: 'pooled' as const,
    label: 'pooled(max=4)',
    factory: undefined as never,
    acquires: 0,
    start: async () => {},
    acquire: async () => {
      strategy.acquires++;
      if (strategy.acquires >= failAt) throw error;
      return client;
    },
    release: () => {},
    close: async () => {},
    poolStats: () => null,
    holdIncludesAcquire: false,
  };
  return strategy;
}

const workload = { drawTag: () => 0, run: async () => {} } as unknown as Workload;
const manyRequests = (): PhaseLimit => ({
  remainingRequests: 100_000,
  deadlineNs: 10n ** 18n,
});

describe('the load loop and a connection whose setup the server refused', () => {
  it('stops every worker and rejects with the refusal, instead of counting it and going on', async () => {
    const refusal = new SetupRefusedError('SELECT', 'ERR DB index is out of range');
    const strategy = failingStrategy(refusal, 50);
    const recorder = newRecorder(null, null);
    await expect(runLoad(strategy, workload, 4, CLOSED_LOOP, manyRequests(), recorder, newHoldStats())).rejects.toBe(
      refusal,
    );
    expect(recorder.errors).toBe(0);
    // The workers in flight finish their own attempt; none starts another one.
    expect(strategy.acquires).toBeLessThanOrEqual(50 + 4);
  });

  it('counts a full server as a maxclients error and goes on', async () => {
    const strategy = failingStrategy(new ServerFullError('ERR max number of clients reached'), 1);
    const recorder = newRecorder(null, null);
    const limit: PhaseLimit = { ...manyRequests(), remainingRequests: 200 };
    await runLoad(strategy, workload, 4, CLOSED_LOOP, limit, recorder, newHoldStats());
    expect(recorder.errorsByKind).toEqual({ maxclients: 200 });
  });
});

describe('maxclientsWarnings', () => {
  const fixture = readBenchFixture('bench-result.json');
  const pooled = fixture.results.find((r) => r.strategy === 'pooled')!;
  const refused = {
    ...pooled,
    label: 'pooled(max=10)',
    errorsByKind: { connection: 40, maxclients: 3 },
    connections: { ...pooled.connections, serverRejected: 43 },
  };

  it('names the limit read from the server, and the count the server gave', () => {
    const [warning, ...more] = maxclientsWarnings([pooled, refused], 6);
    expect(more).toEqual([]);
    expect(warning).toMatchObject({ code: 'maxclients-reached' });
    expect(warning!.message).toBe(
      'pooled(max=10): the server refused 43 connections ("ERR max number of clients reached"): ' +
        'it is at its maxclients limit of 6, ' +
        "which counts every client of the server (this run's, its monitor, and anyone else's)",
    );
  });

  it('falls back to the refusal itself when CONFIG GET was refused, and to the client count for older results', () => {
    const older = { ...refused, connections: { ...pooled.connections } };
    const [warning] = maxclientsWarnings([older], null);
    expect(warning!.message).toMatch(
      /^pooled\(max=10\): the server refused 3 connections .*\(CONFIG GET maxclients was refused, so the limit itself is not known\)$/,
    );
  });
});
