/**
 * Where the tool reads the time and draws its random numbers. They are passed in (as tinybench takes its `now`),
 * the real ones by default, so that a test runs the load loop, the pool or the --rtt proxy on a fake clock and on
 * seeded draws instead of replacing process.hrtime, performance.now or Math.random. Imports nothing.
 *
 * The functions are read off once and called unbound (the hot path keeps `const now = clock.now`, no property
 * lookup nor allocation per request), so an implementation must not use `this`: plain or arrow functions.
 */

export interface Clock {
  /** Monotonic time in nanoseconds, process.hrtime.bigint(): what the load loop, the scheduler and the window time. */
  readonly now: () => bigint;
  /** The same monotonic clock in fractional milliseconds, performance.now(): the pool's resource ages. */
  readonly nowMs: () => number;
  /** The wall clock in milliseconds since the epoch, Date.now(): when something happened, never how long it took. */
  readonly epochMs: () => number;
}

export interface Random {
  /** A number drawn uniformly from [0, 1), Math.random(). */
  readonly random: () => number;
}

export const realClock: Clock = {
  now: () => process.hrtime.bigint(),
  nowMs: () => performance.now(),
  epochMs: () => Date.now(),
};

export const realRandom: Random = {
  random: () => Math.random(),
};
