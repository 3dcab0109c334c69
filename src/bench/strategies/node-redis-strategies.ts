import { createClientPool, type RedisClientPoolType } from 'redis';
import type { PoolConfig, PoolCounter, PoolStats, StrategyName } from '../../schema/bench.js';
import { POOL_COUNTERS } from '../../schema/names.js';
import { NodeRedisConnection, setupFailure, type NodeRedisClient, type NodeRedisFactory } from './node-redis-client.js';
import { SharedConnection } from './shared-connection.js';
import type { Strategy } from './strategy.js';

/**
 * The three strategies with node-redis' own code: a client per request, its own pool (createClientPool), one
 * shared client. The load loop, the workload and the recording are the same as ioredis runs have.
 */
export function createNodeRedisStrategy(
  name: StrategyName,
  factory: NodeRedisFactory,
  pool: PoolConfig,
): Strategy<NodeRedisConnection> {
  switch (name) {
    case 'per-request':
      return new NodeRedisPerRequestStrategy(factory);
    case 'pooled':
      return new NodeRedisPooledStrategy(factory, pool);
    case 'multiplexed':
      return new NodeRedisMultiplexedStrategy(factory);
  }
}

/** createClient(), connect, the request, close(): a service that opens a client per request. */
class NodeRedisPerRequestStrategy implements Strategy<NodeRedisConnection> {
  readonly name = 'per-request' as const;
  readonly holdIncludesAcquire = true;
  private readonly closing = new Set<Promise<void>>();

  constructor(private readonly factory: NodeRedisFactory) {}

  async start(): Promise<void> {}

  acquire(): Promise<NodeRedisConnection> {
    return this.factory.connect();
  }

  /** close() waits for the pending replies and then closes the socket; the worker waits for it. */
  release(connection: NodeRedisConnection, broken: boolean): Promise<void> {
    if (broken || !connection.isReady) {
      connection.client.destroy();
      return Promise.resolve();
    }
    const closing = connection.client.close().catch(() => connection.client.destroy());
    this.closing.add(closing);
    return closing.finally(() => this.closing.delete(closing));
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.closing]);
    this.factory.dispose();
  }

  poolStats(): null {
    return null;
  }
}

/** One client shared by every worker; node-redis pipelines what is sent in one tick on it by itself. */
class NodeRedisMultiplexedStrategy implements Strategy<NodeRedisConnection> {
  readonly name = 'multiplexed' as const;
  readonly holdIncludesAcquire = false;
  private readonly shared: SharedConnection<NodeRedisConnection>;

  constructor(private readonly factory: NodeRedisFactory) {
    this.shared = new SharedConnection(() => factory.connect());
  }

  async start(): Promise<void> {
    await this.acquire();
  }

  acquire(): Promise<NodeRedisConnection> {
    return this.shared.get();
  }

  acquireNow(): NodeRedisConnection | undefined {
    return this.shared.now();
  }

  release(connection: NodeRedisConnection, broken: boolean): void {
    if (!broken || connection.isReady) return;
    connection.client.destroy();
    this.shared.drop(connection);
  }

  async close(): Promise<void> {
    await this.shared.close(closeOrDestroy);
    this.factory.dispose();
  }

  poolStats(): null {
    return null;
  }
}

/**
 * node-redis' own pool, with its own options mapped from the pool flags: size → maximum, minIdle → minimum,
 * acquireTimeoutMs → acquireTimeout, idleTimeoutMs → cleanupDelay. A request asks the pool with execute(): the
 * client it is handed is the acquired connection, and the task it runs lasts until the load loop releases it,
 * so the pool's own queue, growth and cleanup decide everything in between.
 */
class NodeRedisPooledStrategy implements Strategy<NodeRedisConnection> {
  readonly name = 'pooled' as const;
  readonly holdIncludesAcquire = false;
  private readonly pool: RedisClientPoolType;
  /** One adapter per client of the pool, made when the pool first hands it over. */
  private readonly connections = new WeakMap<NodeRedisClient, NodeRedisConnection>();
  /** The task acquireNow() could not run at once, for the acquire() that follows it. */
  private waiting: Promise<NodeRedisConnection> | null = null;
  /** Lent out now: what busyConnections() reports to the load loop. */
  private borrowed = 0;
  private readonly counters = Object.fromEntries(POOL_COUNTERS.map((counter) => [counter, 0])) as Record<
    PoolCounter,
    number
  >;

  constructor(
    private readonly factory: NodeRedisFactory,
    private readonly settings: PoolConfig,
  ) {
    this.pool = createClientPool(factory.options, {
      maximum: settings.size,
      minimum: settings.minIdle,
      acquireTimeout: settings.acquireTimeoutMs,
      cleanupDelay: settings.idleTimeoutMs,
    });
    this.pool.on('error', () => {});
  }

  /** node-redis opens `minimum` clients at connect(). */
  async start(): Promise<void> {
    try {
      await this.pool.connect();
    } catch (error) {
      this.factory.noteConnectError();
      throw setupFailure(error);
    }
  }

  /**
   * Asks the pool for a client (execute()). node-redis runs the task at once when a client is idle: that client is
   * returned here, with no promise of ours. Otherwise the task waits in the pool's queue, and acquire(), which the
   * load loop calls next, returns the promise of its client.
   */
  acquireNow(): NodeRedisConnection | undefined {
    let handed: NodeRedisConnection | undefined;
    let queued: { since: bigint; resolve: (c: NodeRedisConnection) => void } | null = null;
    const task = (client: NodeRedisClient): Promise<void> => {
      const connection = this.handedOver(client, queued?.since ?? null);
      if (queued === null) {
        handed = connection;
      } else {
        // Only a queued task gets here, once execute() has returned (a task run at once does not).
        connection.taskSettled = settled;
        queued.resolve(connection);
      }
      return new Promise<void>((giveBack) => (connection.giveBack = giveBack));
    };
    const settled: Promise<unknown> = this.pool.execute(task);
    if (handed !== undefined) {
      handed.taskSettled = settled;
      return handed;
    }
    // The task waits in node-redis' queue (or the pool refused it at once: closed).
    this.waiting = new Promise<NodeRedisConnection>((resolve, reject) => {
      queued = { since: process.hrtime.bigint(), resolve };
      settled.catch((error: unknown) => reject(this.refused(error)));
    });
    return undefined;
  }

  /** The client of the task acquireNow() left waiting in the pool's queue. */
  acquire(): Promise<NodeRedisConnection> {
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting !== null) return waiting;
    const connection = this.acquireNow();
    return connection !== undefined ? Promise.resolve(connection) : this.acquire();
  }

  /** Before a client was handed over: the pool timed out, or the client it opened for the task failed. */
  private refused(error: unknown): unknown {
    if (error instanceof Error && error.message.startsWith('Timeout waiting')) {
      this.counters.timeouts++;
      this.counters.waitCount++;
    } else {
      this.factory.noteConnectError();
    }
    return setupFailure(error);
  }

  /**
   * Gives the client back however the request went (node-redis itself replaces one that broke), and resolves once
   * node-redis' pool has it again: its task's promise settles first, and the pool takes the client back in the
   * step after (its .finally()), which runs before this promise's continuation. Without the wait, a worker that
   * asks again at once would always find its own client not yet back and queue for it, a wait of a few microtasks
   * that no service with requests of its own would see.
   */
  release(connection: NodeRedisConnection): Promise<void> {
    const giveBack = connection.giveBack;
    const settled = connection.taskSettled;
    connection.giveBack = null;
    connection.taskSettled = null;
    this.borrowed--;
    giveBack?.();
    return settled !== null ? settled.then(afterReturn, afterReturn) : Promise.resolve();
  }

  busyConnections(): number {
    return this.borrowed;
  }

  async close(): Promise<void> {
    await this.pool.close().catch(() => this.pool.destroy());
    this.factory.dispose();
  }

  /**
   * The pool counters as this tool's pool keeps them, from what node-redis' pool shows: a client handed over at
   * once is a hit; one handed over after a wait is a miss the first time that client is seen (the pool opened it
   * for a queued task), else a hit (another task gave it back); the clients it opened and closed are the
   * client-side connection counts. The gauges are the pool's own getters.
   */
  poolStats(): PoolStats {
    const { counts } = this.factory;
    return {
      ...this.counters,
      created: counts.opened,
      destroyed: counts.closed,
      createErrors: counts.connectErrors,
      pending: this.pool.tasksQueueLength,
      totalConns: this.pool.totalClients,
      idleConns: this.pool.idleClients,
      peakTotal: counts.peakOpen,
      max: this.settings.size,
      minIdle: this.settings.minIdle,
    };
  }

  /** The client the pool ran the task with: counted, and lent out until release(). */
  private handedOver(client: NodeRedisClient, waitedSince: bigint | null): NodeRedisConnection {
    this.borrowed++;
    let connection = this.connections.get(client);
    const firstTime = connection === undefined;
    if (connection === undefined) {
      connection = new NodeRedisConnection(client);
      this.connections.set(client, connection);
    }
    if (waitedSince === null) {
      this.counters.hits++;
    } else {
      this.counters.waitCount++;
      this.counters.waitDurationUs += Number((process.hrtime.bigint() - waitedSince) / 1000n);
      if (firstTime) this.counters.misses++;
      else this.counters.hits++;
    }
    return connection;
  }
}

/** Close gracefully (node-redis waits for the pending replies) a client that is ready; destroy one that is not. */
async function closeOrDestroy(connection: NodeRedisConnection): Promise<void> {
  if (connection.isReady) await connection.client.close();
  else connection.client.destroy();
}

const afterReturn = (): void => {};
