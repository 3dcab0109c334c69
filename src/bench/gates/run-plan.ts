import type { BenchConfig, PoolConfig, StrategyName, WorkloadConfig } from '../../schema/bench.js';
import { stepLabel } from '../../step-labels.js';

/** How a run is named in tables, thresholds and baselines: its strategy, for pooled its size, and how it sends. */
export interface RunName {
  strategy: StrategyName;
  label: string;
  /** Where the run stands for several instances (--threads): the label of one of them, which names the run too. */
  instanceLabel?: string;
  /** pooled: the pool's most connections; null for the other strategies. */
  poolSize: number | null;
  /** A step of a capacity curve (--rate with several rates): the rate it is offered; absent otherwise. */
  ratePerSec?: number;
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

/** What a run label is made of: the strategy, its pool size (pooled), how it sends, the target's shape, the instances. */
export interface LabelParts {
  strategy: StrategyName;
  /** pooled: the pool's most connections, per instance. */
  poolSize?: number;
  sending?: Sending;
  cluster?: boolean;
  /**
   * The service instances the run stands for (--threads, merged machines): the label names what they held
   * together, two shared connections for two multiplexed instances, two pools for two pooled ones.
   */
  instances?: number;
}

/**
 * pooled needs its size; the other strategies' labels do not depend on the pool. Against a cluster the label says
 * what the strategy holds there: a cluster client per request, a pool per shard, a connection per node.
 */
export function runLabel({ strategy, poolSize, sending, cluster = false, instances = 1 }: LabelParts): string {
  const parts = sendingParts(sending);
  switch (strategy) {
    case 'per-request': {
      const all = [...(cluster ? ['cluster client'] : []), ...parts];
      return all.length > 0 ? `per-request(${all.join(', ')})` : 'per-request';
    }
    case 'pooled': {
      const pools = instances > 1 ? `${instances} × ` : '';
      return `pooled(${[`${pools}max=${poolSize ?? '?'}${cluster ? ' per shard' : ''}`, ...parts].join(', ')})`;
    }
    case 'multiplexed': {
      // Not plural(): a label is an identifier that thresholds and baselines match, its count never grouped (1000 conns).
      const conns = instances === 1 ? '1 conn' : `${instances} conns`;
      return `multiplexed(${[cluster ? `${conns} per node` : conns, ...parts].join(', ')})`;
    }
  }
}

/** The pool size a pooled label names (`pooled(max=10)`, `pooled(2 × max=10, pipeline=4)` → 10); null for other labels. */
export function poolSizeInLabel(label: string): number | null {
  const match = /max=(\d+)/.exec(label);
  return match ? Number(match[1]) : null;
}

type PlanInput = Pick<BenchConfig, 'strategies' | 'pool' | 'poolSizes' | 'cluster' | 'threads' | 'rates'> & {
  workload?: Sending;
};

/**
 * The runs a configuration will make, in order, known before anything connects (a sweep: one pooled run per size).
 * With --threads, each run is named for all the threads' instances, and by the label of one of them too.
 */
export function plannedRuns(config: PlanInput): PlannedRun[] {
  const runs = strategyRuns(config);
  const rates = config.rates ?? null;
  if (rates === null) return runs;
  // A capacity curve: each strategy at each rate, the lowest first; the rate in the label (`pooled(max=50)@4000`).
  const ascending = [...rates].sort((a, b) => a - b);
  return runs.flatMap((run) =>
    ascending.map((rate) => ({
      ...run,
      label: stepLabel(run.label, rate),
      ...(run.instanceLabel !== undefined ? { instanceLabel: stepLabel(run.instanceLabel, rate) } : {}),
      ratePerSec: rate,
    })),
  );
}

function strategyRuns(config: PlanInput): PlannedRun[] {
  const instances = config.threads ?? 1;
  const named = (parts: LabelParts): Pick<RunName, 'label' | 'instanceLabel'> => {
    const label = runLabel({ ...parts, instances });
    const one = runLabel(parts);
    return one === label ? { label } : { label, instanceLabel: one };
  };
  return config.strategies.flatMap((strategy): PlannedRun[] => {
    const cluster = config.cluster === true;
    if (strategy !== 'pooled')
      return [
        { strategy, ...named({ strategy, sending: config.workload, cluster }), poolSize: null, pool: config.pool },
      ];
    return (config.poolSizes ?? [config.pool.size]).map((size) => ({
      strategy,
      ...named({ strategy, poolSize: size, sending: config.workload, cluster }),
      poolSize: size,
      pool: { ...config.pool, size },
    }));
  });
}

export function plannedRunNames(config: PlanInput): RunName[] {
  return plannedRuns(config).map(({ strategy, label, instanceLabel, poolSize, ratePerSec }) => ({
    strategy,
    label,
    ...(instanceLabel !== undefined ? { instanceLabel } : {}),
    poolSize,
    ...(ratePerSec !== undefined ? { ratePerSec } : {}),
  }));
}

/** Whether `name` (a threshold's run) is this run's label, or the label of one of the instances it stands for. */
export function namesRun(name: string, run: Pick<RunName, 'label' | 'instanceLabel'>): boolean {
  return run.label === name || run.instanceLabel === name;
}
