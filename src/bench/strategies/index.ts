import type { ClientFactory } from '../../redis/client-factory.js';
import type { BenchConfig, StrategyName } from '../../report/bench-schema.js';
import { MultiplexedStrategy } from './multiplexed.js';
import { PerRequestStrategy } from './per-request.js';
import { PooledStrategy } from './pooled.js';
import type { Strategy } from './strategy.js';

export function createStrategy(name: StrategyName, factory: ClientFactory, config: BenchConfig): Strategy {
  switch (name) {
    case 'per-request':
      return new PerRequestStrategy(factory);
    case 'pooled':
      return new PooledStrategy(factory, {
        max: config.pool.size,
        minIdle: config.pool.minIdle,
        acquireTimeoutMs: config.pool.acquireTimeoutMs,
        order: config.pool.order,
      });
    case 'multiplexed':
      return new MultiplexedStrategy(factory);
  }
}
