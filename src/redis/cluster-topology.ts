import type { Redis } from 'ioredis';
import clusterKeySlot from 'cluster-key-slot';
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

/** Redis Cluster's key space: every key hashes (CRC16 of the key, or of its {hash tag}) to one of these slots. */
export const CLUSTER_SLOTS = 16384;

/** The slot a key belongs to, as every cluster client computes it. */
export function slotOf(key: string): number {
  return clusterKeySlot(key);
}

/** How nodes are named in counts and tables: host:port, as MOVED and ASK replies name them. */
export function nodeAddress(node: { host: string; port: number }): string {
  return `${node.host}:${node.port}`;
}

/** The master serving each slot (its host:port), '' for a slot no master serves. */
export function slotOwners(topology: ClusterTopology): string[] {
  const owners = new Array<string>(CLUSTER_SLOTS).fill('');
  for (const node of topology.nodes) {
    if (node.role !== 'master') continue;
    for (const [first, last] of node.slots) owners.fill(nodeAddress(node), first, last + 1);
  }
  return owners;
}
