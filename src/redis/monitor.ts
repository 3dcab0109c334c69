import { CheckedRedis } from './checked-redis.js';
import { clientOptions, type ConnectionOptions } from './client-options.js';
import { connectReady } from './connect.js';
import { parseInfo, readInfoServer, type InfoServer } from './info.js';
import { connectFailure } from './target-errors.js';
import type { RedisTarget } from './url.js';

/**
 * The tool's own connection to the server under test, beside the load: it reads INFO (the server's counters, its
 * version), preloads the keys, injects the faults and cleans up. It is never counted as load.
 * `shown` is the server as error messages name it (the real one when `target` is the --rtt proxy).
 */
export async function connectMonitor(
  target: RedisTarget,
  shown: RedisTarget,
  options: { connectTimeoutMs: number; name: string },
): Promise<CheckedRedis> {
  const monitor = await openOwnConnection(
    clientOptions(target, { connectTimeoutMs: options.connectTimeoutMs, commandTimeoutMs: 0 }, options.name),
    shown,
  );
  // Once connected, the monitor outlives faults (a restart, killed clients): it reconnects and queues its
  // commands meanwhile. (Set only now, so that an unreachable target still fails at once.)
  Object.assign(monitor.options, {
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    retryStrategy: (attempt: number) => (attempt > 100 ? null : Math.min(attempt * 20, 200)),
  });
  return monitor;
}

/**
 * One of the tool's own connections (the monitor, observe's), set up and checked; a failed setup is the target's
 * failure (exit 3), worded for `shown`.
 */
export async function openOwnConnection(options: ConnectionOptions, shown: RedisTarget): Promise<CheckedRedis> {
  const client = new CheckedRedis(options);
  client.on('error', () => {});
  try {
    await connectReady(client);
  } catch (error) {
    client.disconnect();
    throw connectFailure(error, shown);
  }
  return client;
}

/**
 * What INFO server says of the server: which server it is (Redis or Valkey, and its own version; see
 * readInfoServer), the redis_version it reports, and its run_id, a random id it draws at every start, which tells one
 * server from another whatever address each client reached it by.
 */
export async function readServerIdentity(monitor: CheckedRedis): Promise<InfoServer & { runId: string | null }> {
  const fields = parseInfo(String(await monitor.call('INFO', 'server')));
  return { ...readInfoServer(fields), runId: fields.get('run_id') ?? null };
}

/** Whether the server runs in cluster mode (INFO cluster: cluster_enabled:1). */
export async function readClusterEnabled(monitor: CheckedRedis): Promise<boolean> {
  return parseInfo(String(await monitor.call('INFO', 'cluster'))).get('cluster_enabled') === '1';
}
