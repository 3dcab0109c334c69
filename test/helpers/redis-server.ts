import { Redis } from 'ioredis';
import {
  startEphemeralServer,
  type EphemeralServer,
  type StartServerOptions,
} from '../../src/redis/ephemeral-server.js';
import { requireServerBinary, testServerBinary } from './server-binary.js';

export interface TestRedis extends EphemeralServer {
  url: string;
  /** A plain client for the test's own checks; closed by stop(). */
  client(): Redis;
}

/**
 * A real redis-server on a free loopback port, with no persistence, for one test file (valkey-server in the Vitest
 * project `valkey`: testServerBinary()). A missing server program fails the suite with a clear message instead of
 * skipping.
 */
export async function startRedis(options: StartServerOptions = {}): Promise<TestRedis> {
  requireServerBinary(options.binary ?? testServerBinary());
  const server = await startEphemeralServer(options);
  const clients: Redis[] = [];
  const password = passwordOf(options.args ?? []);
  return {
    ...server,
    url: `redis://${password !== null ? `:${password}@` : ''}127.0.0.1:${server.port}`,
    client: () => {
      const client = new Redis({
        host: '127.0.0.1',
        port: server.port,
        ...(password !== null ? { password } : {}),
        lazyConnect: false,
      });
      clients.push(client);
      return client;
    },
    stop: async () => {
      await Promise.allSettled(clients.map((c) => c.quit()));
      await server.stop();
    },
  };
}

function passwordOf(args: string[]): string | null {
  const at = args.indexOf('--requirepass');
  return at >= 0 ? (args[at + 1] ?? null) : null;
}

/**
 * The GETs the server on `port` has executed (INFO commandstats), once they reach `atLeast`; null while it is not
 * there or has not yet. What a test waits for before interrupting a run: the load is under way, however slow the
 * machine's start was.
 */
export async function getsServed(port: number, atLeast: number): Promise<number | null> {
  const probe = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await probe.connect();
    const calls = Number(/cmdstat_get:calls=(\d+)/.exec(await probe.info('commandstats'))?.[1] ?? 0);
    return calls >= atLeast ? calls : null;
  } catch {
    return null;
  } finally {
    probe.disconnect();
  }
}
