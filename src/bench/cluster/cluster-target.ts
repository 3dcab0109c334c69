import type { CheckedRedis } from '../../redis/checked-redis.js';
import { nodeAddress, readTopology, slotOwners } from '../../redis/cluster-topology.js';
import { connectMonitor } from '../../redis/monitor.js';
import type { RedisTarget } from '../../redis/url.js';
import type { ClusterTopology } from '../../schema/bench.js';

/** A server whose counters the runner reads on the tool's own connection: the one server, or one master of a cluster. */
export interface WatchedServer {
  /** host:port. */
  address: string;
  /** Its cluster node id; null for a single server. */
  id: string | null;
  monitor: CheckedRedis;
}

/** Every node of a cluster, each watched on a monitor connection of its own, and the slot map as read now. */
export interface ClusterTarget {
  topology: ClusterTopology;
  /** Masters and replicas alike: a failover during the run makes a replica a master. */
  nodes: WatchedServer[];
  /** Masters when the run began: the shards size counts. */
  masters: number;
  /** The topology again (CLUSTER NODES), on the seed's monitor. */
  readTopology(): Promise<ClusterTopology>;
  close(): Promise<void>;
}

/**
 * The cluster behind the seed's monitor: its topology, and a monitor connection to each node (with the seed's
 * credentials and TLS settings), on which its INFO is read and, at the end, its keys of this run deleted.
 */
export async function watchCluster(
  seed: CheckedRedis,
  target: RedisTarget,
  options: { connectTimeoutMs: number; name: string },
): Promise<ClusterTarget> {
  const topology = await readTopology(seed);
  const nodes: WatchedServer[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.monitor.quit().catch(() => n.monitor.disconnect())));
  };
  try {
    for (const node of topology.nodes) {
      const nodeTarget = { ...target, host: node.host, port: node.port };
      nodes.push({
        address: nodeAddress(node),
        id: node.id,
        monitor: await connectMonitor(nodeTarget, nodeTarget, options),
      });
    }
  } catch (error) {
    await close();
    throw error;
  }
  const masters = topology.nodes.filter((n) => n.role === 'master').length;
  return { topology, nodes, masters, readTopology: () => readTopology(seed), close };
}

/** Whether two slot maps give any slot to different masters (a resharding or a failover between them). */
export function slotsMoved(before: ClusterTopology, after: ClusterTopology): boolean {
  const a = slotOwners(before);
  const b = slotOwners(after);
  return a.some((owner, slot) => owner !== b[slot]);
}
