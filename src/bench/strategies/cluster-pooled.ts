import type { Redis } from 'ioredis';
import type { PoolOptions } from '../../pool/pool.js';
import type { ClientFactory, RedisClient } from './client-factory.js';
import { addPoolStats } from '../../pool/pool-stats.js';
import type { PoolStats } from '../../schema/bench.js';
import { nodeAddress, parseNodeAddress } from '../../redis/cluster-topology.js';
import { parseRedirect, type ClusterRouting } from './cluster-routing.js';
import { PooledStrategy } from './pooled.js';
import type { Strategy } from './strategy.js';

/** Runs one request of hash tag `tag` on a connection, with ASKING before each command when asked. */
export type RequestRunner = (client: RedisClient, tag: number, asking?: boolean) => Promise<unknown>;

/** More redirections than this for one request is a cluster that does not settle: the request fails (ioredis' default). */
const MAX_REDIRECTIONS = 16;
const TRYAGAIN_DELAY_MS = 100;

/**
 * A pool of exclusive connections per shard, as cluster-aware pools keep them (Jedis, go-redis): the request's
 * hash tag gives its slot (CRC16), the slot map gives the shard, that shard's pool lends the connection. A
 * redirection is followed the way those clients do: MOVED updates the slot map and the request runs again on
 * the new owner's pool; ASK runs it once on the target's pool after ASKING; TRYAGAIN runs it again a little later.
 */
export class ClusterPooledStrategy implements Strategy<RedisClient> {
  readonly name = 'pooled' as const;
  readonly holdIncludesAcquire = false;
  private readonly pools = new Map<string, PooledStrategy>();
  /** Which shard's pool lent each connection out now, so that it goes back there. */
  private readonly lender = new Map<RedisClient, PooledStrategy>();

  constructor(
    readonly factory: ClientFactory,
    private readonly options: PoolOptions,
    private readonly routing: ClusterRouting,
    private readonly runRequest: RequestRunner,
  ) {}

  /** Every master's pool, each with its idle minimum. */
  async start(): Promise<void> {
    await Promise.all(this.routing.addresses.map((address) => this.poolOf(address).start()));
  }

  acquire(tag: number): Promise<RedisClient> {
    return this.borrowFrom(this.poolOf(this.routing.nodeOfTag(tag)));
  }

  acquireNow(tag: number): RedisClient | undefined {
    const pool = this.poolOf(this.routing.nodeOfTag(tag));
    const client = pool.acquireNow();
    if (client !== undefined) this.lender.set(client, pool);
    return client;
  }

  /** The request, following the cluster's redirections on other shards' connections, borrowed for the time it takes. */
  async run(client: RedisClient, tag: number): Promise<unknown> {
    let on = client;
    let asking = false;
    try {
      for (let redirections = 0; ; redirections++) {
        try {
          return await this.runRequest(on, tag, asking);
        } catch (error) {
          const redirect = parseRedirect(error);
          if (redirect === null || redirections >= MAX_REDIRECTIONS) throw error;
          this.routing.noteRedirect(redirect, this.addressOf(on));
          if (redirect.kind === 'clusterdown') throw error;
          if (redirect.kind === 'tryagain') await new Promise((resolve) => setTimeout(resolve, TRYAGAIN_DELAY_MS));
          asking = redirect.kind === 'ask';
          const next =
            redirect.kind === 'tryagain'
              ? this.addressOf(on)
              : redirect.kind === 'ask'
                ? redirect.to!
                : this.routing.nodeOfTag(tag);
          if (next === this.addressOf(on)) continue;
          if (on !== client) this.release(on, false);
          on = client;
          if (next !== this.addressOf(client)) on = await this.borrowFrom(this.poolOf(next));
        }
      }
    } finally {
      // The request's own connection goes back through the load loop; one borrowed to follow a redirection, here.
      if (on !== client) this.release(on, false);
    }
  }

  release(client: RedisClient, broken: boolean): void {
    const pool = this.lender.get(client);
    this.lender.delete(client);
    pool?.release(client as Redis, broken);
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
  }

  /** The shards' pools added up: counters summed, gauges (max, idle, peak) summed over the shards. */
  poolStats(): PoolStats | null {
    const all = [...this.pools.values()].map((pool) => pool.poolStats());
    return all.length > 0 ? addPoolStats(all as [PoolStats, ...PoolStats[]]) : null;
  }

  private async borrowFrom(pool: PooledStrategy): Promise<RedisClient> {
    const client = await pool.acquire();
    this.lender.set(client, pool);
    return client;
  }

  private addressOf(client: RedisClient): string {
    const { host, port } = (client as Redis).options;
    return nodeAddress({ host: host!, port: port! });
  }

  /** The pool of one node, made the first time the node is named (a node a MOVED points to is new). */
  private poolOf(address: string): PooledStrategy {
    let pool = this.pools.get(address);
    if (!pool) {
      const node = parseNodeAddress(address);
      pool = new PooledStrategy(this.factory, this.options, () => this.factory.connect(node));
      this.pools.set(address, pool);
    }
    return pool;
  }
}
