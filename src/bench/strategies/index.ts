import type { ClientFactory } from '../../redis/client-factory.js';
import type { PoolConfig, StrategyName } from '../../schema/bench.js';
import { MultiplexedStrategy } from './multiplexed.js';
import { PerRequestStrategy } from './per-request.js';
import { PooledStrategy } from './pooled.js';
import type { Strategy } from './strategy.js';

export function createStrategy(name: StrategyName, factory: ClientFactory, pool: PoolConfig): Strategy {
  switch (name) {
    case 'per-request':
      return new PerRequestStrategy(factory);
    case 'pooled':
      return new PooledStrategy(factory, {
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
      });
    case 'multiplexed':
      return new MultiplexedStrategy(factory);
  }
}
