import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEphemeralServer } from '../../src/redis/ephemeral-server.js';
import { startEphemeralCluster, type EphemeralCluster } from '../../src/redis/ephemeral-cluster.js';
import { CLUSTER_SLOTS, slotOf } from '../../src/redis/cluster-topology.js';
import { hashTags } from '../../src/bench/run/workload.js';
import type { BenchResult, StrategyResult } from '../../src/schema/bench.js';
import { benchJson, runCli, startCli, writtenDocument } from '../helpers/run-cli.js';
import { failOver, moveSlot, toolKeysOnEveryNode, untilClientNamed } from '../helpers/cluster.js';
import { expectedServer } from '../helpers/server-binary.js';
import { tempDir } from '../helpers/temp-dir.js';

// A real 3-master cluster (redis-server --cluster-enabled yes three times, joined by redis-cli --cluster create; in the
// project valkey, valkey-server and valkey-cli).
let cluster: EphemeralCluster;
let url: string;

beforeAll(async () => {
  cluster = await startEphemeralCluster(3);
  url = `redis://${cluster.seeds[0]!.host}:${cluster.seeds[0]!.port}`;
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

const byStrategy = (result: BenchResult, name: string): StrategyResult =>
  result.results.find((r) => r.strategy === name)!;

describe('bench --cluster against a real 3-master cluster', () => {
  let result: BenchResult;
  beforeAll(async () => {
    // A warm-up long enough for every node to be reached: ioredis Cluster opens a node's connection on its first command.
    result = await benchJson(url, [
      '--cluster',
      '--requests',
      '1500',
      '--warmup',
      '200req',
      '-c',
      '6',
      '--pool-size',
      '4',
    ]);
  }, 120_000);

  it('carries the topology it ran against: three masters that serve every slot once, and which server they are', () => {
    const { name, version } = expectedServer();
    expect(result.target.server).toEqual({ name, version });
    const nodes = result.target.cluster!.nodes;
    expect(nodes.map((n) => n.port).sort()).toEqual(cluster.seeds.map((s) => s.port).sort());
    expect(nodes.every((n) => n.role === 'master')).toBe(true);
    expect(nodes.flatMap((n) => n.slots).reduce((sum, [a, b]) => sum + b - a + 1, 0)).toBe(CLUSTER_SLOTS);
    expect(result.config.cluster).toBe(true);
    expect(result.results.map((r) => r.label)).toEqual([
      'per-request(cluster client)',
      'pooled(max=4 per shard)',
      'multiplexed(1 conn per node)',
    ]);
  });

  it('spreads the requests over every shard, and the shards add up to the total, histogram and counts', () => {
    for (const run of result.results) {
      expect(run.errors).toBe(0);
      const nodes = run.cluster!.nodes;
      expect(nodes).toHaveLength(3);
      // 64 hash tags in 64 bands of slots: each master serves about a third of them.
      for (const node of nodes) expect(node.requests).toBeGreaterThan(run.requests / 6);
      expect(nodes.reduce((sum, n) => sum + n.requests, 0)).toBe(run.latency.count);
      expect(Math.max(...nodes.map((n) => n.latency!.max))).toBe(run.latency.max);
      expect(run.cluster!.redirects).toEqual({ moved: 0, ask: 0, tryagain: 0, clusterdown: 0 });
      expect(run.cluster!.topologyChanged).toBe(false);
    }
  });

  it('counts connections per node on the client and on the server, and they agree', () => {
    for (const run of result.results) {
      for (const node of run.cluster!.nodes) {
        expect(node.connections.openedInWindow).toBe(node.connections.serverAcceptedInWindow);
        expect(node.connections.opened).toBe(node.connections.serverAccepted);
      }
      const sum = (field: 'opened' | 'serverAccepted') =>
        run.cluster!.nodes.reduce((total, n) => total + n.connections[field], 0);
      expect(run.connections.opened).toBe(sum('opened'));
      expect(run.connections.serverAccepted).toBe(sum('serverAccepted'));
    }
  });

  it('holds a pool per shard: at most pool-size connections on each node, as size --shards predicts', () => {
    const pooled = byStrategy(result, 'pooled').cluster!;
    expect(byStrategy(result, 'pooled').predictedConnections).toEqual({
      perNode: 4,
      perProcess: 12,
      pool: 4,
      command: 'size --shards 3 --instances 1',
    });
    for (const node of pooled.nodes) {
      expect(node.connections.peakOpen).toBeGreaterThan(0);
      expect(node.connections.peakOpen).toBeLessThanOrEqual(4);
      expect(node.connections.serverPeakClients).toBeLessThanOrEqual(4);
    }
  });

  it('multiplexes one connection per node (ioredis Cluster), as predicted', () => {
    const multiplexed = byStrategy(result, 'multiplexed').cluster!;
    expect(byStrategy(result, 'multiplexed').predictedConnections).toMatchObject({ perNode: 1, perProcess: 3 });
    for (const node of multiplexed.nodes) {
      expect(node.connections.peakOpenInWindow).toBe(1);
      expect(node.connections.serverPeakClients).toBe(1);
      expect(node.connections.openedInWindow).toBe(0);
    }
  });

  it('pays a whole cluster client per request: more than one connection per request, slot discovery included', () => {
    const perRequest = byStrategy(result, 'per-request');
    expect(perRequest.predictedConnections).toBeNull();
    // Each request: the client's slot-map read on a connection of its own, then the node of its key.
    expect(perRequest.connections.openedInWindow).toBeGreaterThan(perRequest.requests);
    expect(perRequest.connections.serverAcceptedInWindow).toBe(perRequest.connections.openedInWindow);
  });

  it('leaves no key of its own on any node', async () => {
    expect(await toolKeysOnEveryNode(cluster)).toBe(0);
  });
});

describe('a resharding during a run', () => {
  it('is counted (MOVED, ASK) per shard and followed, not fatal: pool per shard and ioredis Cluster', async () => {
    const [pooledSlot, multiplexedSlot] = hashTags()
      .slice(0, 2)
      .map((tag) => slotOf(`{${tag}}`));
    const run = startCli([
      'bench',
      '--url',
      url,
      '--cluster',
      '--json',
      '--strategy',
      'pooled,multiplexed',
      '-d',
      '3s',
      '--warmup',
      '0',
      '-c',
      '8',
      '-q',
    ]);
    const reshard = async () => {
      await untilClientNamed(cluster, ':pooled');
      const first = await moveSlot(cluster, pooledSlot!);
      await untilClientNamed(cluster, ':multiplexed');
      return [first, await moveSlot(cluster, multiplexedSlot!)] as const;
    };
    const [first, second] = await reshard().catch((error: unknown) => {
      run.child.kill('SIGKILL');
      throw new Error(`${String(error)}; the bench said: ${run.stderr()}`);
    });
    const done = await run.done;
    expect(done.stderr).toBe('');
    expect(done.exitCode).toBe(0);
    expect(first.keys).toBeGreaterThan(0);
    expect(second.keys).toBeGreaterThan(0);
    const result = writtenDocument(done.stdout, 'bench');
    for (const [name, moved] of [
      ['pooled', first],
      ['multiplexed', second],
    ] as const) {
      const run = byStrategy(result, name);
      expect(run.errors).toBe(0);
      expect(run.cluster!.topologyChanged).toBe(true);
      const { redirects } = run.cluster!;
      expect(redirects.moved + redirects.ask).toBeGreaterThan(0);
      const redirected = (node: string) => {
        const counts = run.cluster!.nodes.find((n) => n.node === node)!.redirects;
        return counts.moved + counts.ask;
      };
      if (name === 'pooled') {
        // The pool per shard knows which connection got the reply: every one came from the node the slot left.
        expect(redirected(moved.from)).toBe(redirects.moved + redirects.ask);
      } else {
        // ioredis does not tell which node replied: filed under the slot's owner as the slot map said then, the
        // node it left (most), or for a reply still in flight after the map changed, the node it went to.
        expect(redirected(moved.from)).toBeGreaterThan((redirects.moved + redirects.ask) / 2);
        expect(redirected(moved.from) + redirected(moved.to)).toBe(redirects.moved + redirects.ask);
      }
    }
    expect(await toolKeysOnEveryNode(cluster)).toBe(0);
  }, 120_000);
});

describe('bench --cluster refuses what it cannot do, in one line', () => {
  it.each([
    [['--pool-size', '2,4'], /--cluster and a sweep .* do not go together/],
    [['--fault', 'kill-clients@1s'], /--fault and --cluster do not go together/],
    [['--rtt', '1ms'], /--rtt and --cluster do not go together/],
  ])('%j: exit 2 before anything starts', async (flags, message) => {
    const run = await runCli(['bench', '--cluster', '--url', url, ...flags]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a single server given with --cluster, or a cluster node without it: exit 3, and nothing written', async () => {
    // Redis Cluster, Valkey Cluster: the message names the cluster after the server.
    const kind = `${expectedServer().label.split(' ')[0]!} Cluster`;
    const single = await startEphemeralServer();
    try {
      const run = await runCli(['bench', '--cluster', '--url', `redis://${single.host}:${single.port}`, '-d', '1s']);
      expect(run.exitCode).toBe(3);
      expect(run.stderr).toContain(`is not a ${kind} node (`);
      expect(run.stderr).toMatch(/drop --cluster/);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      await single.stop();
    }
    const run = await runCli(['bench', '--url', url, '-d', '1s']);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(`is a ${kind} node: add --cluster`);
    expect(await toolKeysOnEveryNode(cluster)).toBe(0);
  });
});

describe('bench --cluster --threads 2: two service instances, each with its pool per shard', () => {
  it('adds the threads up node by node, and size predicts for both instances', async () => {
    const result = await benchJson(url, [
      '--cluster',
      '--threads',
      '2',
      '--strategy',
      'pooled,multiplexed',
      '--pool-size',
      '3',
      '-c',
      '8',
      '--requests',
      '2000',
      '--warmup',
      '200req',
    ]);
    const multiplexed = result.results[1]!.cluster!;
    expect(result.results.map((r) => r.predictedConnections)).toMatchObject([
      { perNode: 6, perProcess: 9 },
      { perNode: 2, perProcess: 3 },
    ]);
    for (const [i, run] of result.results.entries()) {
      expect(run.cluster!.nodes.reduce((sum, n) => sum + n.requests, 0)).toBe(run.latency.count);
      for (const node of run.cluster!.nodes)
        expect(node.connections.peakOpenInWindow).toBeLessThanOrEqual(i === 0 ? 6 : 2);
    }
    // Each thread's shared client: one connection per node, two threads.
    for (const node of multiplexed.nodes) expect(node.connections.peakOpenInWindow).toBe(2);
  }, 60_000);
});

describe('merging the cluster runs of two load machines', () => {
  it('adds up each node: requests, histograms, connections, and size predicts for both instances', async () => {
    const dir = tempDir('cluster-merge');
    const startAt = new Date(Date.now() + 3000).toISOString();
    const args = (file: string) => [
      'bench',
      '--url',
      url,
      '--cluster',
      '--strategy',
      'pooled',
      '--pool-size',
      '3',
      '-c',
      '4',
      '-d',
      '1s',
      '--warmup',
      '0',
      '--start-at',
      startAt,
      '--run-id',
      'two',
      '--output',
      join(dir, file),
      '-q',
    ];
    const runs = await Promise.all([runCli(args('a.json')), runCli(args('b.json'))]);
    for (const run of runs) expect(run.exitCode).toBe(0);
    const merged = await runCli(['merge', join(dir, 'a.json'), join(dir, 'b.json'), '--json']);
    expect(merged.exitCode).toBe(0);
    const result = writtenDocument(merged.stdout, 'bench');
    const inputs = ['a.json', 'b.json'].map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as BenchResult);
    const pooled = result.results[0]!.cluster!;
    expect(result.results[0]!.predictedConnections).toMatchObject({ perNode: 6, perProcess: 9 });
    for (const node of pooled.nodes) {
      const parts = inputs.map((i) => i.results[0]!.cluster!.nodes.find((n) => n.node === node.node)!);
      expect(node.requests).toBe(parts[0]!.requests + parts[1]!.requests);
      expect(node.latency!.count).toBe(parts[0]!.latency!.count + parts[1]!.latency!.count);
      expect(node.latency!.max).toBe(Math.max(parts[0]!.latency!.max, parts[1]!.latency!.max));
      expect(node.connections.opened).toBe(parts[0]!.connections.opened + parts[1]!.connections.opened);
    }
  }, 60_000);
});

describe('a failover during a run', () => {
  let withReplicas: EphemeralCluster;
  beforeAll(async () => {
    withReplicas = await startEphemeralCluster(3, 1);
  }, 60_000);
  afterAll(async () => {
    await withReplicas?.stop();
  });

  it('is counted and followed: the promoted replica serves the slots, for the pool per shard and ioredis Cluster', async () => {
    const seed = withReplicas.seeds[0]!;
    const [pooledSlot, multiplexedSlot] = hashTags()
      .slice(0, 2)
      .map((tag) => slotOf(`{${tag}}`));
    const run = startCli([
      'bench',
      '--url',
      `redis://${seed.host}:${seed.port}`,
      '--cluster',
      '--json',
      '--strategy',
      'pooled,multiplexed',
      '-d',
      '3s',
      '--warmup',
      '0',
      '-c',
      '8',
      '-q',
    ]);
    const failovers = async () => {
      await untilClientNamed(withReplicas, ':pooled');
      const first = await failOver(withReplicas, pooledSlot!);
      await untilClientNamed(withReplicas, ':multiplexed');
      return [first, await failOver(withReplicas, multiplexedSlot!)] as const;
    };
    const promoted = await failovers().catch((error: unknown) => {
      run.child.kill('SIGKILL');
      throw new Error(`${String(error)}; the bench said: ${run.stderr()}`);
    });
    const done = await run.done;
    expect(done.stderr).toBe('');
    expect(done.exitCode).toBe(0);
    const result = writtenDocument(done.stdout, 'bench');
    expect(result.target.cluster!.nodes.filter((n) => n.role === 'replica')).toHaveLength(3);
    for (const [i, run] of result.results.entries()) {
      const cluster = run.cluster!;
      expect({ label: run.label, errors: run.errorsByKind }).toEqual({ label: run.label, errors: {} });
      expect(cluster.topologyChanged).toBe(true);
      expect(cluster.redirects.moved).toBeGreaterThan(0);
      // Every request is filed under the node that served it, the promoted replica included.
      expect(cluster.nodes.reduce((sum, n) => sum + n.requests, 0)).toBe(run.latency.count);
      expect(cluster.nodes.find((n) => n.node === promoted[i]!.to)!.requests).toBeGreaterThan(0);
      // size counts the shards, not the replicas.
      expect(run.predictedConnections!.perProcess).toBe(run.predictedConnections!.pool * 3);
    }
    expect(await toolKeysOnEveryNode(withReplicas)).toBe(0);
  }, 120_000);
});
