import type { ClientFactory } from './client-factory.js';
import type { PoolConfig, StrategyName } from '../../schema/bench.js';
import type { PoolOptions } from '../../pool/pool.js';
import { ClusterPooledStrategy, type RequestRunner } from './cluster-pooled.js';
import { parseRedirect, type ClusterRouting } from './cluster-routing.js';
import { MultiplexedStrategy } from './multiplexed.js';
import { PerRequestStrategy } from './per-request.js';
import { PooledStrategy } from './pooled.js';
import type { Strategy } from './strategy.js';

/** Against a cluster: where each hash tag is served, and how a request runs (the pool per shard follows redirections). */
export interface ClusterStrategyContext {
  routing: ClusterRouting;
  runRequest: RequestRunner;
}

export function createStrategy(
  name: StrategyName,
  factory: ClientFactory,
  pool: PoolConfig,
  cluster: ClusterStrategyContext | null = null,
): Strategy {
  // ioredis' Cluster follows redirections itself; it tells them, and the routing counts them.
  const openCluster = cluster
    ? () =>
        factory.connectCluster((error) => {
          const redirect = parseRedirect(error);
          if (redirect) cluster.routing.noteRedirect(redirect, null);
        })
    : undefined;
  switch (name) {
    case 'per-request':
      return new PerRequestStrategy(factory, openCluster);
    case 'pooled':
      return cluster
        ? new ClusterPooledStrategy(factory, poolOptions(pool), cluster.routing, cluster.runRequest)
        : new PooledStrategy(factory, poolOptions(pool));
    case 'multiplexed':
      return new MultiplexedStrategy(factory, openCluster);
  }
}

function poolOptions(pool: PoolConfig): PoolOptions {
  return {
    max: pool.size,
    minIdle: pool.minIdle,
    acquireTimeoutMs: pool.acquireTimeoutMs,
    order: pool.order,
    idleTimeoutMs: pool.idleTimeoutMs,
    evictionRunIntervalMs: pool.evictionRunIntervalMs,
    maxLifetimeMs: pool.maxLifetimeMs,
    testOnBorrow: pool.testOnBorrow,
    healthCheckIntervalMs: pool.healthCheckIntervalMs,
    failFast: pool.failFast,
  };
}
