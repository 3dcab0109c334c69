import { POOL_COUNTERS } from '../schema/names.js';
import type { PoolStats } from '../schema/bench.js';

/** Every figure of PoolStats: the running totals and the gauges. */
const POOL_FIGURES = [...POOL_COUNTERS, 'pending', 'totalConns', 'idleConns', 'peakTotal', 'max', 'minIdle'] as const;

/**
 * Several pools as one: counters and gauges added up (max and peakTotal too: the connections of all of them, and
 * the sum of their peaks). What a pool per shard adds up to, and the pools of several machines or threads.
 */
export function addPoolStats<T extends PoolStats>(all: readonly [T, ...T[]]): T {
  const total = { ...all[0] };
  for (const stats of all.slice(1)) for (const key of POOL_FIGURES) total[key] += stats[key];
  return total;
}
