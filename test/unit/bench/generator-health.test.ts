import { describe, expect, it } from 'vitest';
import {
  connectUnderSaturation,
  GENERATOR_LIMITS,
  generatorSaturation,
  generatorWarnings,
} from '../../../src/bench/findings/generator-health.js';
import type { GeneratorResult, StrategyResult } from '../../../src/schema/bench.js';
import { readBenchFixture } from '../../helpers/fixtures.js';

const fixture = readBenchFixture('bench-result.json');
const pooled = fixture.results.find((r) => r.strategy === 'pooled')!;

type Lateness = NonNullable<GeneratorResult['wakeLateness']>;

/** A pooled run with the given mean hold and the generator's figures (a precise scheduler's busy loop by default). */
function run(
  holdMeanMs: number,
  lateness: Partial<Lateness> | null,
  generator: Partial<GeneratorResult> = {},
): StrategyResult {
  return {
    ...pooled,
    label: 'pooled(max=4)',
    load: { ...pooled.load, holdMeanMs },
    pool: { ...pooled.pool!, waitCount: 120 },
    generator: {
      eventLoopUtilization: 0.97,
      lagP99Ms: 11.2,
      wakeLateness:
        lateness === null ? null : { count: 100_000, p50Us: 20, p90Us: 60, p99Us: 150, maxUs: 3000, ...lateness },
      cpuMs: 7600,
      cpuShare: 0.95,
      ...generator,
    },
  };
}

describe('the generator-saturated warning', () => {
  it('stays silent on a healthy run: a precise scheduler, 20 workers, 10 GETs per request (hold 0.5 ms)', () => {
    expect(generatorWarnings(run(0.5, { p50Us: 40, p90Us: 100, p99Us: 200 }))).toEqual([]);
  });

  it('is not raised by a busy event loop or a long lag alone: a precise scheduler keeps its loop busy on purpose', () => {
    expect(generatorWarnings(run(0.5, {}, { eventLoopUtilization: 1, lagP99Ms: 12, cpuShare: 1 }))).toEqual([]);
  });

  it('fires on a millisecond timer whose late wake-ups spread over the millisecond, against a 0.5 ms hold', () => {
    const warnings = generatorWarnings(run(0.5, { p50Us: 500, p90Us: 940, p99Us: 1100 }));
    expect(warnings).toHaveLength(1);
    const [w] = warnings;
    expect(w).toMatchObject({ code: 'generator-saturated', kind: 'generator-saturated' });
    expect(w!.message).toContain(
      'pooled(max=4): the load generator woke its workers late, p90 940 µs and p99 1,100 µs after the intended time',
    );
    expect(w!.message).toContain(
      'against a mean hold of 0.5 ms (fair up to p90 250 µs and p99 1,000 µs; event loop 97 % busy, lag p99 11.2 ms, CPU 95 % of a core)',
    );
    expect(w!.message).toContain('not a fair test of the model');
    expect(w!.remedy).toContain('fewer workers (--concurrency)');
    expect(w!.remedy).toContain('more --commands-per-request');
    expect(w!.remedy).toContain('a second load machine');
  });

  it('fires on 200 workers whose wake-ups are milliseconds late', () => {
    expect(
      generatorWarnings(
        run(0.6, { p50Us: 2500, p90Us: 7000, p99Us: 15_000, maxUs: 40_000 }, { eventLoopUtilization: 1, lagP99Ms: 25 }),
      ),
    ).toHaveLength(1);
  });

  it('fires on a tail of stalls even when most wake-ups are on time', () => {
    expect(generatorWarnings(run(0.5, { p90Us: 80, p99Us: 1200 }))).toHaveLength(1);
  });

  it('draws the line at p90 = 50 % and p99 = 2 × the mean hold', () => {
    expect(GENERATOR_LIMITS).toMatchObject({ latenessP90OfHold: 0.5, latenessP99OfHold: 2 });
    expect(generatorSaturation(run(0.5, { p90Us: 250, p99Us: 1000 }))).toBeNull();
    expect(generatorSaturation(run(0.5, { p90Us: 251, p99Us: 1000 }))).toMatchObject({
      p90Us: 251,
      p90LimitUs: 250,
      p99LimitUs: 1000,
    });
    expect(generatorSaturation(run(0.5, { p90Us: 250, p99Us: 1001 }))).not.toBeNull();
  });

  it('judges the lateness against the hold: the same lateness is fair to a 10 ms hold (a real network)', () => {
    const late = { p50Us: 500, p90Us: 940, p99Us: 1100 };
    expect(generatorWarnings(run(0.5, late))).toHaveLength(1);
    expect(generatorWarnings(run(10, late))).toEqual([]);
  });

  it('says nothing without figures to judge: an old result, no hold to set the bursts against', () => {
    const { generator: _, ...old } = run(0.5, { p90Us: 5000 });
    expect(generatorWarnings(old)).toEqual([]);
    expect(generatorWarnings(run(0, { p90Us: 5000, p99Us: 5000 }))).toEqual([]);
  });

  it('judges bursts only where more than 1 % of the acquires waited: bursts only add waits, and a run under the usual target met it anyway', () => {
    const late = run(0.5, { p50Us: 500, p90Us: 940, p99Us: 1100 });
    expect(generatorWarnings({ ...late, pool: { ...late.pool!, waitCount: 0 } })).toEqual([]);
    // 2,000 acquires: 20 waits is 1 %, 21 is more.
    expect(generatorWarnings({ ...late, pool: { ...late.pool!, waitCount: 20 } })).toEqual([]);
    expect(generatorWarnings({ ...late, pool: { ...late.pool!, waitCount: 21 } })).toHaveLength(1);
  });

  it('judges bursts on pooled runs only: a multiplexed request holds no connection for a burst to find busy', () => {
    const late = { p50Us: 500, p90Us: 940, p99Us: 1100 };
    expect(
      generatorWarnings({ ...run(0.5, late), strategy: 'multiplexed', label: 'multiplexed(1 conn)', pool: null }),
    ).toEqual([]);
  });
});

/** A closed loop without think time: nothing scheduled, so the loop only ever waits for replies. */
function closedLoop(
  generator: Partial<GeneratorResult>,
  latency: Partial<StrategyResult['latency']> = {},
  over: Partial<StrategyResult> = {},
): StrategyResult {
  const base = run(1.3, null, {
    eventLoopUtilization: 0.5,
    lagP99Ms: 0.1,
    lagMeanMs: 0.01,
    cpuShare: 0.5,
    ...generator,
  });
  return { ...base, latency: { ...base.latency, mean: 1.3, p99: 2.9, ...latency }, ...over };
}

describe('the generator as the bottleneck', () => {
  it('a closed loop without think time whose event loop is 90 % busy or more: saturated, with the share of the latency that is its own waiting', () => {
    const saturated = closedLoop({ eventLoopUtilization: 0.93, lagP99Ms: 1.2, lagMeanMs: 0.3 });
    expect(generatorSaturation(saturated)).toMatchObject({ reasons: ['busy-loop'], waitMs: 0.3 });
    expect(generatorSaturation(saturated)!.waitShare).toBeCloseTo(0.3 / 1.3, 6);
    const [w] = generatorWarnings(saturated);
    expect(w).toMatchObject({ code: 'generator-saturated', kind: 'generator-saturated' });
    expect(w!.message).toBe(
      'pooled(max=4): the load generator was the bottleneck: its event loop was busy with no ' +
        'scheduled wake-up to wait for (event loop 93 % busy, lag p99 1.2 ms, CPU 50 % of a core): ' +
        'a request waited a mean 0.3 ms for the generator, ' +
        'at least 23.1 % of the mean request latency (1.3 ms); ' +
        "that much of what it reports is the generator's own waiting, not Redis' nor the network's; " +
        'its connect times (p50 3.46 ms) ' +
        "were measured under that load and include the generator's own waiting at every step of the setup: " +
        '`redis-pool anatomy` times one connection on an idle loop',
    );
    expect(w!.remedy).toMatch(/--threads 2.*fewer workers \(--concurrency\).*a second load machine/);
    // On one thread of several (--threads): the CPU is the process's, and the run already had its threads.
    const [onThread] = generatorWarnings({
      ...saturated,
      generator: { ...saturated.generator!, onThread: true, cpuShare: 1.88 },
    });
    expect(onThread!.message).toContain(
      "(event loop 93 % busy, lag p99 1.2 ms, the process's CPU 188 % of a core, every thread's together)",
    );
    expect(onThread!.remedy).not.toContain('--threads 2');
    expect(onThread!.remedy).toMatch(
      /^give the generator less to do per event loop: more --threads only where the machine has a core free for each/,
    );
    expect(
      closedLoop({ eventLoopUtilization: 0.89 }).generator &&
        generatorSaturation(closedLoop({ eventLoopUtilization: 0.89 })),
    ).toBeNull();
  });

  it("a loop lag p99 of the order of the latency p99: saturated, however busy; a lag under a millisecond is within the timer's resolution", () => {
    expect(generatorSaturation(closedLoop({ lagP99Ms: 1.5 }))).toMatchObject({ reasons: ['loop-lag'] });
    expect(generatorSaturation(closedLoop({ lagP99Ms: 1.4 }))).toBeNull();
    expect(generatorSaturation(closedLoop({ lagP99Ms: 0.9 }, { p99: 0.2 }))).toBeNull();
    expect(generatorWarnings(closedLoop({ lagP99Ms: 5.9 }))[0]!.message).toContain(
      'its loop lag p99 is of the order of the request latency p99 it reports, 2.9 ms (event loop 50 % busy, lag p99 5.9 ms',
    );
  });

  it("a busy loop with requests that seldom waited for it: the throughput is the generator's limit", () => {
    const oneWorker = closedLoop({ eventLoopUtilization: 0.98, lagMeanMs: 0 }, { mean: 0.027, p99: 0.07 });
    expect(generatorWarnings(oneWorker)[0]!.message).toContain(
      'its requests seldom waited for the loop (a mean 0 ms, 0 % of the mean request latency), ' +
        "but the loop had no time to spare, so the throughput is the generator's limit, not Redis'",
    );
  });

  it('an open loop behind its schedule schedules almost nothing: its busy loop counts', () => {
    const behind = closedLoop(
      {
        eventLoopUtilization: 0.985,
        wakeLateness: { count: 47, meanUs: 800, p50Us: 743, p90Us: 1943, p99Us: 2343, maxUs: 2343 },
      },
      {},
      { requests: 23_000 },
    );
    expect(generatorSaturation({ ...behind, load: { ...behind.load, requestedRate: 10_000 } })).toMatchObject({
      reasons: ['busy-loop'],
    });
  });

  it('an open loop that kept its schedule: late starts of the order of the latency are in every latency it reports', () => {
    const onTime = closedLoop(
      {
        eventLoopUtilization: 1,
        lagMeanMs: 0.2,
        wakeLateness: { count: 50_000, meanUs: 300, p50Us: 0, p90Us: 193, p99Us: 3447, maxUs: 8000 },
      },
      { mean: 0.5, p99: 5.6 },
      { requests: 50_000 },
    );
    const open = {
      ...onTime,
      strategy: 'multiplexed' as const,
      label: 'multiplexed(1 conn)',
      pool: null,
      load: { ...onTime.load, requestedRate: 10_000 },
    };
    const saturation = generatorSaturation(open)!;
    expect(saturation.reasons).toEqual(['late-starts']);
    // The mean lag at the reply and the mean late start, over the mean latency.
    expect(saturation.waitMs).toBeCloseTo(0.5, 6);
    expect(saturation.waitShare).toBe(1);
    expect(
      generatorSaturation({
        ...open,
        generator: { ...open.generator!, wakeLateness: { ...open.generator!.wakeLateness!, p99Us: 2000 } },
      }),
    ).toBeNull();
  });

  it('a closed loop that thinks keeps its busy loop out of it: the scheduler polls on purpose', () => {
    expect(
      generatorSaturation(
        run(0.5, { p50Us: 40, p90Us: 100, p99Us: 200 }, { eventLoopUtilization: 1, lagP99Ms: 5, lagMeanMs: 1 }),
      ),
    ).toBeNull();
  });

  it('says that connect times measured under it are mostly its own waiting, and points to anatomy', () => {
    const perRequest = fixture.results.find((r) => r.strategy === 'per-request')!;
    const saturated = {
      ...perRequest,
      generator: {
        eventLoopUtilization: 0.99,
        lagP99Ms: 8.7,
        lagMeanMs: 1.3,
        wakeLateness: null,
        cpuMs: 7000,
        cpuShare: 0.8,
      },
    };
    expect(connectUnderSaturation(saturated)).toMatch(
      new RegExp(
        /^its connect times \(p50 [\d.]+ ms\) were measured under that load and include the generator's /.source +
          /own waiting at every step of the setup: `redis-pool anatomy` times one connection on an idle loop$/.source,
      ),
    );
    expect(generatorWarnings(saturated)[0]!.message).toContain('redis-pool anatomy');
    expect(
      connectUnderSaturation({
        ...saturated,
        generator: { ...saturated.generator, eventLoopUtilization: 0.5, lagP99Ms: 0.2 },
      }),
    ).toBeNull();
  });
});
