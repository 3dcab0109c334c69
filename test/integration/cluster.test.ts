import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startEphemeralCluster, type EphemeralCluster } from '../../src/redis/ephemeral-cluster.js';
import { readTopology } from '../../src/redis/cluster-topology.js';
import { parseInfo, readInfoServer } from '../../src/redis/info.js';
import { expectedServer } from '../helpers/server-binary.js';

// A real 3-master cluster on free ports, created with redis-cli --cluster create (valkey-servers joined by valkey-cli in
// the project valkey), stopped at the end.
let cluster: EphemeralCluster;

beforeAll(async () => {
  cluster = await startEphemeralCluster(3);
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('a throwaway Redis Cluster', () => {
  it('has three masters that serve every slot once, as any of its nodes tells it', async () => {
    const { name, version } = expectedServer();
    for (const seed of cluster.seeds) {
      const client = new Redis({ ...seed, lazyConnect: true });
      try {
        await client.connect();
        // The server program the tests run (redis-server, or valkey-server in the project valkey).
        expect(readInfoServer(parseInfo(await client.info('server'))).server).toEqual({ name, version });
        const topology = await readTopology(client);
        // Listed by port.
        expect(topology.nodes.map((n) => [n.port, n.role])).toEqual(
          [...cluster.seeds].sort((a, b) => a.port - b.port).map((s) => [s.port, 'master']),
        );
        const ranges = topology.nodes.flatMap((n) => n.slots).sort((a, b) => a[0] - b[0]);
        expect(ranges[0]![0]).toBe(0);
        expect(ranges.at(-1)![1]).toBe(16383);
        for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBe(ranges[i - 1]![1] + 1);
        expect(new Set(topology.nodes.map((n) => n.id)).size).toBe(3);
      } finally {
        client.disconnect();
      }
    }
  });

  it('stops every node', async () => {
    const other = await startEphemeralCluster(3);
    const pids = other.nodes.map((n) => n.pid);
    await other.stop();
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  }, 60_000);
});
