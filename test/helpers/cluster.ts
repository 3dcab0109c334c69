import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { EphemeralCluster } from '../../src/redis/ephemeral-cluster.js';
import { readTopology } from '../../src/redis/cluster-topology.js';

/** A plain connection to one node of the cluster (no cluster client: it must see MOVED itself). */
export async function nodeClient(node: { host: string; port: number }): Promise<Redis> {
  const client = new Redis({ host: node.host, port: node.port, lazyConnect: true, maxRetriesPerRequest: 0 });
  await client.connect();
  return client;
}

/** host:port of the master that serves `slot` now. */
export async function ownerOf(
  cluster: EphemeralCluster,
  slot: number,
): Promise<{ host: string; port: number; id: string }> {
  const client = await nodeClient(cluster.seeds[0]!);
  try {
    const master = (await readTopology(client)).nodes.find(
      (n) => n.role === 'master' && n.slots.some(([a, b]) => a <= slot && slot <= b),
    )!;
    return { host: master.host, port: master.port, id: master.id };
  } finally {
    client.disconnect();
  }
}

/**
 * Moves one slot to another master the way `redis-cli --cluster reshard` does, step by step: IMPORTING on the
 * target, MIGRATING on the source, its keys MIGRATEd one by one (`pauseMs` between them, so that clients meet
 * ASK meanwhile), then the slot given to the target on every master (clients then meet MOVED).
 */
export async function moveSlot(
  cluster: EphemeralCluster,
  slot: number,
  pauseMs = 5,
): Promise<{ from: string; to: string; keys: number }> {
  const from = await ownerOf(cluster, slot);
  const toSeed = cluster.seeds.find((s) => s.port !== from.port)!;
  const source = await nodeClient(from);
  const target = await nodeClient(toSeed);
  const others = await Promise.all(
    cluster.seeds.filter((s) => s.port !== from.port && s.port !== toSeed.port).map(nodeClient),
  );
  try {
    const toId = String(await target.call('CLUSTER', 'MYID'));
    await target.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', from.id);
    await source.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', toId);
    let keys = 0;
    for (;;) {
      const batch = (await source.call('CLUSTER', 'GETKEYSINSLOT', slot, 10)) as string[];
      if (batch.length === 0) break;
      for (const key of batch) {
        await source.call('MIGRATE', toSeed.host, toSeed.port, key, 0, 5000);
        keys++;
        await sleep(pauseMs);
      }
    }
    for (const client of [target, source, ...others]) await client.call('CLUSTER', 'SETSLOT', slot, 'NODE', toId);
    return { from: `${from.host}:${from.port}`, to: `${toSeed.host}:${toSeed.port}`, keys };
  } finally {
    for (const client of [source, target, ...others]) client.disconnect();
  }
}

/**
 * Keys under the tool's prefix on every node (SCAN each one: a cluster client would only see one node's). A
 * replica gets its master's deletions a moment later: until none is left, or 2 s.
 */
export async function toolKeysOnEveryNode(cluster: EphemeralCluster): Promise<number> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const left = await countToolKeys(cluster);
    if (left === 0 || Date.now() > deadline) return left;
    await sleep(20);
  }
}

async function countToolKeys(cluster: EphemeralCluster): Promise<number> {
  let total = 0;
  for (const seed of cluster.seeds) {
    const client = await nodeClient(seed);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', 'redis-pool:*', 'COUNT', 1000);
        cursor = next;
        total += keys.length;
      } while (cursor !== '0');
    } finally {
      client.disconnect();
    }
  }
  return total;
}

/** Resolves once some node lists a client whose name contains `part` (a strategy's connections are named after it). */
export async function untilClientNamed(cluster: EphemeralCluster, part: string, timeoutMs = 60_000): Promise<void> {
  const clients = await Promise.all(cluster.seeds.map(nodeClient));
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const client of clients) if (String(await client.call('CLIENT', 'LIST')).includes(part)) return;
      await sleep(20);
    }
    throw new Error(`no client named *${part}* within ${timeoutMs} ms`);
  } finally {
    for (const client of clients) client.disconnect();
  }
}

/** A manual failover (CLUSTER FAILOVER on a replica of the master of `slot`), resolved once the replica is a master. */
export async function failOver(cluster: EphemeralCluster, slot: number): Promise<{ from: string; to: string }> {
  const master = await ownerOf(cluster, slot);
  for (const seed of cluster.seeds) {
    const client = await nodeClient(seed);
    try {
      const replication = String(await client.call('INFO', 'replication'));
      if (!replication.includes('role:slave') || !replication.includes(`master_port:${master.port}`)) continue;
      await client.call('CLUSTER', 'FAILOVER');
      const deadline = Date.now() + 20_000;
      while (!String(await client.call('INFO', 'replication')).includes('role:master')) {
        if (Date.now() > deadline) throw new Error(`${seed.host}:${seed.port} did not take over within 20 s`);
        await sleep(20);
      }
      return { from: `${master.host}:${master.port}`, to: `${seed.host}:${seed.port}` };
    } finally {
      client.disconnect();
    }
  }
  throw new Error(`no replica of ${master.host}:${master.port}`);
}
