import type { ClientFactory, RedisClient } from './client-factory.js';
import type { Strategy } from './strategy.js';

/**
 * Node's idiom: one connection shared by every worker; commands are pipelined on it as they come. Against a
 * cluster, the one client is ioredis' Cluster: one connection per node, each shared the same way.
 */
export class MultiplexedStrategy implements Strategy<RedisClient> {
  readonly name = 'multiplexed' as const;
  readonly holdIncludesAcquire = false;
  /** The shared connection, or the one being opened, for every worker that asks meanwhile. */
  private shared: Promise<RedisClient> | null = null;
  private sharedClient: RedisClient | null = null;
  /** Every connection opened, so that none outlives close() after a reconnect. */
  private readonly clients = new Set<RedisClient>();

  constructor(
    readonly factory: ClientFactory,
    /** Opens the shared client: a connection (the default), or a cluster client. */
    private readonly open: () => Promise<RedisClient> = () => factory.connect(),
  ) {}

  async start(): Promise<void> {
    await this.acquire();
  }

  /** The shared connection; if it broke, one replacement is opened for all the workers that ask at once. */
  acquire(): Promise<RedisClient> {
    if (this.shared === null) {
      const opening = this.open().then((client) => {
        this.clients.add(client);
        if (this.shared === opening) this.sharedClient = client;
        return client;
      });
      this.shared = opening;
      opening.catch(() => {
        if (this.shared === opening) this.shared = null;
      });
    }
    return this.shared;
  }

  /** The shared connection once it is open, without a promise: the load loop's hot path. */
  acquireNow(): RedisClient | undefined {
    return this.sharedClient ?? undefined;
  }

  /** A broken shared connection is dropped at once (synchronously), so the next acquire opens a new one. */
  release(client: RedisClient, broken: boolean): void {
    if (!broken || client.status === 'ready') return;
    client.disconnect();
    if (this.sharedClient === client) {
      this.shared = null;
      this.sharedClient = null;
    }
  }

  async close(): Promise<void> {
    const opening = this.shared;
    this.shared = null;
    this.sharedClient = null;
    await opening?.catch(() => null);
    await Promise.all([...this.clients].map((client) => this.factory.close(client)));
    this.clients.clear();
  }

  poolStats(): null {
    return null;
  }
}
