/**
 * The finite-source chain of finite-source.ts with a hold time that depends on how many connections are busy:
 * with k connections held, each hold lasts holdMs(k) on average, so the chain's death rate is k / holdMs(k)
 * instead of k / hold. Such a load-dependent server keeps the product form, and with it the arrival theorem: a
 * request sees the chain of the other N − 1 threads. For a sweep on a machine where Redis and the load
 * generator share the CPU, it is the model fed with the holds as they were measured at each load.
 *
 * Direct O(N) sum in log space: sweeps run at most 10,000 workers.
 */
export function loadDependentWait(
  threads: number,
  thinkMs: number,
  holdMsAt: (busy: number) => number,
  poolSize: number,
): number {
  const others = threads - 1;
  if (poolSize > others) return 0;
  if (!(thinkMs > 0)) return 1;
  // log w_n, n = number of the other threads holding or waiting: w_n / w_{n−1} = (others − n + 1) λ / death(n).
  let logWeight = 0;
  const logWeights: number[] = [0];
  for (let n = 1; n <= others; n++) {
    const busy = Math.min(n, poolSize);
    const deathRate = busy / holdMsAt(busy);
    logWeight += Math.log((others - n + 1) / thinkMs) - Math.log(deathRate);
    logWeights.push(logWeight);
  }
  const top = Math.max(...logWeights);
  let total = 0;
  let waiting = 0;
  logWeights.forEach((lw, n) => {
    const weight = Math.exp(lw - top);
    total += weight;
    if (n >= poolSize) waiting += weight;
  });
  return waiting / total;
}
