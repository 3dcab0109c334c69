import type { RedisOptions } from 'ioredis';
import { tlsConnectionOptions } from './tls.js';
import type { RedisTarget } from './url.js';

export interface ClientSettings {
  connectTimeoutMs: number;
  /** 0 = no per-command timeout. */
  commandTimeoutMs: number;
  /** 0 = none; otherwise a socket that receives nothing this long while a reply is due is destroyed. */
  socketTimeoutMs?: number;
  /** ioredis' enableAutoPipelining: commands issued in one tick on one connection go out in one write. Off by default. */
  autoPipelining?: boolean;
}

/**
 * ioredis' options as this tool passes them: its replies in ioredis' default ("legacy") shapes, the same under RESP3
 * (ioredis 6's default protocol) as under RESP2.
 */
export type ConnectionOptions = RedisOptions & { replyMapping?: 'legacy' };

export const DEFAULT_TIMEOUTS: ClientSettings = { connectTimeoutMs: 5000, commandTimeoutMs: 0 };

/**
 * ioredis options for one connection. The setup is the one a real client performs: TCP (and TLS), AUTH when
 * credentials are given, SELECT when db ≠ 0, then the ready check (INFO). Reconnection is off: a benchmark
 * counts a broken connection and lets the strategy replace it, instead of hiding it behind retries.
 */
export function clientOptions(target: RedisTarget, settings: ClientSettings, name: string): ConnectionOptions {
  return {
    host: target.host,
    port: target.port,
    ...(target.username !== null ? { username: target.username } : {}),
    ...(target.password !== null ? { password: target.password } : {}),
    db: target.db,
    ...(target.tls ? { tls: tlsConnectionOptions(target) } : {}),
    connectionName: name,
    lazyConnect: true,
    enableReadyCheck: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: settings.connectTimeoutMs,
    ...(settings.commandTimeoutMs > 0 ? { commandTimeout: settings.commandTimeoutMs } : {}),
    ...(settings.socketTimeoutMs ? { socketTimeout: settings.socketTimeoutMs } : {}),
    ...(settings.autoPipelining ? { enableAutoPipelining: true } : {}),
  };
}
