import { describe, expect, it } from 'vitest';
import { GENERATOR_LIMITS, generatorSaturation, generatorWarnings } from '../../../src/bench/generator-health.js';
import type { GeneratorResult, StrategyResult } from '../../../src/schema/bench.js';
import { readBenchFixture } from '../../helpers/fixtures.js';

const fixture = readBenchFixture('bench-result.json');
const pooled = fixture.results.find((r) => r.strategy === 'pooled')!;

type Lateness = NonNullable<GeneratorResult['wakeLateness']>;

/** A pooled run with the given mean hold and the generator's figures (a precise scheduler's busy loop by default). */
function run(holdMeanMs: number, lateness: Partial<Lateness> | null, generator: Partial<GeneratorResult> = {}): StrategyResult {
  return {
    ...pooled,
    label: 'pooled(max=4)',
    load: { ...pooled.load, holdMeanMs },
    generator: {
      eventLoopUtilization: 0.97,
      lagP99Ms: 11.2,
      wakeLateness: lateness === null ? null : { count: 100_000, p50Us: 20, p90Us: 60, p99Us: 150, maxUs: 3000, ...lateness },
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
    expect(w!.message).toContain('pooled(max=4): the load generator woke its workers late, p90 940 µs and p99 1,100 µs after the intended time');
    expect(w!.message).toContain('against a mean hold of 0.5 ms (fair up to p90 250 µs and p99 1,000 µs; event loop 97 % busy, lag p99 11.2 ms, CPU 95 % of a core)');
    expect(w!.message).toContain('not a fair test of the model');
    expect(w!.remedy).toContain('fewer workers (--concurrency)');
    expect(w!.remedy).toContain('more --commands-per-request');
    expect(w!.remedy).toContain('a second load machine');
  });

  it('fires on 200 workers whose wake-ups are milliseconds late', () => {
    expect(generatorWarnings(run(0.6, { p50Us: 2500, p90Us: 7000, p99Us: 15_000, maxUs: 40_000 }, { eventLoopUtilization: 1, lagP99Ms: 25 }))).toHaveLength(1);
  });

  it('fires on a tail of stalls even when most wake-ups are on time', () => {
    expect(generatorWarnings(run(0.5, { p90Us: 80, p99Us: 1200 }))).toHaveLength(1);
  });

  it('draws the line at p90 = 50 % and p99 = 2 × the mean hold', () => {
    expect(GENERATOR_LIMITS).toEqual({ latenessP90OfHold: 0.5, latenessP99OfHold: 2 });
    expect(generatorSaturation(run(0.5, { p90Us: 250, p99Us: 1000 }))).toBeNull();
    expect(generatorSaturation(run(0.5, { p90Us: 251, p99Us: 1000 }))).toMatchObject({ p90Us: 251, p90LimitUs: 250, p99LimitUs: 1000 });
    expect(generatorSaturation(run(0.5, { p90Us: 250, p99Us: 1001 }))).not.toBeNull();
  });

  it('judges the lateness against the hold: the same lateness is fair to a 10 ms hold (a real network)', () => {
    const late = { p50Us: 500, p90Us: 940, p99Us: 1100 };
    expect(generatorWarnings(run(0.5, late))).toHaveLength(1);
    expect(generatorWarnings(run(10, late))).toEqual([]);
  });

  it('says nothing without figures to judge: an old result, no scheduled wake-up, no hold', () => {
    const { generator: _, ...old } = run(0.5, { p90Us: 5000 });
    expect(generatorWarnings(old)).toEqual([]);
    expect(generatorWarnings(run(0.5, null))).toEqual([]);
    expect(generatorWarnings(run(0.5, { count: 0, p90Us: 5000, p99Us: 5000 }))).toEqual([]);
    expect(generatorWarnings(run(0, { p90Us: 5000, p99Us: 5000 }))).toEqual([]);
  });
});
