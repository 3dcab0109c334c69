/**
 * The service instances a bench result stands for. Its runs' counts and rates are all of theirs together; its
 * configuration's workers and rate are one machine's, split over that machine's threads (each thread a service
 * instance with its own pool, as `size --instances` counts them).
 */
import type { BenchResult } from '../schema/bench.js';

/** Its threads (--threads), and after a merge of several machines' results, every machine's. */
export function instancesOfBench(result: Pick<BenchResult, 'config' | 'merged'>): number {
  const threads = result.config.threads ?? 1;
  return result.merged?.of === 'machines' ? result.merged.inputs.length * threads : threads;
}

/** One instance's workers: its machine's split over its threads, rounded up (the first threads take the remainder). */
export function workersPerInstance(result: Pick<BenchResult, 'config'>): number {
  return Math.ceil(result.config.concurrency / (result.config.threads ?? 1));
}

/** One instance's share of the rate its machine was told to offer (--rate), split over its threads: the mean. */
export function offeredRatePerInstance(result: Pick<BenchResult, 'config'>): number | null {
  const rate = result.config.load.ratePerSec;
  return rate === null ? null : rate / (result.config.threads ?? 1);
}
