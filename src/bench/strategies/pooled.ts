import type { Redis } from 'ioredis';
import { Pool, type PoolOptions } from '../../pool/pool.js';
import type { PoolStats } from '../../schema/bench.js';
import type { ClientFactory } from './client-factory.js';
import type { Strategy } from './strategy.js';

/** A pool of exclusive connections: a request borrows one, runs its commands, gives it back. */
export class PooledStrategy implements Strategy<Redis> {
  readonly name = 'pooled' as const;
  readonly holdIncludesAcquire = false;
  private readonly pool: Pool<Redis>;

  constructor(
    readonly factory: ClientFactory,
    options: PoolOptions,
    /** Opens one connection of the pool: to the target (the default), or to one node of a cluster. */
    open: () => Promise<Redis> = () => factory.connect(),
  ) {
    this.pool = new Pool<Redis>(
      {
        create: open,
        destroy: (client) => factory.close(client),
        validate: async (client) => client.status === 'ready' && (await client.ping()) === 'PONG',
      },
      options,
    );
  }

  start(): Promise<void> {
    return this.pool.start();
  }

  acquire(): Promise<Redis> {
    return this.pool.acquire();
  }

  acquireNow(): Redis | undefined {
    return this.pool.acquireIdle();
  }

  release(client: Redis, broken: boolean): void {
    if (broken || client.status !== 'ready') this.pool.destroy(client);
    else this.pool.release(client);
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  busyConnections(): number {
    return this.pool.borrowedCount;
  }

  poolStats(): PoolStats {
    return this.pool.stats();
  }
}
