import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import type { KneeSource } from '../../../src/schema/size.js';
import { sizeFlagsFromBench } from '../../../src/sizing/from-bench.js';
import { resolveSizeInputs, withMeasured, type SizeFlags } from '../../../src/sizing/inputs.js';
import { instancesForPeak } from '../../../src/sizing/peak.js';
import { recommendPoolSize } from '../../../src/sizing/recommend.js';
import { readBenchFixture } from '../../helpers/fixtures.js';

const knee: KneeSource = { ratePerSec: 4000, slo: ['p99<5ms'], file: 'curve.json', label: 'pooled(max=50)' };
/** What size --from a curve measured: the knee's rate, the hold at that step, and the knee itself. */
const measured: SizeFlags = { ratePerSec: knee.ratePerSec, holdMs: 0.09, knee };

describe('instances for a peak', () => {
  it.each([
    [20_000, 4000, 5],
    [20_001, 4000, 6],
    [100, 4000, 1],
    [4000, 4000, 1],
  ])('%d req/s with a knee of %d: ceil(peak ÷ knee), at least one', (peak, kneeRate, instances) => {
    expect(instancesForPeak(peak, kneeRate)).toBe(instances);
  });
});

describe('size --peak-rate', () => {
  it('with a knee: as many instances as keep each at or under it, and each sized for its share', () => {
    const peak = 18_000;
    const result = recommendPoolSize(resolveSizeInputs(withMeasured(measured, { peakRatePerSec: peak })));
    const instances = Math.ceil(peak / knee.ratePerSec);
    expect(result.peak).toEqual({
      peakRatePerSec: peak,
      instances,
      instancesFrom: 'knee',
      ratePerInstance: peak / instances,
      kneeRatePerSec: knee.ratePerSec,
      shareOfKnee: peak / instances / knee.ratePerSec,
    });
    expect(result.inputs).toMatchObject({ ratePerSec: peak / instances, holdMs: 0.09, knee });
    expect(result.inputs.peak).toEqual({ ratePerSec: peak, instancesFrom: 'knee' });
    // The fleet budget is the derived instances' pools: what that fleet opens against maxclients.
    expect(result.fleet.instances).toBe(instances);
    expect(result.fleet.queueing.connectionsPerNode).toBe(instances * result.queueing.poolSize);
    // The same pool as sizing one instance's share directly.
    const direct = recommendPoolSize(resolveSizeInputs({ ratePerSec: peak / instances, holdMs: 0.09 }));
    expect(result.queueing.poolSize).toBe(direct.queueing.poolSize);
    expect(result.warnings.map((w) => w.code)).not.toContain('peak-above-knee');
  });

  it('with --instances: the flag, whatever the knee; beyond the knee, a warning with the instances it needs', () => {
    const result = recommendPoolSize(
      resolveSizeInputs(withMeasured(measured, { peakRatePerSec: 20_000, instances: 3 })),
    );
    expect(result.peak).toMatchObject({ instances: 3, instancesFrom: 'flag', ratePerInstance: 20_000 / 3 });
    expect(result.peak!.shareOfKnee).toBeCloseTo(20_000 / 3 / 4000, 12);
    const warning = result.warnings.find((w) => w.code === 'peak-above-knee');
    expect(warning?.message).toBe(
      'at the peak of 20,000 req/s, each of the 3 instances would take 6,667 req/s, above the 4,000 req/s ' +
        'one instance served within p99<5ms (pooled(max=50) in curve.json)',
    );
    // ceil(20,000 ÷ 4,000)
    expect(warning?.remedy).toMatch(/^run at least 5 instances/);
  });

  it('with --instances at or under the knee: no warning', () => {
    const result = recommendPoolSize(
      resolveSizeInputs(withMeasured(measured, { peakRatePerSec: 20_000, instances: 8 })),
    );
    expect(result.peak).toMatchObject({ instances: 8, instancesFrom: 'flag', shareOfKnee: 20_000 / 8 / 4000 });
    expect(result.warnings.map((w) => w.code)).not.toContain('peak-above-knee');
  });

  it('without a knee: --instances and --hold-ms give the share and the hold', () => {
    const result = recommendPoolSize(resolveSizeInputs({ peakRatePerSec: 20_000, instances: 4, holdMs: 1 }));
    expect(result.peak).toEqual({
      peakRatePerSec: 20_000,
      instances: 4,
      instancesFrom: 'flag',
      ratePerInstance: 5000,
      kneeRatePerSec: null,
      shareOfKnee: null,
    });
    expect(result.formula.busySource).toBe('rate×hold');
    expect(result.queueing.model).toBe('erlang-c');
  });

  it('takes the hold measured at the knee of a real curve, and the rate from the peak', () => {
    const curve = readBenchFixture('bench-curve-result.json');
    const pooled = curve.capacity!.find((c) => c.strategy === 'pooled')!;
    const step = curve.results.find((r) => r.label === `${pooled.label}@${pooled.kneeRatePerSec}`)!;
    const inputs = resolveSizeInputs(withMeasured(sizeFlagsFromBench(curve, 'curve.json'), { peakRatePerSec: 20_000 }));
    const instances = Math.ceil(20_000 / pooled.kneeRatePerSec!);
    expect(inputs).toMatchObject({ ratePerSec: 20_000 / instances, holdMs: step.load.holdMeanMs });
    expect(inputs.fleet.instances).toBe(instances);
  });

  it('replaces the threads and utilization a closed-loop bench measured: the peak is a rate', () => {
    const closedLoop: SizeFlags = { threads: 100, utilization: 0.3, holdMs: 2 };
    const inputs = resolveSizeInputs(withMeasured(closedLoop, { peakRatePerSec: 1000, instances: 2 }));
    expect(inputs).toMatchObject({ threads: null, utilization: null, ratePerSec: 500, holdMs: 2 });
    // Without a peak, the measured figures stay and the flags given override them one by one.
    expect(withMeasured(closedLoop, { threads: 50 })).toEqual({ threads: 50, utilization: 0.3, holdMs: 2 });
  });

  it('with --threads, derives the utilization from each instance’s share', () => {
    const inputs = resolveSizeInputs({ peakRatePerSec: 10_000, instances: 5, holdMs: 10, threads: 40 });
    // 2,000/s × 10 ms = 20 busy of 40 threads.
    expect(inputs.utilization).toBeCloseTo(0.5, 12);
  });

  it.each<[SizeFlags, RegExp]>([
    [
      { peakRatePerSec: 100, ratePerSec: 10, holdMs: 1, instances: 2 },
      /^give --rate \(one instance's load\) or --peak-rate \(the fleet's\), not both$/,
    ],
    [
      { peakRatePerSec: 100, utilization: 0.1, threads: 4, holdMs: 1, instances: 2 },
      /^give either --utilization or --peak-rate, not both/,
    ],
    [
      { peakRatePerSec: 100, holdMs: 1 },
      /^--peak-rate needs how much one instance serves: --from a bench result with a capacity curve \(bench --rate 1000,4000,16000 --slo …\), or --instances$/,
    ],
    [{ peakRatePerSec: 100, instances: 2 }, /^--peak-rate needs --hold-ms/],
    [
      { peakRatePerSec: 100_000, instances: 1, holdMs: 1, threads: 10 },
      /^--peak-rate 100000 ÷ 1 instance × --hold-ms 1 keeps 100 connections busy, more than --threads 10/,
    ],
  ])('refuses %j in one line', (flags, message) => {
    expect(() => resolveSizeInputs(flags)).toThrow(UsageError);
    expect(() => resolveSizeInputs(flags)).toThrow(message);
  });

  it('leaves a size without a peak as it was: no peak, the knee kept when there is one', () => {
    const result = recommendPoolSize(resolveSizeInputs(measured));
    expect(result.peak).toBeNull();
    expect(result.inputs).toMatchObject({ peak: null, knee, ratePerSec: knee.ratePerSec });
    expect(result.fleet.instances).toBe(1);
  });
});
