/**
 * The tutorial's rule of thumb: poolSize = ceil(threads × utilization) + buffer.
 * "busy" is the mean number of connections in use at once; it comes either from threads × utilization
 * or, by Little's law, from arrival rate × mean hold time.
 */

/** Mean busy connections of `threads` threads that each hold a connection a fraction `utilization` of the time. */
export function busyFromThreads(threads: number, utilization: number): number {
  return threads * utilization;
}

/** Little's law: mean busy connections = arrival rate (per second) × mean hold time (seconds). */
export function busyFromRate(ratePerSec: number, holdMs: number): number {
  return (ratePerSec * holdMs) / 1000;
}

/**
 * ceil(busy) + buffer. Products such as 100 × 0.07 come out as 7.000000000000001 in binary floating point;
 * rounding to 9 decimals first keeps them from being pushed up to the next integer. A load, however small,
 * needs one connection: a busy share that rounds to 0 (or underflows) still counts as one.
 */
export function formulaPoolSize(busy: number, buffer: number): number {
  return Math.max(1, Math.ceil(Number(busy.toFixed(9)))) + buffer;
}
