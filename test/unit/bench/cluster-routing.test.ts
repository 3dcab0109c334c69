import { describe, expect, it } from 'vitest';
import { ClusterRouting, parseRedirect } from '../../../src/bench/strategies/cluster-routing.js';
import { CLUSTER_HASH_TAGS, hashTags, Workload } from '../../../src/bench/run/workload.js';
import { CLUSTER_SLOTS, slotOf, slotOwners } from '../../../src/redis/cluster-topology.js';
import type { ClusterTopology } from '../../../src/schema/bench.js';
import type { RedisClient } from '../../../src/bench/strategies/client-factory.js';

/** Three masters with the ranges redis-cli --cluster create gives them. */
const THREE: ClusterTopology = {
  nodes: [
    { id: 'a', host: '10.0.0.1', port: 7000, role: 'master', slots: [[0, 5460]] },
    { id: 'b', host: '10.0.0.2', port: 7000, role: 'master', slots: [[5461, 10922]] },
    { id: 'c', host: '10.0.0.3', port: 7000, role: 'master', slots: [[10923, 16383]] },
    { id: 'd', host: '10.0.0.4', port: 7000, role: 'replica', slots: [[0, 5460]] },
  ],
};

describe('hash tags', () => {
  it('one in each 1/64 of the slots, so that every master of a range split serves about as many', () => {
    const tags = hashTags();
    expect(tags).toHaveLength(CLUSTER_HASH_TAGS);
    const band = CLUSTER_SLOTS / CLUSTER_HASH_TAGS;
    tags.forEach((tag, i) => expect(Math.floor(slotOf(`{${tag}}`) / band)).toBe(i));
    const owners = slotOwners(THREE);
    const perMaster = new Map<string, number>();
    for (const tag of tags)
      perMaster.set(owners[slotOf(`{${tag}}`)]!, (perMaster.get(owners[slotOf(`{${tag}}`)]!) ?? 0) + 1);
    expect([...perMaster.values()].sort()).toEqual([21, 21, 22]);
  });

  it('a request touches keys of its one tag only (one slot, one shard), and every tag has keys', async () => {
    const config = {
      commands: [{ command: 'get' as const, weight: 1, valueSize: 8, keyspace: 1000, blockMs: null }],
      commandsPerRequest: 5,
      pipeline: false,
      autoPipelining: false,
    };
    const workload = new Workload('t', config, hashTags());
    const keys: string[] = [];
    const client = { get: async (key: string) => keys.push(key) } as unknown as RedisClient;
    for (let i = 0; i < 200; i++) {
      const tag = workload.drawTag();
      keys.length = 0;
      await workload.run(client, tag);
      expect(new Set(keys.map((k) => slotOf(k)))).toEqual(new Set([slotOf(`{${workload.tags[tag]}}`)]));
    }
  });

  it('fewer tags than keys: a keyspace of 10 keys uses 10 tags', () => {
    const config = {
      commands: [{ command: 'get' as const, weight: 1, valueSize: 8, keyspace: 10, blockMs: null }],
      commandsPerRequest: 1,
      pipeline: false,
      autoPipelining: false,
    };
    expect(new Workload('t', config, hashTags()).tags).toHaveLength(10);
  });
});

describe('redirections', () => {
  it('are parsed from the error replies, anything else is not one', () => {
    expect(parseRedirect(new Error('MOVED 3999 127.0.0.1:6381'))).toEqual({
      kind: 'moved',
      slot: 3999,
      to: '127.0.0.1:6381',
    });
    expect(parseRedirect(new Error('ASK 3999 ::1:6381'))).toEqual({ kind: 'ask', slot: 3999, to: '::1:6381' });
    expect(parseRedirect(new Error('TRYAGAIN Multiple keys request during rehashing of slot'))).toEqual({
      kind: 'tryagain',
      slot: null,
      to: null,
    });
    expect(parseRedirect(new Error('CLUSTERDOWN The cluster is down'))).toEqual({
      kind: 'clusterdown',
      slot: null,
      to: null,
    });
    expect(parseRedirect(new Error('ERR unknown command'))).toBeNull();
    expect(parseRedirect('MOVED 1 a:1')).toBeNull();
  });

  it('MOVED gives the slot to its new owner at once, counted under the node that sent it, and reads the map again', async () => {
    const tags = hashTags();
    let reads = 0;
    const moved = slotOf(`{${tags[0]}}`);
    const after: ClusterTopology = {
      nodes: [
        {
          ...THREE.nodes[0]!,
          slots: [
            [0, moved - 1],
            [moved + 1, 5460],
          ],
        },
        {
          ...THREE.nodes[1]!,
          slots: [
            [moved, moved],
            [5461, 10922],
          ],
        },
        THREE.nodes[2]!,
      ],
    };
    const routing = new ClusterRouting(THREE, tags, async () => (reads++, after));
    expect(routing.addresses).toEqual(['10.0.0.1:7000', '10.0.0.2:7000', '10.0.0.3:7000']);
    expect(routing.nodeOfTag(0)).toBe('10.0.0.1:7000');
    routing.noteRedirect(parseRedirect(new Error(`MOVED ${moved} 10.0.0.2:7000`))!, '10.0.0.1:7000');
    expect(routing.nodeOfTag(0)).toBe('10.0.0.2:7000');
    expect(routing.nodeOfTag(1)).toBe('10.0.0.1:7000');
    await routing.refresh();
    expect(reads).toBe(1); // the reading the MOVED started, shared
    await routing.refresh();
    expect(reads).toBe(2);
    expect(routing.nodeOfTag(0)).toBe('10.0.0.2:7000');
    expect(routing.redirects.get('10.0.0.1:7000')).toEqual({ moved: 1, ask: 0, tryagain: 0, clusterdown: 0 });
  });

  it('a sender unknown: MOVED and ASK go to the slot owner, the others to no node', () => {
    const tags = hashTags();
    const routing = new ClusterRouting(THREE, tags, async () => THREE);
    routing.noteRedirect({ kind: 'ask', slot: 6000, to: '10.0.0.3:7000' }, null);
    routing.noteRedirect({ kind: 'tryagain', slot: null, to: null }, null);
    expect(routing.redirects.get('10.0.0.2:7000')!.ask).toBe(1);
    expect(routing.unattributed.tryagain).toBe(1);
    expect(routing.totalRedirects()).toEqual({ moved: 0, ask: 1, tryagain: 1, clusterdown: 0 });
    // ASK moves nothing: the slot is still its owner's until the migration ends.
    expect(routing.nodeOfSlot(6000)).toBe('10.0.0.2:7000');
  });

  it('files each request latency under the shard of its tag', () => {
    const tags = hashTags();
    const routing = new ClusterRouting(THREE, tags, async () => THREE);
    const byShard = routing.shardLatency();
    tags.forEach((_, tag) => byShard.record(tag, 100));
    const owners = slotOwners(THREE);
    for (const [node, histogram] of byShard.histograms) {
      expect(histogram.totalCount).toBe(tags.filter((tag) => owners[slotOf(`{${tag}}`)] === node).length);
    }
    expect([...byShard.histograms.values()].reduce((sum, h) => sum + h.totalCount, 0)).toBe(64);
  });
});
