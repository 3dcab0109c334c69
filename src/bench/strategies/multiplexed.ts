import type { Redis } from 'ioredis';
import type { ClientFactory } from '../../redis/client-factory.js';
import type { Strategy } from './strategy.js';

/** Node's idiom: one connection shared by every worker; commands are pipelined on it as they come. */
export class MultiplexedStrategy implements Strategy {
  readonly name = 'multiplexed' as const;
  readonly label = 'multiplexed(1 conn)';
  private shared: Promise<Redis> | null = null;

  constructor(readonly factory: ClientFactory) {}

  async start(): Promise<void> {
    await this.acquire();
  }

  /** The shared connection; if it broke, one replacement is opened for all the workers that ask at once. */
  acquire(): Promise<Redis> {
    if (this.shared === null) {
      const opening = this.factory.connect();
      this.shared = opening;
      opening.catch(() => {
        if (this.shared === opening) this.shared = null;
      });
    }
    return this.shared;
  }

  release(client: Redis, broken: boolean): void {
    if (broken && client.status !== 'ready') {
      client.disconnect();
      void this.shared?.then((current) => {
        if (current === client) this.shared = null;
      });
    }
  }

  async close(): Promise<void> {
    const shared = this.shared;
    this.shared = null;
    const client = shared ? await shared.catch(() => null) : null;
    if (client) await this.factory.close(client);
  }

  poolStats(): null {
    return null;
  }
}
