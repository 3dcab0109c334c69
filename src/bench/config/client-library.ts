import { createRequire } from 'node:module';
import type { ClientLibrary } from '../../schema/bench.js';

/** The npm package of each client library: node-redis is published as `redis`. */
const PACKAGES: Record<ClientLibrary, string> = { ioredis: 'ioredis', 'node-redis': 'redis' };

/** The installed version of a client library, as its package.json says. */
export function clientVersion(library: ClientLibrary): string {
  const require = createRequire(import.meta.url);
  return (require(`${PACKAGES[library]}/package.json`) as { version: string }).version;
}

/**
 * node-redis' own pool defaults (createClientPool), which a run with --client node-redis keeps unless a flag or a
 * scenario gives a setting: maximum 100, minimum 1, acquireTimeout 3 s, cleanupDelay 3 s. It lends its idle
 * clients first in, first out, and has no eviction run, lifetime, check on borrow, health check or fail-fast.
 */
export const NODE_REDIS_POOL_DEFAULTS = {
  size: 100,
  minIdle: 1,
  acquireTimeoutMs: 3000,
  order: 'fifo',
  idleTimeoutMs: 3000,
  evictionRunIntervalMs: 0,
  maxLifetimeMs: 0,
  testOnBorrow: false,
  healthCheckIntervalMs: 0,
  failFast: false,
} as const;
