/**
 * Erlang C (M/M/c): requests arrive at rate λ and hold a connection for an exponential time of mean W;
 * the offered load is a = λW connections. Erlang C is computed from the Erlang B recursion
 * B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)), which never forms a^c or c! and so stays finite for large loads.
 */

export interface ErlangCWait {
  /** Probability that a request has to wait (Erlang C). */
  waitProbability: number;
  /** Mean wait over all requests, ms. */
  meanWaitMs: number;
  /** 99th percentile of the wait over all requests, ms (0 when fewer than 1 % of requests wait). */
  p99WaitMs: number;
}

export function erlangB(servers: number, offeredLoad: number): number {
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offeredLoad * b) / (k + offeredLoad * b);
  return b;
}

/** Probability of waiting; 1 when the pool cannot keep up (c ≤ a) and the queue grows without bound. */
export function erlangC(servers: number, offeredLoad: number): number {
  if (servers <= offeredLoad) return 1;
  const b = erlangB(servers, offeredLoad);
  return (servers * b) / (servers - offeredLoad * (1 - b));
}

/**
 * The q-quantile of the wait: P(W > t) = C·e^{−(cμ−λ)t}, with cμ − λ = (c − a)/W.
 */
export function erlangCWaitQuantileMs(servers: number, offeredLoad: number, holdMs: number, quantile: number): number {
  if (servers <= offeredLoad) return Infinity;
  const c = erlangC(servers, offeredLoad);
  const tail = 1 - quantile;
  if (c <= tail) return 0;
  return (holdMs * Math.log(c / tail)) / (servers - offeredLoad);
}

export function erlangCWait(servers: number, offeredLoad: number, holdMs: number): ErlangCWait {
  if (servers <= offeredLoad) return { waitProbability: 1, meanWaitMs: Infinity, p99WaitMs: Infinity };
  const waitProbability = erlangC(servers, offeredLoad);
  return {
    waitProbability,
    meanWaitMs: (waitProbability * holdMs) / (servers - offeredLoad),
    p99WaitMs: erlangCWaitQuantileMs(servers, offeredLoad, holdMs, 0.99),
  };
}

/** The smallest pool with P(wait) ≤ targetWait; the pool must exceed the offered load to be stable. */
export function erlangCPoolSize(offeredLoad: number, targetWait: number): number {
  if (!(offeredLoad > 0) || !Number.isFinite(offeredLoad)) throw new RangeError(`offered load must be > 0, got ${offeredLoad}`);
  // Walk the Erlang B recursion upwards once instead of restarting it for every candidate size.
  let b = 1;
  for (let servers = 1; ; servers++) {
    b = (offeredLoad * b) / (servers + offeredLoad * b);
    if (servers <= offeredLoad) continue;
    const c = (servers * b) / (servers - offeredLoad * (1 - b));
    if (c <= targetWait) return servers;
  }
}
