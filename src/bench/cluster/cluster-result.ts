import { summarize, type Histogram } from '../../histograms.js';
import type { ClusterRunResult, ConnectionsResult } from '../../schema/bench.js';
import { noRedirects, type ClusterRouting } from '../strategies/cluster-routing.js';
import type { WatchedServer } from './cluster-target.js';

/** What one strategy's run against a cluster counted, node by node. */
export interface ClusterCounts {
  /** Every node watched (masters and replicas). */
  nodes: WatchedServer[];
  /** Each node's connection counts, in the order of `nodes`. */
  connections: ConnectionsResult[];
  routing: ClusterRouting;
  latencyByNode: Map<string, Histogram>;
  topologyChanged: boolean;
}

/** The run node by node. */
export function clusterRunResult(counts: ClusterCounts): ClusterRunResult {
  const { nodes, routing, latencyByNode } = counts;
  return {
    nodes: nodes.map((node, i) => {
      const latency = latencyByNode.get(node.address);
      return {
        node: node.address,
        id: node.id,
        requests: latency?.totalCount ?? 0,
        latency: latency ? summarize(latency) : null,
        redirects: { ...(routing.redirects.get(node.address) ?? noRedirects()) },
        connections: counts.connections[i]!,
      };
    }),
    redirects: routing.totalRedirects(),
    topologyChanged: counts.topologyChanged,
  };
}

/** Connection counts of every node added up: the cluster's totals (peaks too: the sum of the nodes' peaks). */
export function sumConnections(all: ConnectionsResult[]): ConnectionsResult {
  const total = { ...all[0]! };
  for (const counts of all.slice(1)) {
    for (const key of Object.keys(total) as (keyof ConnectionsResult)[])
      total[key] = (total[key] ?? 0) + (counts[key] ?? 0);
  }
  return total;
}
