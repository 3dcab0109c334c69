import { describe, expect, it } from 'vitest';
import { sizeFlagsFromBench } from '../../../src/sizing/from-bench.js';
import { readBenchFixture, twoMachineCurve } from '../../helpers/fixtures.js';

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
    const merged = twoMachineCurve();
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
