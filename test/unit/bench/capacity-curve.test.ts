import { describe, expect, it } from 'vitest';
import { kneeOf, stepMisses, type CapacityStep } from '../../../src/bench/findings/capacity-curve.js';
import { parseSlo } from '../../../src/bench/gates/slo.js';

const p99Under2ms = [parseSlo('p99<2ms')];

/** A step that kept its rate, with no error, on a generator that kept up, at p99 `p99Ms`. */
const step = (offered: number, p99Ms: number, changes: Partial<CapacityStep> = {}): CapacityStep => ({
  offeredRatePerSec: offered,
  achievedRatePerSec: offered,
  latencyMs: { 50: p99Ms / 4, 99: p99Ms },
  errors: 0,
  generatorSaturated: false,
  ...changes,
});

describe('--slo', () => {
  it('reads a percentile under a time with its unit', () => {
    expect(parseSlo('p99<2ms')).toEqual({ text: 'p99<2ms', percentile: 99, limitMs: 2 });
    expect(parseSlo(' p99.9 < 500us ')).toEqual({ text: 'p99.9<500us', percentile: 99.9, limitMs: 0.5 });
    expect(parseSlo('p50<1s')).toMatchObject({ percentile: 50, limitMs: 1000 });
  });

  it.each([
    ['p99<2', /not an objective/],
    ['p99>2ms', /not an objective/],
    ['latency<2ms', /not an objective/],
    ['p98<2ms', /p98 is not offered/],
    ['p95<2ms', /p95 is not offered/],
    ['p99<0ms', /more than 0/],
  ])('refuses %j in one line naming the flag and what it takes', (raw, why) => {
    expect(() => parseSlo(raw)).toThrow(why);
    expect(() => parseSlo(raw)).toThrow(/^--slo ".*": .*; expected a percentile \(p50, p90, p99, p99\.9\)/);
  });

  it('names the file field it came from', () => {
    expect(() => parseSlo('p99<fast', 'slo[1]')).toThrow(/^slo\[1\] "p99<fast"/);
  });
});

describe('the knee of a capacity curve', () => {
  it('is the highest step that met the objective with every step below it', () => {
    const steps = [step(500, 0.4), step(4000, 0.9), step(16000, 6)];
    expect(kneeOf(steps, p99Under2ms)).toBe(4000);
    expect(stepMisses(steps[2]!, p99Under2ms)).toEqual(['p99<2ms']);
  });

  it('takes the steps by offered rate, whatever order they ran in', () => {
    expect(kneeOf([step(16000, 6), step(500, 0.4), step(4000, 0.9)], p99Under2ms)).toBe(4000);
  });

  it('stops at the first miss of a curve that is not monotone: a lucky step above a missed one is no knee', () => {
    const steps = [step(1000, 0.5), step(2000, 3), step(3000, 1.5), step(4000, 1.8)];
    expect(kneeOf(steps, p99Under2ms)).toBe(1000);
  });

  it('is null where even the lowest step missed', () => {
    expect(kneeOf([step(500, 2.5), step(1000, 1)], p99Under2ms)).toBeNull();
    expect(kneeOf([], p99Under2ms)).toBeNull();
  });

  it('never takes a step whose generator saturated as the knee, but goes past one that met everything', () => {
    const saturated = (offered: number, p99Ms: number): CapacityStep =>
      step(offered, p99Ms, { generatorSaturated: true });
    expect(kneeOf([step(1000, 0.5), saturated(2000, 0.6)], p99Under2ms)).toBe(1000);
    expect(kneeOf([saturated(1000, 0.5), step(2000, 0.6), step(3000, 0.7)], p99Under2ms)).toBe(3000);
    expect(kneeOf([saturated(1000, 0.5)], p99Under2ms)).toBeNull();
    // A saturated step that missed ends the curve like any other miss.
    expect(kneeOf([step(1000, 0.5), saturated(2000, 3), step(3000, 0.7)], p99Under2ms)).toBe(1000);
    expect(stepMisses(saturated(2000, 0.6), p99Under2ms)).toEqual([]);
  });

  it('needs 95 % of the offered rate completed, no error, and every objective', () => {
    expect(stepMisses(step(1000, 0.5, { achievedRatePerSec: 949 }), p99Under2ms)).toEqual(['rate not kept']);
    expect(stepMisses(step(1000, 0.5, { achievedRatePerSec: 950 }), p99Under2ms)).toEqual([]);
    expect(stepMisses(step(1000, 0.5, { errors: 1 }), p99Under2ms)).toEqual(['errors']);
    const both = [parseSlo('p50<0.1ms'), parseSlo('p99<2ms')];
    expect(stepMisses(step(1000, 0.5), both)).toEqual(['p50<0.1ms']);
    expect(kneeOf([step(1000, 0.5)], both)).toBeNull();
  });
});
