import type { Redis } from 'ioredis';
import type { ClusterNode, ClusterTopology } from '../schema/bench.js';

/** One entry of CLUSTER SLOTS: [first, last, master, ...replicas], each node [host, port, id, ...]. */
type SlotEntry = [number, number, ...[string, number, string, ...unknown[]][]];

/** The cluster as one node sees it (CLUSTER SLOTS, every Redis since 3.0): its nodes, roles and slot ranges. */
export async function readTopology(client: Redis): Promise<ClusterTopology> {
  const entries = (await client.call('CLUSTER', 'SLOTS')) as SlotEntry[];
  const nodes = new Map<string, ClusterNode>();
  for (const [first, last, ...served] of entries) {
    served.forEach(([host, port, id], index) => {
      const node = nodes.get(id) ?? { id, host, port: Number(port), role: index === 0 ? 'master' : 'replica', slots: [] };
      node.slots.push([first, last]);
      nodes.set(id, node);
    });
  }
  const list = [...nodes.values()];
  for (const node of list) node.slots.sort((a, b) => a[0] - b[0]);
  return { nodes: list.sort((a, b) => a.port - b.port || a.host.localeCompare(b.host)) };
}
