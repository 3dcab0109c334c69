import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../../src/schema/bench.js';
import { sizeFlagsFromBench } from '../../../src/sizing/from-bench.js';
import { readBenchFixture, twoMachinesOf } from '../../helpers/fixtures.js';

describe('size --from a capacity curve', () => {
  const curve = readBenchFixture('bench-curve-result.json');

  it("takes the pooled curve's knee: its rate, and the hold measured at that step", () => {
    const pooled = curve.capacity!.find((c) => c.strategy === 'pooled')!;
    const knee = pooled.kneeRatePerSec!;
    const step = curve.results.find((r) => r.label === `${pooled.label}@${knee}`)!;
    expect(sizeFlagsFromBench(curve, 'curve.json')).toEqual({
      ratePerSec: knee,
      holdMs: step.load.holdMeanMs,
      from: {
        file: 'curve.json',
        run: step.label,
        reason: `the knee of the ${pooled.label} curve: the highest rate it served within ${pooled.slo.join(' and ')}`,
      },
      // Apart from the rate, which size --peak-rate replaces by each instance's share of the peak.
      knee: { ratePerSec: knee, slo: pooled.slo, file: 'curve.json', label: pooled.label },
    });
    // Not the first rate of the sweep, which the run's load.ratePerSec holds.
    expect(curve.config.load.ratePerSec).not.toBe(knee);
  });

  it("takes one instance's share of the knee of a curve that several instances served together (merge, --threads)", () => {
    const merged = twoMachinesOf('bench-curve-result.json');
    const pooled = merged.capacity!.find((c) => c.strategy === 'pooled')!;
    expect(pooled.instances).toBe(2);
    const flags = sizeFlagsFromBench(merged, 'merged.json');
    expect(flags.ratePerSec).toBe(pooled.kneeRatePerSec! / 2);
    expect(flags.knee!.ratePerSec).toBe(pooled.kneeRatePerSec! / 2);
    // The knee of one machine's own curve: the two machines were copies of one run.
    expect(flags.ratePerSec).toBe(curve.capacity!.find((c) => c.strategy === 'pooled')!.kneeRatePerSec);
    expect(flags.from!.run).toBe(`${pooled.label}@${pooled.kneeRatePerSec}`);
    expect(flags.from!.reason).toMatch(
      /the highest rate its 2 instances served together, 4,000\/s each within p99<5ms$/,
    );
  });

  it('refuses a curve without a knee, in one line', () => {
    const kneeless = { ...curve, capacity: curve.capacity!.map((c) => ({ ...c, kneeRatePerSec: null })) };
    expect(() => sizeFlagsFromBench(kneeless, 'curve.json')).toThrow(
      /^--from curve\.json: its capacity curve has no knee \(no strategy met p99<5ms from its lowest rate\): nothing to size for/,
    );
  });
});

describe('size --from a run of several instances sizes one of them', () => {
  const closed = readBenchFixture('bench-result.json');
  const pooledHold = (result: BenchResult): number =>
    result.results.find((r) => r.strategy === 'pooled')!.load.holdMeanMs;

  it('a closed loop on one instance: its workers are the threads', () => {
    expect(sizeFlagsFromBench(closed, 'one.json')).toMatchObject({ threads: 10, holdMs: pooledHold(closed) });
  });

  it('--threads 2: each thread ran half the workers with a pool of its own', () => {
    const threaded = { ...closed, config: { ...closed.config, threads: 2 } };
    const flags = sizeFlagsFromBench(threaded, 'threads.json');
    expect(flags).toMatchObject({ threads: 5, holdMs: pooledHold(closed) });
    expect(flags.from!.reason).toMatch(/; each of its 2 instances' share of the load$/);
    // An uneven split sizes the thread with the most workers.
    expect(sizeFlagsFromBench({ ...threaded, config: { ...threaded.config, concurrency: 11 } }, 't.json').threads).toBe(
      6,
    );
  });

  it("two machines merged: each ran the configuration's workers, so those are one instance's", () => {
    const merged = twoMachinesOf('bench-result.json');
    expect(merged.merged!.of).toBe('machines');
    const flags = sizeFlagsFromBench(merged, 'merged.json');
    expect(flags).toMatchObject({ threads: 10 });
    expect(flags.holdMs).toBeCloseTo(pooledHold(closed), 9);
    expect(flags.from!.reason).toMatch(/each of its 2 instances' share of the load$/);
  });

  it('an open loop: the rate the configuration asked of the machine, over its threads', () => {
    const { capacity: _, ...open } = readBenchFixture('bench-curve-result.json');
    expect(sizeFlagsFromBench(open, 'open.json').ratePerSec).toBe(500);
    expect(sizeFlagsFromBench({ ...open, config: { ...open.config, threads: 2 } }, 'open.json').ratePerSec).toBe(250);
  });
});
