import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { readTopology, slotOwners } from '../../../src/redis/cluster-topology.js';

/** CLUSTER NODES as a Redis 7.0 master printed it, one slot migrating away, a node still in handshake. */
const NODES = [
  'a1 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-5460 [5000->-b2]',
  'b2 127.0.0.1:7002@17002 master - 0 1700000000000 2 connected 5461-10922 [5000-<-a1]',
  'c3 127.0.0.1:7003@17003,node-c master - 0 1700000000000 3 connected 10923-16383',
  'd4 127.0.0.1:7004@17004 slave a1 0 1700000000000 1 connected',
  'e5 :0@0 handshake,noaddr - 0 0 0 disconnected',
  '',
].join('\n');

const fakeNode = (reply: string) => ({ call: async () => reply }) as unknown as Redis;

describe('the topology from CLUSTER NODES', () => {
  it('lists masters and replicas with their slots, by port; a migration under way is not a served slot', async () => {
    const topology = await readTopology(fakeNode(NODES));
    expect(topology.nodes).toEqual([
      { id: 'a1', host: '127.0.0.1', port: 7001, role: 'master', slots: [[0, 5460]] },
      { id: 'b2', host: '127.0.0.1', port: 7002, role: 'master', slots: [[5461, 10922]] },
      { id: 'c3', host: '127.0.0.1', port: 7003, role: 'master', slots: [[10923, 16383]] },
      { id: 'd4', host: '127.0.0.1', port: 7004, role: 'replica', slots: [[0, 5460]] },
    ]);
    const owners = slotOwners(topology);
    expect([owners[0], owners[5000], owners[5461], owners[16383]]).toEqual([
      '127.0.0.1:7001',
      '127.0.0.1:7001',
      '127.0.0.1:7002',
      '127.0.0.1:7003',
    ]);
  });

  it('gives a master many single slots and ranges, in order', async () => {
    const topology = await readTopology(fakeNode('a1 10.0.0.1:6379@16379 myself,master - 0 0 1 connected 9 0-3 5\n'));
    expect(topology.nodes[0]!.slots).toEqual([
      [0, 3],
      [5, 5],
      [9, 9],
    ]);
  });
});
