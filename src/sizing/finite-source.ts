/**
 * Finite-source queue (the "machine repair" model): N threads, each alternating between working without Redis
 * (exponential, mean 1/λ) and holding a connection (exponential, mean 1/μ), served by a pool of c connections.
 * A thread that never waits holds a connection a fraction u = λ/(λ+μ) of its time, so ρ = λ/μ = u/(1−u).
 *
 * The number of threads holding or waiting for a connection is a birth–death chain:
 * birth rate (N−k)λ, death rate min(k, c)μ. By the arrival theorem, a thread that asks for a connection sees
 * the stationary distribution of the same system with N−1 threads, so
 * P(wait) = P(at least c of the other N−1 threads hold or wait).
 *
 * Computing it: the stationary weights w_k (k = 0..N−1) have the ratios w_k/w_{k−1} = (N−k)ρ / min(k, c), which
 * fall as k grows, so the weights are log-concave: they rise to one mode and then fall at least as fast as a
 * Gaussian of variance ~N. Summing outwards from the mode until what is left is provably below 1e-18 of the sum
 * gives the exact result (to double precision) in O(√N) steps instead of O(N), so that a search over c answers
 * ten million threads at once.
 */

export interface FiniteSourceWait {
  /** Probability that a request finds every connection taken and has to wait. */
  waitProbability: number;
  /** Mean wait over all requests, in units of the mean hold time. */
  meanWaitInHoldTimes: number;
}

/** What is left of a sum when a walk stops must be below this share of it. */
const NEGLIGIBLE = 1e-18;
/** Below e^-1000 relative to the mode, a weight cannot change a double-precision result. */
const LOG_NEGLIGIBLE = -1000;
/** Keep running products away from underflow: fold them into a logarithm below this. */
const RESCALE_BELOW = 1e-250;

export function finiteSourceWait(threads: number, utilization: number, poolSize: number): FiniteSourceWait {
  assertModelInputs(threads, utilization, poolSize);
  const others = threads - 1;
  if (poolSize > others) return { waitProbability: 0, meanWaitInHoldTimes: 0 };
  if (utilization >= 1) {
    // Every thread always holds a connection: with fewer connections than threads, a request always waits
    // and the queue never drains.
    return { waitProbability: 1, meanWaitInHoldTimes: Infinity };
  }
  const chain = new OthersChain(others, utilization / (1 - utilization), poolSize);
  return chain.mode < poolSize ? chain.waitAboveMode() : chain.waitAtOrBelowMode();
}

/**
 * The smallest pool whose waiting probability is at most `targetWait`. P(wait) falls as the pool grows and is 0
 * once the pool reaches the number of threads, so a binary search over 1..threads finds it (each step O(√N)).
 */
export function finiteSourcePoolSize(threads: number, utilization: number, targetWait: number): number {
  let low = 1;
  let high = threads;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (finiteSourceWait(threads, utilization, mid).waitProbability <= targetWait) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** The chain of the N−1 other threads with a pool of c: its weight ratios and its mode. */
class OthersChain {
  readonly mode: number;

  constructor(
    private readonly sources: number,
    private readonly rho: number,
    private readonly poolSize: number,
  ) {
    this.mode = this.findMode();
  }

  /** w_k / w_{k−1}, for 1 ≤ k ≤ sources; it falls as k grows. */
  ratio(k: number): number {
    return ((this.sources - k + 1) * this.rho) / Math.min(k, this.poolSize);
  }

  /** Threads seeing k others ahead wait for k − c + 1 releases, which come at rate cμ (in hold times). */
  private waitInHolds(k: number): number {
    return k >= this.poolSize ? (k - this.poolSize + 1) / this.poolSize : 0;
  }

  /** The mode lies where the ratio crosses 1: (N−k)ρ = k below the pool size, (N−k)ρ = c above it. */
  private findMode(): number {
    const { sources, rho, poolSize } = this;
    const binomialMode = Math.floor(((sources + 1) * rho) / (1 + rho));
    let mode = binomialMode < poolSize ? binomialMode : Math.floor(sources + 1 - poolSize / rho);
    mode = Math.min(sources, Math.max(0, binomialMode < poolSize ? mode : Math.max(poolSize, mode)));
    // The closed forms are exact up to rounding: settle the last step on the ratios themselves.
    while (mode < sources && this.ratio(mode + 1) >= 1) mode++;
    while (mode > 0 && this.ratio(mode) < 1) mode--;
    return mode;
  }

  /** The pool is at or below the mode: the bulk of the weight waits. Every weight relative to w_mode. */
  waitAtOrBelowMode(): FiniteSourceWait {
    const c = this.poolSize;
    const up = this.walk(this.mode, this.sources, 1, (k) => this.waitInHolds(k));
    const downWaiting = this.walk(this.mode, c, -1, (k) => this.waitInHolds(k));
    let notWaiting = 0;
    if (!downWaiting.converged && c > 0) {
      const first = downWaiting.last / this.ratio(c);
      if (first > 0) notWaiting = first * this.walk(c - 1, 0, -1, () => 0).sum;
    }
    const waiting = up.sum + downWaiting.sum - 1; // the mode is in both walks
    const total = waiting + notWaiting;
    return {
      waitProbability: waiting / total,
      meanWaitInHoldTimes: (up.weighted + downWaiting.weighted - this.waitInHolds(this.mode)) / total,
    };
  }

  /** The pool is above the mode: the waiting weights are a tail, possibly far out. */
  waitAboveMode(): FiniteSourceWait {
    const c = this.poolSize;
    const below = this.walk(this.mode, 0, -1, () => 0).sum;
    // Up from the mode to c − 1 (not waiting), keeping log(w_c / w_mode) exact however small it gets.
    let term = 1;
    let logScale = 0;
    let above = 0;
    for (let k = this.mode + 1; k <= c; k++) {
      term *= this.ratio(k);
      if (term < RESCALE_BELOW) {
        logScale += Math.log(term);
        term = 1;
        if (logScale < LOG_NEGLIGIBLE) return { waitProbability: 0, meanWaitInHoldTimes: 0 };
      }
      if (k < c && logScale === 0) above += term;
    }
    const logPoolWeight = logScale + Math.log(term);
    if (logPoolWeight < LOG_NEGLIGIBLE) return { waitProbability: 0, meanWaitInHoldTimes: 0 };
    const tail = this.walk(c, this.sources, 1, (k) => this.waitInHolds(k));
    const scale = Math.exp(logPoolWeight);
    const total = below + above + scale * tail.sum;
    return { waitProbability: (scale * tail.sum) / total, meanWaitInHoldTimes: (scale * tail.weighted) / total };
  }

  /**
   * Σ t_k and Σ t_k·weight(k) for k = from, from ± 1, …, to, with t_from = 1 and each next term t_k = t_{k∓1}·q.
   * The walk must start at or past the mode, so the terms only fall and the factor q falls too: what is left
   * after a term t is then at most t·q/(1−q) (and t·q/(1−q)·(weight + 1/(1−q)) for a weight that grows by at
   * most 1 a step), which is when the walk stops.
   */
  private walk(from: number, to: number, direction: 1 | -1, weight: (k: number) => number): Walk {
    let term = 1;
    let sum = 1;
    let weighted = weight(from);
    for (let k = from + direction; direction > 0 ? k <= to : k >= to; k += direction) {
      const factor = direction > 0 ? this.ratio(k) : 1 / this.ratio(k + 1);
      term *= factor;
      if (term === 0) return { sum, weighted, last: term, converged: true };
      const w = weight(k);
      sum += term;
      weighted += term * w;
      if (factor < 1) {
        const rest = (term * factor) / (1 - factor);
        const restWeighted = rest * (w + (direction > 0 ? 1 / (1 - factor) : 0));
        if (rest <= NEGLIGIBLE * sum && restWeighted <= NEGLIGIBLE * weighted)
          return { sum, weighted, last: term, converged: true };
      }
    }
    return { sum, weighted, last: term, converged: false };
  }
}

interface Walk {
  sum: number;
  weighted: number;
  /** The last term added (relative to the first). */
  last: number;
  /** True when the walk stopped because the rest was negligible, false when it reached its end. */
  converged: boolean;
}

function assertModelInputs(threads: number, utilization: number, poolSize: number): void {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be an integer ≥ 1, got ${threads}`);
  if (!(utilization > 0 && utilization <= 1)) throw new RangeError(`utilization must be in (0, 1], got ${utilization}`);
  if (!Number.isInteger(poolSize) || poolSize < 1)
    throw new RangeError(`poolSize must be an integer ≥ 1, got ${poolSize}`);
}
