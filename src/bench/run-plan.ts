import type { BenchConfig, StrategyName } from '../schema/bench.js';

/** How a run is named in tables, thresholds and baselines: its strategy, and for pooled its size. */
export interface RunName {
  strategy: StrategyName;
  label: string;
  /** pooled: the pool's most connections; null for the other strategies. */
  poolSize: number | null;
}

/** pooled needs its size; the other strategies' labels do not depend on the pool. */
export function runLabel(strategy: StrategyName, poolSize?: number): string {
  switch (strategy) {
    case 'per-request':
      return 'per-request';
    case 'pooled':
      return `pooled(max=${poolSize ?? '?'})`;
    case 'multiplexed':
      return 'multiplexed(1 conn)';
  }
}

/** The runs a configuration will make, in order, known before anything connects (a sweep: one pooled run per size). */
export function plannedRunNames(config: Pick<BenchConfig, 'strategies' | 'pool' | 'poolSizes'>): RunName[] {
  return config.strategies.flatMap((strategy): RunName[] => {
    if (strategy !== 'pooled') return [{ strategy, label: runLabel(strategy), poolSize: null }];
    return (config.poolSizes ?? [config.pool.size]).map((size) => ({ strategy, label: runLabel(strategy, size), poolSize: size }));
  });
}
