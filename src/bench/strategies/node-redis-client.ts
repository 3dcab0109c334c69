import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createClient, type RedisClientOptions, type RedisClientType } from 'redis';
import type { Histogram } from '../../histograms.js';
import type { ClientSettings } from '../../redis/client-options.js';
import { SetupRefusedError } from '../../redis/checked-redis.js';
import { isNodeRedisErrorReply } from '../../redis/reply-errors.js';
import { isServerFullReply } from '../../redis/resp.js';
import { tlsConnectionOptions } from '../../redis/tls.js';
import type { RedisTarget } from '../../redis/url.js';
import type { Connection, Pipeline } from './connection.js';
import { ConnectionTally, type ConnectionCounts, type CountedConnections } from './connection-tally.js';

/** A node-redis client as this tool opens it: RESP3 (node-redis 6's default), replies in its default shapes. */
export type NodeRedisClient = RedisClientType;

/**
 * node-redis' own instrumentation (diagnostics_channel): every client publishes when one of its connections is
 * ready and when one closes, the pool's own clients too, which the tool never sees otherwise (a pool opens and
 * closes them by itself).
 */
const READY_CHANNEL = 'node-redis:connection:ready';
const CLOSED_CHANNEL = 'node-redis:connection:closed';

interface ReadyMessage {
  createTimeMs: number;
}
interface ClosedMessage {
  wasConnected: boolean;
}

/**
 * node-redis' options for a target: its socket (TCP or TLS, the connect timeout, no reconnection: as with ioredis,
 * a broken connection is counted and replaced, not hidden behind retries), credentials, database and the
 * connection's name; everything else node-redis' defaults.
 */
export function nodeRedisOptions(target: RedisTarget, settings: ClientSettings, name: string): RedisClientOptions {
  const socket = {
    host: target.host,
    port: target.port,
    connectTimeout: settings.connectTimeoutMs,
    reconnectStrategy: false as const,
    ...(settings.socketTimeoutMs ? { socketTimeout: settings.socketTimeoutMs } : {}),
  };
  return {
    socket: target.tls ? { ...tlsConnectionOptions(target), ...socket, tls: true } : socket,
    ...(target.username !== null ? { username: target.username } : {}),
    ...(target.password !== null ? { password: target.password } : {}),
    database: target.db,
    name,
    ...(settings.commandTimeoutMs > 0 ? { commandOptions: { timeout: settings.commandTimeoutMs } } : {}),
  };
}

/**
 * Opens node-redis clients for one strategy and counts every connection node-redis reports, its pool's included.
 * A connection counts as opened when it is ready (node-redis reports no earlier moment) and as closed when it
 * closes. It counts every node-redis connection of this thread while it is open: the runner opens one strategy's
 * at a time, and the tool's own connections are ioredis'.
 */
export class NodeRedisFactory implements CountedConnections {
  private readonly total = new ConnectionTally();
  readonly byNode = new Map<string, ConnectionTally>();
  readonly options: RedisClientOptions;
  private readonly onReady = (message: unknown): void => {
    this.total.socketOpened();
    this.connectHistogram?.recordValue(Math.round((message as ReadyMessage).createTimeMs * 1000));
  };
  private readonly onClosed = (message: unknown): void => {
    if ((message as ClosedMessage).wasConnected) this.total.socketClosed();
  };

  constructor(
    target: RedisTarget,
    settings: ClientSettings,
    connectionName: string,
    /** Socket opened → connection ready, integer µs (node-redis' own createTimeMs); null when not recorded. */
    public connectHistogram: Histogram | null,
  ) {
    this.options = nodeRedisOptions(target, settings, connectionName);
    subscribe(READY_CHANNEL, this.onReady);
    subscribe(CLOSED_CHANNEL, this.onClosed);
  }

  get counts(): ConnectionCounts {
    return this.total.counts;
  }

  get openNow(): number {
    return this.total.openNow;
  }

  get peakOpenSinceMark(): number {
    return this.total.peakOpenSinceMark;
  }

  markPeak(): void {
    this.total.markPeak();
  }

  /** A new client, connected and ready (its setup done); a refused setup is the run's end, as with ioredis. */
  async connect(): Promise<NodeRedisConnection> {
    const client = createClient(this.options) as NodeRedisClient;
    // Errors surface through the commands that fail; an unhandled 'error' event would crash the process.
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (error) {
      this.noteConnectError();
      client.destroy();
      throw setupFailure(error);
    }
    return new NodeRedisConnection(client);
  }

  /** A connection that failed before it was ready (the pool's own as well as this factory's). */
  noteConnectError(): void {
    this.total.counts.connectErrors++;
  }

  /** Stop counting: the strategy's clients are all closed. */
  dispose(): void {
    unsubscribe(READY_CHANNEL, this.onReady);
    unsubscribe(CLOSED_CHANNEL, this.onClosed);
  }
}

/**
 * A server's error reply before the client was ready is its setup refused (HELLO with AUTH, SELECT, CLIENT SETNAME):
 * the run ends, as it does with ioredis. Anything else (a refused socket, a timeout) is a failed connection.
 */
export function setupFailure(error: unknown): unknown {
  if (!isNodeRedisErrorReply(error)) return error;
  const reply = error.message;
  // A server at maxclients fails the connection, not its setup (see ServerFullError): the request counts it.
  if (isServerFullReply(reply)) return error;
  const command = /WRONGPASS|NOAUTH|\bAUTH\b/i.test(reply)
    ? 'AUTH'
    : /DB index/i.test(reply)
      ? 'SELECT'
      : 'the connection setup (HELLO, AUTH, SELECT or CLIENT SETNAME)';
  return new SetupRefusedError(command, reply);
}

/** node-redis' multi(), as far as the workload uses it (its own type is generic over every module and command). */
interface NodeRedisMulti {
  get(key: string): unknown;
  set(key: string, value: string): unknown;
  incr(key: string): unknown;
  lPush(key: string, value: string): unknown;
  rPop(key: string): unknown;
  blPop(key: string, timeoutSeconds: number): unknown;
  asking(): unknown;
  execAsPipeline(): Promise<unknown[]>;
}

/**
 * A node-redis client with the workload's commands spelled as ioredis spells them, so that one workload runs on
 * both. One per client, made once: a request pays one more call per command, nothing else.
 */
export class NodeRedisConnection implements Connection {
  /** The pool's handover: resolving it gives the client back (see NodeRedisPooledStrategy). */
  giveBack: (() => void) | null = null;
  /** The pool's promise of the task that holds the client: it settles as the pool takes the client back. */
  taskSettled: Promise<unknown> | null = null;

  constructor(readonly client: NodeRedisClient) {}

  get isReady(): boolean {
    return this.client.isReady;
  }

  get(key: string): Promise<unknown> {
    return this.client.get(key);
  }
  set(key: string, value: string): Promise<unknown> {
    return this.client.set(key, value);
  }
  incr(key: string): Promise<unknown> {
    return this.client.incr(key);
  }
  lpush(key: string, value: string): Promise<unknown> {
    return this.client.lPush(key, value);
  }
  rpop(key: string): Promise<unknown> {
    return this.client.rPop(key);
  }
  blpop(key: string, timeoutSeconds: number): Promise<unknown> {
    return this.client.blPop(key, timeoutSeconds);
  }
  asking(): Promise<unknown> {
    return this.client.asking();
  }
  pipeline(): Pipeline {
    return new NodeRedisPipeline(this.client.multi());
  }
}

/** node-redis' multi() sent as a pipeline (execAsPipeline: no MULTI/EXEC), its replies as ioredis gives them. */
class NodeRedisPipeline implements Pipeline {
  constructor(private readonly multi: NodeRedisMulti) {}

  get(key: string): this {
    this.multi.get(key);
    return this;
  }
  set(key: string, value: string): this {
    this.multi.set(key, value);
    return this;
  }
  incr(key: string): this {
    this.multi.incr(key);
    return this;
  }
  lpush(key: string, value: string): this {
    this.multi.lPush(key, value);
    return this;
  }
  rpop(key: string): this {
    this.multi.rPop(key);
    return this;
  }
  blpop(key: string, timeoutSeconds: number): this {
    this.multi.blPop(key, timeoutSeconds);
    return this;
  }
  asking(): this {
    this.multi.asking();
    return this;
  }
  /** node-redis rejects with a MultiErrorReply when any command failed: the workload counts it as a reply error. */
  async exec(): Promise<[Error | null, unknown][]> {
    const replies: unknown[] = await this.multi.execAsPipeline();
    return replies.map((reply) => [null, reply]);
  }
}
