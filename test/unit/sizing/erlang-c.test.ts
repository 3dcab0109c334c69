import { describe, expect, it } from 'vitest';
import {
  erlangB,
  erlangC,
  erlangCPlan,
  erlangCPoolSize,
  erlangCWait,
  erlangCWaitQuantileMs,
} from '../../../src/sizing/erlang-c.js';

/** The textbook recursion from B(0) = 1, every step of it: O(c). */
function fullRecursionB(servers: number, load: number): number {
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (load * b) / (k + load * b);
  return b;
}

function fullRecursionPoolSize(load: number, targetWait: number): number {
  let b = 1;
  for (let servers = 1; ; servers++) {
    b = (load * b) / (servers + load * b);
    if (servers > load && (servers * b) / (servers - load * (1 - b)) <= targetWait) return servers;
  }
}

/** Halfin–Whitt: for a large load a and c = a + β√a, C ≈ 1 / (1 + β·Φ(β)/φ(β)); its error in c is O(1) servers. */
function halfinWhittPoolSize(load: number, targetWait: number): number {
  const density = (x: number): number => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
  const cumulative = (x: number): number => {
    // Simpson's rule from −12 (where the density is below 1e-31) to x.
    const steps = 20_000;
    const h = (x + 12) / steps;
    let sum = density(-12) + density(x);
    for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * density(-12 + i * h);
    return (sum * h) / 3;
  };
  const waitAt = (servers: number): number => {
    const beta = (servers - load) / Math.sqrt(load);
    return 1 / (1 + (beta * cumulative(beta)) / density(beta));
  };
  let low = Math.floor(load) + 1;
  let high = Math.ceil(load + 40 * Math.sqrt(load));
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (waitAt(mid) <= targetWait) high = mid;
    else low = mid + 1;
  }
  return low;
}

describe('Erlang B and C', () => {
  it('matches the Erlang B table: B(5, 3) = 0.1101', () => {
    expect(erlangB(5, 3)).toBeCloseTo(0.11005, 4);
  });

  it('matches the closed form for 3 servers and 2 erlangs: C = 4/9', () => {
    // C = (a^c/c! · c/(c−a)) / (Σ_{k<c} a^k/k! + a^c/c! · c/(c−a)) = 4 / (1 + 2 + 2 + 4)
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 12);
  });

  it('needs 19 connections for an offered load of 10 and a 1 % target', () => {
    expect(erlangCPoolSize(10, 0.01)).toBe(19);
    expect(erlangC(18, 10)).toBeGreaterThan(0.01);
    expect(erlangC(19, 10)).toBeLessThanOrEqual(0.01);
  });

  it('always waits when the pool cannot carry the load', () => {
    expect(erlangC(10, 10)).toBe(1);
    expect(erlangCWait(5, 10, 2)).toEqual({ waitProbability: 1, meanWaitMs: Infinity, p99WaitMs: Infinity });
  });

  it('stays stable for a load of 100 000 connections', () => {
    const size = erlangCPoolSize(100_000, 0.01);
    const probability = erlangC(size, 100_000);
    expect(Number.isFinite(probability)).toBe(true);
    expect(probability).toBeLessThanOrEqual(0.01);
    expect(size).toBeGreaterThan(100_000);
    expect(size).toBeLessThan(101_500);
  });

  it('puts exactly 1 % of the waits above the p99', () => {
    const servers = 12;
    const load = 10;
    const holdMs = 4;
    const p99 = erlangCWaitQuantileMs(servers, load, holdMs, 0.99);
    const tail = erlangC(servers, load) * Math.exp((-(servers - load) * p99) / holdMs);
    expect(tail).toBeCloseTo(0.01, 10);
  });

  it('reports a zero p99 when fewer than 1 % of requests wait', () => {
    expect(erlangCWaitQuantileMs(19, 10, 2, 0.99)).toBe(0);
  });

  it('gives the M/M/c mean wait C/(cμ − λ)', () => {
    const wait = erlangCWait(3, 2, 10);
    expect(wait.meanWaitMs).toBeCloseTo(((4 / 9) * 10) / (3 - 2), 10);
  });

  it.each([
    [200, 150],
    [200, 250],
    [12_345.6, 12_000],
    [12_345.6, 12_700],
    [200_000, 190_000],
    [200_000, 202_000],
    [30_000_000, 29_000_000],
    [30_000_000, 30_020_000],
  ])('starts the recursion far above 0 and still matches it from B(0) = 1: a=%f, c=%i', (load, servers) => {
    expect(erlangB(servers, load) / fullRecursionB(servers, load)).toBeCloseTo(1, 12);
  });

  it.each([
    [150, 0.01],
    [200_000, 0.01],
    [200_000, 1e-9],
    [30_000_000, 0.2],
    [30_000_000, 1e-300],
  ])('finds the same pool as the full recursion: a=%f, target %f', (load, targetWait) => {
    expect(erlangCPoolSize(load, targetWait)).toBe(fullRecursionPoolSize(load, targetWait));
  });

  it('sizes 10^9 requests/s held for an hour (3.6·10^12 connections of load): Halfin–Whitt lands the same few servers away as at a million', () => {
    // At a = 10^6 the exact answer is checked against the full recursion; Halfin–Whitt's O(1) offset from it
    // does not depend on the scale, so it must be the same at 3.6·10^12.
    const offsetAtMillion = fullRecursionPoolSize(1e6, 0.01) - halfinWhittPoolSize(1e6, 0.01);
    expect(offsetAtMillion).toBeGreaterThanOrEqual(0);
    expect(offsetAtMillion).toBeLessThanOrEqual(5);
    const load = 3.6e12;
    const size = erlangCPoolSize(load, 0.01);
    expect(Math.abs(size - halfinWhittPoolSize(load, 0.01) - offsetAtMillion)).toBeLessThanOrEqual(1);
    expect(erlangC(size, load)).toBeLessThanOrEqual(0.01);
    expect(erlangC(size - 1, load)).toBeGreaterThan(0.01);
  });

  it('finds the smallest pool for the smallest targets at the largest load (1/B near the top of the double range)', () => {
    const load = 3.6e12;
    const size = erlangCPoolSize(load, 1e-300);
    expect(erlangC(size, load)).toBeLessThanOrEqual(1e-300);
    expect(erlangC(size - 1, load)).toBeGreaterThan(1e-300);
  });

  it('plans the model pool and the formula pool in one walk, with the same waits as asked one by one', () => {
    const plan = erlangCPlan(10, 2, 0.01, [10, 12, 25]);
    expect(plan.poolSize).toBe(19);
    expect(plan.wait).toEqual(erlangCWait(19, 10, 2));
    expect(plan.alsoAt).toEqual([erlangCWait(10, 10, 2), erlangCWait(12, 10, 2), erlangCWait(25, 10, 2)]);
  });

  it('treats a load that underflows to 0 as no load: one connection, no wait', () => {
    expect(erlangCPlan(0, 1e-300, 0.01, [1]).poolSize).toBe(1);
    expect(erlangCPlan(0, 1e-300, 0.01, [1]).wait.waitProbability).toBe(0);
  });
});
