import { describe, expect, it } from 'vitest';
import { erlangC } from '../../../src/sizing/erlang-c.js';
import { finiteSourcePoolSize, finiteSourceWait } from '../../../src/sizing/finite-source.js';

/** The same model written independently: the product-form distribution with factorials, for small N only. */
function bruteForceWait(threads: number, utilization: number, poolSize: number): number {
  return bruteForce(threads, utilization, poolSize).waitProbability;
}

function bruteForce(
  threads: number,
  utilization: number,
  poolSize: number,
): { waitProbability: number; meanWaitInHoldTimes: number } {
  const rho = utilization / (1 - utilization);
  const sources = threads - 1;
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const weight = (k: number): number =>
    k <= poolSize
      ? (factorial(sources) / (factorial(k) * factorial(sources - k))) * rho ** k
      : (factorial(sources) / (factorial(sources - k) * factorial(poolSize) * poolSize ** (k - poolSize))) * rho ** k;
  let total = 0;
  let waiting = 0;
  let waitInHolds = 0;
  for (let k = 0; k <= sources; k++) {
    total += weight(k);
    if (k >= poolSize) waiting += weight(k);
    if (k >= poolSize) waitInHolds += (weight(k) * (k - poolSize + 1)) / poolSize;
  }
  return { waitProbability: waiting / total, meanWaitInHoldTimes: waitInHolds / total };
}

/**
 * The whole chain summed term by term, k = 0..N−1, with no mode, no truncation and no early stop: O(N), for
 * checking the fast evaluation on large N. Products are rescaled instead of taking logarithms, so that it
 * stays exact for ten million threads.
 */
function fullSumWait(threads: number, utilization: number, poolSize: number): number {
  const rho = utilization / (1 - utilization);
  const sources = threads - 1;
  let term = 1;
  let total = 1;
  let waiting = poolSize <= 0 ? 1 : 0;
  for (let k = 1; k <= sources; k++) {
    term *= ((sources - k + 1) * rho) / Math.min(k, poolSize);
    total += term;
    if (k >= poolSize) waiting += term;
    if (term > 1e200) {
      term *= 1e-200;
      total *= 1e-200;
      waiting *= 1e-200;
    }
  }
  return waiting / total;
}

describe('finite-source model', () => {
  it('needs 6 connections for 20 threads at 10 % and a 1 % target', () => {
    expect(finiteSourcePoolSize(20, 0.1, 0.01)).toBe(6);
    expect(finiteSourceWait(20, 0.1, 5).waitProbability).toBeGreaterThan(0.01);
    expect(finiteSourceWait(20, 0.1, 6).waitProbability).toBeLessThanOrEqual(0.01);
  });

  it.each([
    [20, 0.1, 3],
    [12, 0.4, 5],
    [30, 0.25, 7],
    [8, 0.9, 6],
  ])('matches the product-form distribution for N=%i, u=%f, c=%i', (threads, utilization, poolSize) => {
    expect(finiteSourceWait(threads, utilization, poolSize).waitProbability).toBeCloseTo(
      bruteForceWait(threads, utilization, poolSize),
      12,
    );
  });

  it.each([
    [20, 0.1, 1],
    [20, 0.1, 2],
    [20, 0.1, 12],
    [12, 0.4, 11],
    [30, 0.25, 4],
    [30, 0.25, 15],
    [8, 0.9, 1],
    [8, 0.9, 7],
    [25, 0.001, 1],
    [25, 0.999, 20],
  ])(
    "has the product form's P(wait) and mean wait on both sides of the mode: N=%i, u=%f, c=%i",
    (threads, utilization, poolSize) => {
      const fast = finiteSourceWait(threads, utilization, poolSize);
      const exact = bruteForce(threads, utilization, poolSize);
      expect(fast.waitProbability / exact.waitProbability).toBeCloseTo(1, 12);
      expect(fast.meanWaitInHoldTimes / exact.meanWaitInHoldTimes).toBeCloseTo(1, 12);
    },
  );

  it('answers ten million threads at 50 % exactly: the pool and its neighbour checked against the whole chain summed term by term', () => {
    const threads = 10_000_000;
    const size = finiteSourcePoolSize(threads, 0.5, 0.01);
    const atSize = fullSumWait(threads, 0.5, size);
    const belowSize = fullSumWait(threads, 0.5, size - 1);
    expect(atSize).toBeLessThanOrEqual(0.01);
    expect(belowSize).toBeGreaterThan(0.01);
    expect(finiteSourceWait(threads, 0.5, size).waitProbability / atSize).toBeCloseTo(1, 9);
  });

  it.each([
    // Reference values summed term by term in 40-digit decimal arithmetic (Python's decimal module), written with
    // every digit it gave: more than a double holds, hence text.
    [40_000, 0.7, 28_228, '0.00651282635744398479594146470966'],
    [40_000, 0.1, 4484, '1.15587829191179196083458461268e-15'],
    [5000, 0.99, 4999, '1.51473895050298388651673635898e-22'],
  ])('is exact to 12 digits far from the mode: N=%i, u=%f, c=%i', (threads, utilization, poolSize, exact) => {
    expect(finiteSourceWait(threads, utilization, poolSize).waitProbability / Number(exact)).toBeCloseTo(1, 12);
  });

  it('never waits once the pool has a connection for every thread', () => {
    expect(finiteSourceWait(10, 0.5, 9).waitProbability).toBeGreaterThan(0);
    expect(finiteSourceWait(10, 0.5, 10).waitProbability).toBe(0);
    expect(finiteSourceWait(10, 0.5, 50).waitProbability).toBe(0);
    expect(finiteSourcePoolSize(10, 0.99, 1e-9)).toBeLessThanOrEqual(10);
  });

  it('waits less as the pool grows', () => {
    let previous = 1;
    for (let c = 1; c < 40; c++) {
      const { waitProbability } = finiteSourceWait(40, 0.3, c);
      expect(waitProbability).toBeLessThanOrEqual(previous);
      previous = waitProbability;
    }
  });

  it('always waits at 100 % utilization with fewer connections than threads', () => {
    expect(finiteSourceWait(4, 1, 2)).toEqual({ waitProbability: 1, meanWaitInHoldTimes: Infinity });
    expect(finiteSourcePoolSize(4, 1, 0.01)).toBe(4);
    expect(finiteSourcePoolSize(1, 1, 0.01)).toBe(1);
  });

  it('tends to Erlang C when many threads each use Redis rarely', () => {
    // 200 000 threads offering 10 connections of load behave like Poisson arrivals.
    const threads = 200_000;
    const rho = 10 / threads;
    const utilization = rho / (1 + rho);
    expect(finiteSourceWait(threads, utilization, 14).waitProbability).toBeCloseTo(erlangC(14, 10), 3);
  });

  it('stays finite for large thread counts', () => {
    const size = finiteSourcePoolSize(20_000, 0.3, 0.01);
    expect(size).toBeGreaterThan(6000);
    expect(size).toBeLessThan(6300);
  });

  it('rejects impossible inputs', () => {
    expect(() => finiteSourceWait(0, 0.1, 1)).toThrow(RangeError);
    expect(() => finiteSourceWait(5, 0, 1)).toThrow(RangeError);
    expect(() => finiteSourceWait(5, 0.1, 0)).toThrow(RangeError);
  });
});
