import type { BenchConfig, PoolConfig, StrategyName, WorkloadConfig } from '../schema/bench.js';

/** How a run is named in tables, thresholds and baselines: its strategy, for pooled its size, and how it sends. */
export interface RunName {
  strategy: StrategyName;
  label: string;
  /** pooled: the pool's most connections; null for the other strategies. */
  poolSize: number | null;
}

/** A run as the runner makes it: its name and the pool settings it runs with (pool.size = the sweep's size). */
export interface PlannedRun extends RunName {
  pool: PoolConfig;
}

/** What a label says of how the commands are sent (absent from results written before auto-pipelining existed). */
type Sending = Pick<WorkloadConfig, 'commandsPerRequest' | 'pipeline'> & { autoPipelining?: boolean };

/**
 * Pipelining, explicit (a request's commands as one pipeline, like redis-benchmark -P) or automatic (ioredis'
 * enableAutoPipelining), is in the label: a pipelined figure is never read as a figure of one command at a time.
 */
function sendingParts(sending: Sending | undefined): string[] {
  if (sending === undefined) return [];
  return [
    ...(sending.pipeline && sending.commandsPerRequest > 1 ? [`pipeline=${sending.commandsPerRequest}`] : []),
    ...(sending.autoPipelining ? ['auto-pipelining'] : []),
  ];
}

/**
 * pooled needs its size; the other strategies' labels do not depend on the pool. Against a cluster the label says
 * what the strategy holds there: a cluster client per request, a pool per shard, a connection per node.
 */
function runLabel(strategy: StrategyName, poolSize?: number, sending?: Sending, cluster = false): string {
  const parts = sendingParts(sending);
  switch (strategy) {
    case 'per-request': {
      const all = [...(cluster ? ['cluster client'] : []), ...parts];
      return all.length > 0 ? `per-request(${all.join(', ')})` : 'per-request';
    }
    case 'pooled':
      return `pooled(${[`max=${poolSize ?? '?'}${cluster ? ' per shard' : ''}`, ...parts].join(', ')})`;
    case 'multiplexed':
      return `multiplexed(${[cluster ? '1 conn per node' : '1 conn', ...parts].join(', ')})`;
  }
}

type PlanInput = Pick<BenchConfig, 'strategies' | 'pool' | 'poolSizes' | 'cluster'> & { workload?: Sending };

/** The runs a configuration will make, in order, known before anything connects (a sweep: one pooled run per size). */
export function plannedRuns(config: PlanInput): PlannedRun[] {
  return config.strategies.flatMap((strategy): PlannedRun[] => {
    const cluster = config.cluster === true;
    if (strategy !== 'pooled') return [{ strategy, label: runLabel(strategy, undefined, config.workload, cluster), poolSize: null, pool: config.pool }];
    return (config.poolSizes ?? [config.pool.size]).map((size) => ({
      strategy,
      label: runLabel(strategy, size, config.workload, cluster),
      poolSize: size,
      pool: { ...config.pool, size },
    }));
  });
}

export function plannedRunNames(config: PlanInput): RunName[] {
  return plannedRuns(config).map(({ strategy, label, poolSize }) => ({ strategy, label, poolSize }));
}
