import { describe, expect, it } from 'vitest';
import { defaultPoolConfig } from '../../../src/bench/config.js';
import { plannedRunNames } from '../../../src/bench/run-plan.js';
import { createStrategy } from '../../../src/bench/strategies/index.js';
import { ClientFactory } from '../../../src/redis/client-factory.js';

const factory = new ClientFactory({ host: '127.0.0.1', port: 1, username: null, password: null, db: 0, tls: false }, { connectTimeoutMs: 1, commandTimeoutMs: 0, socketTimeoutMs: 0 }, 'test', null);

describe('planned runs', () => {
  it('names the runs exactly as the strategies label their results, before anything connects', () => {
    const pool = defaultPoolConfig(8);
    const planned = plannedRunNames({ strategies: ['per-request', 'pooled', 'multiplexed'], pool, poolSizes: null });
    expect(planned).toEqual([
      { strategy: 'per-request', label: 'per-request', poolSize: null },
      { strategy: 'pooled', label: 'pooled(max=8)', poolSize: 8 },
      { strategy: 'multiplexed', label: 'multiplexed(1 conn)', poolSize: null },
    ]);
    for (const run of planned) expect(createStrategy(run.strategy, factory, { ...pool, size: run.poolSize ?? pool.size }).label).toBe(run.label);
  });

  it('plans one pooled run per size of a sweep', () => {
    expect(plannedRunNames({ strategies: ['pooled', 'multiplexed'], pool: defaultPoolConfig(8), poolSizes: [2, 4] }).map((r) => r.label)).toEqual([
      'pooled(max=2)',
      'pooled(max=4)',
      'multiplexed(1 conn)',
    ]);
  });
});
