/**
 * Finite-source queue (the "machine repair" model): N threads, each alternating between working without Redis
 * (exponential, mean 1/λ) and holding a connection (exponential, mean 1/μ), served by a pool of c connections.
 * A thread that never waits holds a connection a fraction u = λ/(λ+μ) of its time, so ρ = λ/μ = u/(1−u).
 *
 * The number of threads holding or waiting for a connection is a birth–death chain:
 * birth rate (N−k)λ, death rate min(k, c)μ. By the arrival theorem, a thread that asks for a connection sees
 * the stationary distribution of the same system with N−1 threads, so
 * P(wait) = P(at least c of the other N−1 threads hold or wait).
 */

export interface FiniteSourceWait {
  /** Probability that a request finds every connection taken and has to wait. */
  waitProbability: number;
  /** Mean wait over all requests, in units of the mean hold time. */
  meanWaitInHoldTimes: number;
}

/** log of the unnormalised stationary weights p_k/p_0 for k = 0..sources, for `sources` threads and c connections. */
function logWeights(sources: number, rho: number, c: number): number[] {
  const logs = new Array<number>(sources + 1);
  logs[0] = 0;
  const logRho = Math.log(rho);
  for (let k = 1; k <= sources; k++) {
    // p_k / p_{k-1} = (sources − k + 1) ρ / min(k, c)
    logs[k] = logs[k - 1]! + Math.log(sources - k + 1) + logRho - Math.log(Math.min(k, c));
  }
  return logs;
}

export function finiteSourceWait(threads: number, utilization: number, poolSize: number): FiniteSourceWait {
  assertModelInputs(threads, utilization, poolSize);
  const others = threads - 1;
  if (poolSize > others) return { waitProbability: 0, meanWaitInHoldTimes: 0 };
  if (utilization >= 1) {
    // Every thread always holds a connection: with fewer connections than threads, a request always waits
    // and the queue never drains.
    return { waitProbability: 1, meanWaitInHoldTimes: Infinity };
  }
  const rho = utilization / (1 - utilization);
  const logs = logWeights(others, rho, poolSize);
  const maxLog = logs.reduce((max, value) => Math.max(max, value), -Infinity);
  let total = 0;
  let waiting = 0;
  let waitInHolds = 0;
  for (let k = 0; k <= others; k++) {
    const weight = Math.exp(logs[k]! - maxLog);
    total += weight;
    if (k >= poolSize) {
      waiting += weight;
      // Seeing k ≥ c others, the request waits for k − c + 1 releases, which come at rate cμ.
      waitInHolds += (weight * (k - poolSize + 1)) / poolSize;
    }
  }
  return { waitProbability: waiting / total, meanWaitInHoldTimes: waitInHolds / total };
}

/**
 * The smallest pool whose waiting probability is at most `targetWait`. P(wait) falls as the pool grows and is 0
 * once the pool reaches the number of threads, so a binary search over 1..threads finds it.
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

function assertModelInputs(threads: number, utilization: number, poolSize: number): void {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be an integer ≥ 1, got ${threads}`);
  if (!(utilization > 0 && utilization <= 1)) throw new RangeError(`utilization must be in (0, 1], got ${utilization}`);
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new RangeError(`poolSize must be an integer ≥ 1, got ${poolSize}`);
}
