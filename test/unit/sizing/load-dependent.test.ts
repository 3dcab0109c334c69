import { describe, expect, it } from 'vitest';
import { finiteSourceWait } from '../../../src/sizing/finite-source.js';
import { loadDependentWait } from '../../../src/sizing/load-dependent.js';

describe('finite-source with load-dependent holds', () => {
  it('is the finite-source model when the hold does not depend on the load', () => {
    for (const [threads, u, pool] of [
      [20, 0.1, 2],
      [20, 0.1, 4],
      [50, 0.3, 12],
      [8, 0.4, 3],
    ] as const) {
      const holdMs = 0.5;
      const thinkMs = (holdMs * (1 - u)) / u;
      expect(loadDependentWait(threads, thinkMs, () => holdMs, pool)).toBeCloseTo(
        finiteSourceWait(threads, u, pool).waitProbability,
        12,
      );
    }
  });

  it('waits more when holds grow with the number of busy connections, less when they shrink', () => {
    const flat = loadDependentWait(20, 4.5, () => 0.5, 4);
    expect(loadDependentWait(20, 4.5, (busy) => 0.5 * (1 + 0.15 * (busy - 1)), 4)).toBeGreaterThan(flat + 0.01);
    expect(loadDependentWait(20, 4.5, (busy) => 0.5 / (1 + 0.15 * (busy - 1)), 4)).toBeLessThan(flat - 0.01);
  });

  it('a pool larger than the other threads never waits', () => {
    expect(loadDependentWait(5, 1, () => 1, 5)).toBe(0);
  });
});
