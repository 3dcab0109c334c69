import { summarize, type Histogram } from '../histograms.js';
import { SIZE_DEFAULTS } from '../sizing/inputs.js';
import { fleetBudget } from '../sizing/fleet.js';
import type { ClusterRunResult, ConnectionsResult, PoolConfig, StrategyName } from '../schema/bench.js';
import { noRedirects, type ClusterRouting } from './strategies/cluster-routing.js';
import type { WatchedServer } from './cluster-target.js';

/** What one strategy's run against a cluster counted, node by node. */
export interface ClusterCounts {
  strategy: StrategyName;
  pool: PoolConfig;
  /** Service instances the run stands for (--threads). */
  instances: number;
  masters: WatchedServer[];
  /** Each master's connection counts, in the order of `masters`. */
  connections: ConnectionsResult[];
  routing: ClusterRouting;
  latencyByNode: Map<string, Histogram>;
  topologyChanged: boolean;
}

/** The run node by node, beside the fleet budget `size --shards` makes for it. */
export function clusterRunResult(counts: ClusterCounts): ClusterRunResult {
  const { masters, routing, latencyByNode } = counts;
  return {
    nodes: masters.map((master, i) => {
      const latency = latencyByNode.get(master.address);
      return {
        node: master.address,
        id: master.id,
        requests: latency?.totalCount ?? 0,
        latency: latency ? summarize(latency) : null,
        redirects: { ...(routing.redirects.get(master.address) ?? noRedirects()) },
        connections: counts.connections[i]!,
      };
    }),
    redirects: routing.totalRedirects(),
    topologyChanged: counts.topologyChanged,
    predicted: predictedPerNode(counts.strategy, counts.pool.size, counts.instances, masters.length),
  };
}

/**
 * `size`'s fleet budget for what this strategy holds: a pool of `pool.size` per shard (pooled), or one shared
 * connection per node (multiplexed, a pool of one); per-request holds no pool, and has no prediction.
 */
export function predictedPerNode(strategy: StrategyName, poolSize: number, instances: number, shards: number): ClusterRunResult['predicted'] {
  if (strategy === 'per-request') return null;
  const perShard = strategy === 'pooled' ? poolSize : 1;
  const budget = fleetBudget(perShard, { instances, shards, maxclients: SIZE_DEFAULTS.maxclients, fdLimit: SIZE_DEFAULTS.fdLimit });
  return {
    connectionsPerNode: budget.connectionsPerNode,
    connectionsPerProcess: budget.connectionsPerProcess,
    command: `size --shards ${shards} --instances ${instances}, with ${perShard} connection${perShard === 1 ? '' : 's'} per shard`,
  };
}

/** Connection counts of every node added up: the cluster's totals (peaks too: the sum of the nodes' peaks). */
export function sumConnections(all: ConnectionsResult[]): ConnectionsResult {
  const total = { ...all[0]! };
  for (const counts of all.slice(1)) {
    for (const key of Object.keys(total) as (keyof ConnectionsResult)[]) total[key] = (total[key] ?? 0) + (counts[key] ?? 0);
  }
  return total;
}
