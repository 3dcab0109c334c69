import { describe, expect, it } from 'vitest';
import { busyFromRate, busyFromThreads, formulaPoolSize } from '../../../src/sizing/formula.js';
import { SIZE_PRESETS } from '../../../src/sizing/presets.js';

describe('the rule of thumb', () => {
  it.each([
    ['api', 12],
    ['worker', 70],
    ['batch', 3],
  ] as const)('reproduces the tutorial for the %s preset', (name, expected) => {
    const preset = SIZE_PRESETS[name];
    expect(formulaPoolSize(busyFromThreads(preset.threads, preset.utilization), preset.buffer)).toBe(expected);
  });

  it('does not round 100 × 7 % (7.000000000000001 in floating point) up to 8', () => {
    expect(100 * 0.07).toBeGreaterThan(7);
    expect(formulaPoolSize(busyFromThreads(100, 0.07), 0)).toBe(7);
  });

  it('rounds a fractional busy count up', () => {
    expect(formulaPoolSize(busyFromThreads(7, 0.3), 1)).toBe(4);
    expect(formulaPoolSize(0.01, 0)).toBe(1);
  });

  it('gives a load too small to round (or one that underflows) one connection, never 0', () => {
    expect(formulaPoolSize(busyFromThreads(10_000_000, 1e-300), 0)).toBe(1);
    expect(formulaPoolSize(busyFromRate(1e-300, 1e-300), 2)).toBe(3);
  });

  it("applies Little's law to a rate and a hold time", () => {
    expect(busyFromRate(5000, 2)).toBe(10);
    expect(formulaPoolSize(busyFromRate(1000, 1.5), 2)).toBe(4);
  });
});
