import type { CountListRange, DurationRange, FractionRange, IntegerRange, SizeRange } from './values.js';

/**
 * What each bench setting accepts, in one place, so that a flag and its scenario-file field take the same values.
 * Durations shown as `<ms>` (flags) or named …Ms (file fields) read a bare number as milliseconds; the run
 * length, the warm-up and fault times need a unit.
 */
export const MAX_CONNECTIONS = 10_000;

export const RANGES = {
  workers: { min: 1, max: MAX_CONNECTIONS } satisfies IntegerRange,
  requests: { min: 1, max: 1e9 } satisfies IntegerRange,
  /** --duration, `duration`, fault times: up to a day, with a unit. */
  runLength: { bare: 'refused', min: 0, minExclusive: true, max: 24 * 3_600_000 } satisfies DurationRange,
  valueSize: { min: 1, max: 64 * 1024 * 1024 } satisfies SizeRange,
  keyspace: { min: 1, max: 10_000_000 } satisfies IntegerRange,
  commandsPerRequest: { min: 1, max: 1000 } satisfies IntegerRange,
  threads: { min: 1, max: 64 } satisfies IntegerRange,
  ratePerSec: { min: 0, minExclusive: true, max: 1e7, unit: 'requests per second' },
  /** A share of each worker's time: more than 0, at most 100 %. */
  utilization: {} satisfies FractionRange,
  think: { bare: 'ms', min: 0, max: 3_600_000 } satisfies DurationRange,
  poolSize: { min: 1, max: MAX_CONNECTIONS } satisfies IntegerRange,
  /** --pool-size and `poolSizes`: one size, a list or a range; more than one is a sweep. */
  poolSizes: { min: 1, max: MAX_CONNECTIONS, maxItems: 50 } satisfies CountListRange,
  /** --rate with several rates: the steps of a capacity curve. */
  rates: { min: 1, max: 10_000_000, maxItems: 30, noun: 'rate' } satisfies CountListRange,
  minIdle: { min: 0, max: MAX_CONNECTIONS } satisfies IntegerRange,
  /**
   * Pool timers (acquire timeout, idle timeout, eviction interval, max lifetime, health checks); 0 = off. A run
   * lasts at most a day, so a longer timer would never fire.
   */
  poolTimer: { bare: 'ms', min: 0, max: 24 * 3_600_000, whole: true } satisfies DurationRange,
  /** BLPOP's own timeout. */
  blockMs: { bare: 'ms', min: 1, max: 24 * 3_600_000, whole: true } satisfies DurationRange,
  connectTimeout: { bare: 'ms', min: 1, max: 600_000, whole: true } satisfies DurationRange,
  /** --command-timeout and --socket-timeout; 0 = none. */
  ioTimeout: { bare: 'ms', min: 0, max: 600_000, whole: true } satisfies DurationRange,
  rtt: { bare: 'ms', min: 0, max: 10_000 } satisfies DurationRange,
  /** A scenario's `target.db`: a throwaway server is started with as many databases (Redis' default is 16). */
  database: { min: 0, max: 1023 } satisfies IntegerRange,
  /** pause:<ms> and stall:<ms> of --fault. */
  faultLength: { bare: 'ms', min: 1, max: 60_000, whole: true } satisfies DurationRange,
} as const;
