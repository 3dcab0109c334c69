import type { ClientFactory, RedisClient } from './client-factory.js';
import type { Strategy } from './strategy.js';

/**
 * The anti-pattern: a new connection (full setup) for every request, closed after it. Against a cluster, a new
 * cluster client: its slot discovery, then a connection to the node of the request's key.
 */
export class PerRequestStrategy implements Strategy<RedisClient> {
  readonly name = 'per-request' as const;
  readonly holdIncludesAcquire = true;
  private readonly closing = new Set<Promise<void>>();

  constructor(
    readonly factory: ClientFactory,
    private readonly open: () => Promise<RedisClient> = () => factory.connect(),
  ) {}

  async start(): Promise<void> {}

  acquire(): Promise<RedisClient> {
    return this.open();
  }

  /** The worker waits for the close, as code that closes its client before returning does. */
  release(client: RedisClient, broken: boolean): Promise<void> {
    if (broken) {
      client.disconnect();
      return Promise.resolve();
    }
    const closing = this.factory.close(client);
    this.closing.add(closing);
    return closing.finally(() => this.closing.delete(closing));
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.closing]);
  }

  poolStats(): null {
    return null;
  }
}
