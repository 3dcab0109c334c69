import { describe, expect, it } from 'vitest';
import { erlangB, erlangC, erlangCPoolSize, erlangCWait, erlangCWaitQuantileMs } from '../../../src/sizing/erlang-c.js';

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
});
