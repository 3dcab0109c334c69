import type { PoolStats, StrategyName } from '../../schema/bench.js';
import type { Connection } from './connection.js';

/**
 * How a request gets a connection. The load loop only ever calls acquire → commands → release, so a new way of
 * holding connections (a cluster client with a pool per shard, say) is one more implementation of this.
 */
export interface Strategy<C extends Connection = Connection> {
  readonly name: StrategyName;
  /**
   * True when acquire() opens the connection for this one request, so that the request holds it from the start
   * of the acquire; false when acquire() hands over a connection that already exists (the hold starts then).
   */
  readonly holdIncludesAcquire: boolean;
  /** Open what must exist before the first request: the pool's idle minimum, the shared connection. */
  start(): Promise<void>;
  /** A connection for a request of hash tag `tag` (see Workload): against a cluster, it picks the shard. */
  acquire(tag: number): Promise<C>;
  /** A connection at once when one is free and needs no check (the pool's idle list), else undefined: acquire() then. */
  acquireNow?(tag: number): C | undefined;
  /** The request on the acquired connection, where the strategy must see its errors (a cluster's redirections); else the workload runs it. */
  run?(client: C, tag: number): Promise<unknown>;
  /** Give the connection back; `broken` after a connection-level error, so it is not reused. */
  release(client: C, broken: boolean): void | Promise<void>;
  /** Close every connection the strategy opened. */
  close(): Promise<void>;
  poolStats(): PoolStats | null;
  /** Pooled: connections lent out right now, the caller's included (how many requests hold one at once). */
  busyConnections?(): number;
}
