import type { Redis } from 'ioredis';
import clusterKeySlot from 'cluster-key-slot';
import type { ClusterNode, ClusterTopology } from '../schema/bench.js';

/**
 * The cluster as one node sees it (CLUSTER NODES, every Redis since 3.0): its nodes, roles and slot ranges. Not
 * CLUSTER SLOTS: it leaves out the replicas that have no data yet (Redis 7), and those are the nodes a failover
 * promotes. Nodes without an address yet (in handshake) are left out; a replica gets its master's slots.
 */
export async function readTopology(client: Redis): Promise<ClusterTopology> {
  const lines = String(await client.call('CLUSTER', 'NODES'))
    .trim()
    .split('\n');
  const parsed = lines
    .map((line) => line.split(' '))
    .filter((fields) => fields.length >= 8 && !/noaddr|handshake/.test(fields[2]!));
  const masters = new Map<string, [number, number][]>();
  for (const [id, , flags, , , , , , ...slots] of parsed)
    if (flags!.includes('master')) masters.set(id!, slotRanges(slots));
  const nodes = parsed.map(([id, address, flags, masterId]): ClusterNode => {
    const { host, port } = parseNodeAddress(address!.split('@')[0]!);
    const master = flags!.includes('master');
    return {
      id: id!,
      host,
      port,
      role: master ? 'master' : 'replica',
      slots: master ? masters.get(id!)! : [...(masters.get(masterId!) ?? [])],
    };
  });
  return { nodes: nodes.sort((a, b) => a.port - b.port || a.host.localeCompare(b.host)) };
}

/** host:port (as nodeAddress() writes it, and MOVED and ASK name nodes; the host may be an IPv6 address) → host and port. */
export function parseNodeAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}

/** "0-5460" and "5461" as inclusive ranges, sorted; "[slot->-id]" (a migration under way) is not a served slot. */
function slotRanges(fields: string[]): [number, number][] {
  return fields
    .filter((field) => !field.startsWith('['))
    .map((field): [number, number] => {
      const [first, last] = field.split('-').map(Number);
      return [first!, last ?? first!];
    })
    .sort((a, b) => a[0] - b[0]);
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
