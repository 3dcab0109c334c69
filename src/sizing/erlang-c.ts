/**
 * Erlang C (M/M/c): requests arrive at rate λ and hold a connection for an exponential time of mean W;
 * the offered load is a = λW connections. Erlang C is computed from the Erlang B recursion
 * B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)), which never forms a^c or c! and so stays finite for large loads.
 *
 * The recursion forgets where it started. Written as 1/B(k) = 1 + (k/a)·(1/B(k−1)), a relative error in 1/B
 * shrinks by the factor 1 − B(k) ≤ k/a at every step below the load: by e^−50 over the 10√a steps below
 * min(c, a). The walk starts there from 1/B(k) = a/(a − k), an upper bound of 1/B within 1 % of it at
 * k = a − 10√a, so the starting error ends below 10^−23, far below double precision. B(c, a) therefore costs
 * O(√a + |c − a|) steps instead of O(c), and a load of 3.6·10^12 connections (10^9 requests/s held for an hour)
 * is answered in a fraction of a second, to the same digits as the full recursion from B(0) = 1.
 */

export interface ErlangCWait {
  /** Probability that a request has to wait (Erlang C). */
  waitProbability: number;
  /** Mean wait over all requests, ms. */
  meanWaitMs: number;
  /** 99th percentile of the wait over all requests, ms (0 when fewer than 1 % of requests wait). */
  p99WaitMs: number;
}

/** Steps of the recursion, in units of √a, after which its starting value no longer shows (see above). */
const FORGETTING_STEPS_PER_SQRT_LOAD = 10;

/** A point of the recursion: 1/B(servers, a), the form whose only division is off the dependency chain. */
interface Step {
  servers: number;
  inverse: number;
}

/** Where a walk up to `upTo` can begin without its starting value showing in the result. */
function walkStart(offeredLoad: number, upTo: number): Step {
  const servers = Math.floor(Math.min(upTo, offeredLoad) - FORGETTING_STEPS_PER_SQRT_LOAD * Math.sqrt(offeredLoad)) - 1;
  return servers > 0 ? { servers, inverse: offeredLoad / (offeredLoad - servers) } : { servers: 0, inverse: 1 };
}

/** The walk from `from` up to `servers` (kept in locals: this loop runs millions of times for large loads). */
function walkTo(from: Step, servers: number, offeredLoad: number): Step {
  let k = from.servers;
  let inverse = from.inverse;
  while (k < servers) {
    k++;
    inverse = 1 + (k / offeredLoad) * inverse;
  }
  return { servers: k, inverse };
}

/** Erlang C from Erlang B, for a pool larger than the load. */
function erlangCFromB(servers: number, offeredLoad: number, b: number): number {
  return (servers * b) / (servers - offeredLoad * (1 - b));
}

export function erlangB(servers: number, offeredLoad: number): number {
  return 1 / walkTo(walkStart(offeredLoad, servers), servers, offeredLoad).inverse;
}

/** Probability of waiting; 1 when the pool cannot keep up (c ≤ a) and the queue grows without bound. */
export function erlangC(servers: number, offeredLoad: number): number {
  if (servers <= offeredLoad) return 1;
  return erlangCFromB(servers, offeredLoad, erlangB(servers, offeredLoad));
}

/**
 * The q-quantile of the wait: P(W > t) = C·e^{−(cμ−λ)t}, with cμ − λ = (c − a)/W.
 */
export function erlangCWaitQuantileMs(
  servers: number,
  offeredLoad: number,
  holdMs: number,
  quantile: number,
  waitProbability = erlangC(servers, offeredLoad),
): number {
  if (servers <= offeredLoad) return Infinity;
  const tail = 1 - quantile;
  if (waitProbability <= tail) return 0;
  return (holdMs * Math.log(waitProbability / tail)) / (servers - offeredLoad);
}

export function erlangCWait(servers: number, offeredLoad: number, holdMs: number): ErlangCWait {
  return waitFrom(servers, offeredLoad, holdMs, erlangC(servers, offeredLoad));
}

function waitFrom(servers: number, offeredLoad: number, holdMs: number, waitProbability: number): ErlangCWait {
  if (servers <= offeredLoad) return { waitProbability: 1, meanWaitMs: Infinity, p99WaitMs: Infinity };
  return {
    waitProbability,
    meanWaitMs: (waitProbability * holdMs) / (servers - offeredLoad),
    p99WaitMs: erlangCWaitQuantileMs(servers, offeredLoad, holdMs, 0.99, waitProbability),
  };
}

/** The smallest pool with P(wait) ≤ targetWait; the pool must exceed the offered load to be stable. */
export function erlangCPoolSize(offeredLoad: number, targetWait: number): number {
  return erlangCPlan(offeredLoad, 1, targetWait, []).poolSize;
}

export interface ErlangCPlan {
  poolSize: number;
  wait: ErlangCWait;
  /** The waits at the other sizes asked for, in their order. */
  alsoAt: ErlangCWait[];
}

/**
 * The smallest pool with P(wait) ≤ targetWait, its waits, and the waits at other pool sizes (such as the
 * formula's), all from one upward walk of the recursion.
 */
export function erlangCPlan(offeredLoad: number, holdMs: number, targetWait: number, alsoAt: number[]): ErlangCPlan {
  // A load that underflows to 0 (a tiny rate times a tiny hold) is no load: one connection never waits.
  if (!(offeredLoad >= 0) || !Number.isFinite(offeredLoad))
    throw new RangeError(`offered load must be ≥ 0, got ${offeredLoad}`);
  // Below the load every request waits: walk straight to the first stable size.
  let step = walkTo(walkStart(offeredLoad, Math.min(offeredLoad, ...alsoAt)), Math.floor(offeredLoad) + 1, offeredLoad);
  const stops = [...new Set(alsoAt.filter((size) => size > offeredLoad))].sort((x, y) => x - y);
  const probabilities = new Map<number, number>();
  let pool: Step | null = null;
  for (const stop of [...stops, Infinity]) {
    if (pool === null) {
      step = walkUntilWaitAtMost(step, offeredLoad, targetWait, stop);
      if (waitAtMost(step, offeredLoad, targetWait)) pool = step;
    }
    if (stop === Infinity) break;
    step = walkTo(step, stop, offeredLoad);
    probabilities.set(stop, erlangCFromB(stop, offeredLoad, 1 / step.inverse));
  }
  const poolSize = pool!.servers;
  return {
    poolSize,
    wait: waitFrom(poolSize, offeredLoad, holdMs, erlangCFromB(poolSize, offeredLoad, 1 / pool!.inverse)),
    alsoAt: alsoAt.map((size) => waitFrom(size, offeredLoad, holdMs, probabilities.get(size) ?? 1)),
  };
}

/** C(c) ≤ target, for a pool larger than the load. */
function waitAtMost({ servers, inverse }: Step, offeredLoad: number, targetWait: number): boolean {
  return erlangCFromB(servers, offeredLoad, 1 / inverse) <= targetWait;
}

/** Walks up from `from` (a stable size) to the first size whose C is at most the target, or to `last`. */
function walkUntilWaitAtMost(from: Step, offeredLoad: number, targetWait: number, last: number): Step {
  let k = from.servers;
  let inverse = from.inverse;
  while (k < last) {
    // The divisions are off the recursion's dependency chain, so they cost little. (Comparing C itself, not
    // c·B with t·(c − a(1 − B)), keeps a target as small as 5e-324 from making every step subnormal and slow.)
    const b = 1 / inverse;
    if ((k * b) / (k - offeredLoad * (1 - b)) <= targetWait) break;
    k++;
    inverse = 1 + (k / offeredLoad) * inverse;
  }
  return { servers: k, inverse };
}
