import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { TargetError } from '../errors.js';
import { nodeAddress } from './cluster-topology.js';
import { cliBeside, serverBinary, startEphemeralServer, type EphemeralServer } from './ephemeral-server.js';

const run = promisify(execFile);

/** A throwaway Redis (or Valkey) Cluster on loopback: every slot assigned, stopped with stop(). */
export interface EphemeralCluster {
  nodes: EphemeralServer[];
  /** host:port of every node (the masters first), for a cluster client's seed list. */
  seeds: { host: string; port: number }[];
  stop(): Promise<void>;
}

/** How long a new cluster may take to agree on its slots (gossip over loopback takes a second or two). */
const READY_WITHIN_MS = 20_000;

/**
 * `masters` × (1 + `replicasPerMaster`) redis-servers with --cluster-enabled, each on a free port with its own
 * directory (for nodes.conf), joined with `redis-cli --cluster create … --cluster-replicas n --cluster-yes`
 * (Debian: redis-tools), as an operator would; resolves once every node reports cluster_state:ok and sees every
 * master, and every replica's link to its master is up. With REDIS_POOL_SERVER_BINARY=valkey-server, valkey-servers
 * joined with valkey-cli (Debian: valkey-tools).
 */
export async function startEphemeralCluster(masters = 3, replicasPerMaster = 0): Promise<EphemeralCluster> {
  const nodes: EphemeralServer[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.stop()));
  };
  const cli = cliBeside(serverBinary());
  try {
    for (let i = 0; i < masters * (1 + replicasPerMaster); i++)
      nodes.push(await startEphemeralServer({ args: ['--cluster-enabled', 'yes', '--cluster-node-timeout', '2000'] }));
    const addresses = nodes.map(nodeAddress);
    await run(cli, [
      '--cluster',
      'create',
      ...addresses,
      '--cluster-replicas',
      String(replicasPerMaster),
      '--cluster-yes',
    ]).catch((caught: unknown) => {
      // execFile's failure: its errno code when redis-cli could not start, its stderr when it ran and failed.
      const error = caught as NodeJS.ErrnoException & { stderr?: string };
      if (error.code === 'ENOENT')
        throw new TargetError(
          `${cli} is not on PATH: a throwaway cluster is created with ${cli} ` +
            `--cluster create (Debian/Ubuntu: sudo apt-get install ${toolsPackage(cli)}), or pass --url`,
        );
      throw new TargetError(
        `${cli} --cluster create failed: ${(error.stderr ?? error.message).trim().split('\n').at(-1)}`,
      );
    });
    await waitUntilReady(nodes, masters);
    return { nodes, seeds: nodes.map((n) => ({ host: n.host, port: n.port })), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The Debian package of a cluster's command-line client: valkey-tools (from bookworm-backports), redis-tools. */
function toolsPackage(cli: string): string {
  return /(^|\/)valkey-cli$/.test(cli) ? '-t bookworm-backports valkey-tools' : 'redis-tools';
}

async function waitUntilReady(nodes: readonly EphemeralServer[], masters: number): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  for (;;) {
    if ((await Promise.all(nodes.map((n) => nodeReady(n, masters)))).every(Boolean)) return;
    if (Date.now() > deadline)
      throw new TargetError(`the cluster did not become ready within ${READY_WITHIN_MS / 1000} s`);
    await sleep(100);
  }
}

async function nodeReady(node: EphemeralServer, masters: number): Promise<boolean> {
  const client = new Redis({
    host: node.host,
    port: node.port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await client.connect();
    const info = String(await client.call('CLUSTER', 'INFO'));
    const known = Number(/cluster_size:(\d+)/.exec(info)?.[1] ?? 0);
    const replication = String(await client.call('INFO', 'replication'));
    const linked = !replication.includes('role:slave') || replication.includes('master_link_status:up');
    return info.includes('cluster_state:ok') && known === masters && linked;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
