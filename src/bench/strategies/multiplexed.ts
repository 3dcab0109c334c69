import type { ClientFactory, RedisClient } from './client-factory.js';
import { SharedConnection } from './shared-connection.js';
import type { Strategy } from './strategy.js';

/**
 * Node's idiom: one connection shared by every worker; commands are pipelined on it as they come. Against a
 * cluster, the one client is ioredis' Cluster: one connection per node, each shared the same way.
 */
export class MultiplexedStrategy implements Strategy<RedisClient> {
  readonly name = 'multiplexed' as const;
  readonly holdIncludesAcquire = false;
  private readonly shared: SharedConnection<RedisClient>;

  constructor(
    readonly factory: ClientFactory,
    /** Opens the shared client: a connection (the default), or a cluster client. */
    open: () => Promise<RedisClient> = () => factory.connect(),
  ) {
    this.shared = new SharedConnection(open);
  }

  async start(): Promise<void> {
    await this.acquire();
  }

  acquire(): Promise<RedisClient> {
    return this.shared.get();
  }

  acquireNow(): RedisClient | undefined {
    return this.shared.now();
  }

  release(client: RedisClient, broken: boolean): void {
    if (!broken || client.status === 'ready') return;
    client.disconnect();
    this.shared.drop(client);
  }

  close(): Promise<void> {
    return this.shared.close((client) => this.factory.close(client));
  }

  poolStats(): null {
    return null;
  }
}
