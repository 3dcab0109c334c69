import { SIZE_DEFAULTS } from '../../sizing/inputs.js';
import { fleetBudget } from '../../sizing/fleet.js';
import type { PredictedConnections, StrategyName } from '../../schema/bench.js';

/**
 * `size`'s fleet budget for what a run holds, so that a measurement can be set beside it: a pool of `poolSize` per
 * shard (pooled), or one shared connection per node (multiplexed, a pool of one), in each of `instances` service
 * instances (threads, load machines). Per-request holds no pool: null.
 */
export function predictedConnections(
  strategy: StrategyName,
  poolSize: number,
  instances: number,
  shards: number,
): PredictedConnections | null {
  if (strategy === 'per-request') return null;
  const perShard = strategy === 'pooled' ? poolSize : 1;
  const budget = fleetBudget(perShard, {
    instances,
    shards,
    maxclients: SIZE_DEFAULTS.maxclients,
    fdLimit: SIZE_DEFAULTS.fdLimit,
  });
  return {
    perNode: budget.connectionsPerNode,
    perProcess: budget.connectionsPerProcess,
    pool: perShard,
    command: `size --shards ${shards} --instances ${instances}`,
  };
}
