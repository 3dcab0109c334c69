import { Cluster, type ClusterOptions, type Redis } from 'ioredis';
import type { Histogram } from '../../histograms.js';
import { CheckedRedis } from '../../redis/checked-redis.js';
import { clientOptions, type ClientSettings } from '../../redis/client-options.js';
import { nodeAddress } from '../../redis/cluster-topology.js';
import { connectReady } from '../../redis/connect.js';
import type { RedisTarget } from '../../redis/url.js';
import { ConnectionTally, type ConnectionCounts, type CountedConnections } from './connection-tally.js';

/** What a strategy hands the workload: one connection, or a cluster client that routes each command itself. */
export type RedisClient = Redis | Cluster;

/** ioredis' cluster options with its node connections' replies in the default ("legacy") shapes, as the single server's. */
type LegacyClusterOptions = ClusterOptions & {
  redisOptions?: ClusterOptions['redisOptions'] & { replyMapping?: 'legacy' };
};

/** Redirections a cluster client follows, seen as the error replies that cause them (MOVED, ASK, TRYAGAIN, CLUSTERDOWN). */
export type ClusterErrorListener = (error: Error) => void;

/** ioredis' Cluster, telling every redirection it handles: ioredis follows them silently otherwise. */
class CountingCluster extends Cluster {
  constructor(
    startupNodes: ConstructorParameters<typeof Cluster>[0],
    options: LegacyClusterOptions,
    private readonly onClusterError: ClusterErrorListener | null,
  ) {
    super(startupNodes, options);
  }

  override handleError(error: Error, ttl: { value?: number }, handlers: Parameters<Cluster['handleError']>[2]): void {
    this.onClusterError?.(error);
    super.handleError(error, ttl, handlers);
  }
}

/**
 * Opens ioredis connections for one strategy and counts them. A socket counts as opened when it connects and as
 * closed when it closes, so reconnects and broken connections are counted as what they are. Against a cluster,
 * every socket is also counted under the node it goes to (byNode).
 */
export class ClientFactory implements CountedConnections {
  private readonly total = new ConnectionTally();
  /** Per cluster node (host:port): the sockets to it. Empty against a single server. */
  readonly byNode = new Map<string, ConnectionTally>();

  constructor(
    private readonly target: RedisTarget,
    private readonly settings: ClientSettings,
    /** Connection name shown by CLIENT LIST, so the tool's own connections can be told apart. */
    private readonly connectionName: string,
    /** Socket opened → connection ready, integer µs; null when not recorded (warm-up). */
    public connectHistogram: Histogram | null,
    /** The same split in two: socket (TCP + TLS) and setup (AUTH, SELECT, ready check). */
    public phaseHistograms: { socket: Histogram; setup: Histogram } | null = null,
  ) {}

  get counts(): ConnectionCounts {
    return this.total.counts;
  }

  get openNow(): number {
    return this.total.openNow;
  }

  /** Start the window's peaks afresh, the factory's and every node's. */
  markPeak(): void {
    this.total.markPeak();
    for (const tally of this.byNode.values()) tally.markPeak();
  }

  get peakOpenSinceMark(): number {
    return this.total.peakOpenSinceMark;
  }

  /** A new connection, ready for commands (the full setup a client does); to `node` of a cluster if given. */
  async connect(node?: { host: string; port: number }): Promise<CheckedRedis> {
    const target = node ? { ...this.target, host: node.host, port: node.port } : this.target;
    const client = new CheckedRedis(clientOptions(target, this.settings, this.connectionName));
    this.track(client, node ? this.nodeTally(nodeAddress(node)) : null);
    const start = process.hrtime.bigint();
    let socketAt = start;
    if (this.phaseHistograms) client.once('connect', () => (socketAt = process.hrtime.bigint()));
    try {
      await connectReady(client);
    } catch (error) {
      this.total.counts.connectErrors++;
      client.disconnect();
      throw error;
    }
    const ready = process.hrtime.bigint();
    this.connectHistogram?.recordValue(Number((ready - start) / 1000n));
    this.phaseHistograms?.socket.recordValue(Number((socketAt - start) / 1000n));
    this.phaseHistograms?.setup.recordValue(Number((ready - socketAt) / 1000n));
    return client;
  }

  /**
   * A new cluster client from the target as its seed, ready: the slot map read (CLUSTER SLOTS, on a connection of
   * its own) and the cluster's state checked, as ioredis does. Its connect time is that whole discovery. Node
   * connections open on their first command; every socket is counted under its node, the discovery's included.
   */
  async connectCluster(onClusterError: ClusterErrorListener | null = null): Promise<Cluster> {
    const { host, port, ...nodeOptions } = clientOptions(this.target, this.settings, this.connectionName);
    const cluster = new CountingCluster(
      [{ host: host!, port: port! }],
      clusterOptions(nodeOptions, this.settings),
      onClusterError,
    );
    cluster.on('+node', (redis: Redis) => this.trackNode(redis));
    cluster.on('error', () => {});
    const start = process.hrtime.bigint();
    try {
      await cluster.connect();
    } catch (error) {
      this.total.counts.connectErrors++;
      cluster.disconnect();
      throw error;
    }
    this.connectHistogram?.recordValue(Number((process.hrtime.bigint() - start) / 1000n));
    return cluster;
  }

  /**
   * Close gracefully (QUIT, so the server closes first and the TIME_WAIT lands on its side), or drop it if broken,
   * and wait until the socket is really closed, as a client's close() does before the caller moves on.
   */
  async close(client: RedisClient): Promise<void> {
    if (client.status === 'end') return;
    const ended = new Promise<void>((resolve) => client.once('end', resolve));
    if (client.status === 'ready') {
      await client.quit().catch(() => client.disconnect());
    } else {
      client.disconnect();
    }
    await ended;
  }

  private nodeTally(address: string): ConnectionTally {
    let tally = this.byNode.get(address);
    if (!tally) {
      tally = new ConnectionTally();
      this.byNode.set(address, tally);
    }
    return tally;
  }

  /**
   * A cluster client's connection to one node, and the connections it duplicates from it to read the slot map
   * (ioredis' "refresher"), which it never announces.
   */
  private trackNode(redis: Redis): void {
    const tally = this.nodeTally(nodeAddress({ host: redis.options.host!, port: redis.options.port! }));
    this.track(redis, tally);
    const duplicate = redis.duplicate.bind(redis);
    redis.duplicate = (...args: Parameters<Redis['duplicate']>) => {
      const copy = duplicate(...args);
      this.track(copy, tally);
      return copy;
    };
  }

  private track(client: Redis, node: ConnectionTally | null): void {
    let connected = false;
    client.on('connect', () => {
      connected = true;
      this.total.socketOpened();
      node?.socketOpened();
    });
    client.on('close', () => {
      if (!connected) return;
      connected = false;
      this.total.socketClosed();
      node?.socketClosed();
    });
    // Errors surface through the commands that fail; an unhandled 'error' event would crash the process.
    client.on('error', () => {});
  }
}

/**
 * The cluster client as a service would set it up: node connections with the single-server settings (no
 * reconnection of their own), redirections followed (16 at most, ioredis' default), no retry of the whole
 * cluster after it failed (the benchmark counts the failure), reads from masters only.
 */
function clusterOptions(
  redisOptions: LegacyClusterOptions['redisOptions'],
  settings: ClientSettings,
): LegacyClusterOptions {
  return {
    redisOptions,
    lazyConnect: true,
    enableReadyCheck: true,
    enableOfflineQueue: true,
    maxRedirections: 16,
    retryDelayOnMoved: 0,
    retryDelayOnTryAgain: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnFailover: 100,
    clusterRetryStrategy: () => null,
    slotsRefreshTimeout: settings.connectTimeoutMs,
    scaleReads: 'master',
    ...(settings.autoPipelining ? { enableAutoPipelining: true } : {}),
  };
}
