import { describe, expect, it } from 'vitest';
import { addPoolStats } from '../../../src/pool/pool-stats.js';
import { POOL_COUNTERS } from '../../../src/schema/names.js';
import type { PoolStats } from '../../../src/schema/bench.js';

const stats = (n: number): PoolStats => ({
  ...(Object.fromEntries(POOL_COUNTERS.map((key) => [key, n])) as Record<(typeof POOL_COUNTERS)[number], number>),
  pending: n,
  totalConns: n,
  idleConns: n,
  peakTotal: n,
  max: n,
  minIdle: n,
});

describe('several pools as one', () => {
  it("adds up every counter and every gauge; what is not a figure is the first one's", () => {
    const total = addPoolStats([
      { ...stats(1), profile: 'jedis' },
      { ...stats(2), profile: 'go-redis' },
      { ...stats(4), profile: null },
    ]);
    for (const key of [...POOL_COUNTERS, 'pending', 'totalConns', 'idleConns', 'peakTotal', 'max', 'minIdle'] as const)
      expect(total[key], key).toBe(7);
    expect(total.profile).toBe('jedis');
  });

  it('one pool is itself, copied', () => {
    const one = stats(3);
    const total = addPoolStats([one]);
    expect(total).toEqual(one);
    expect(total).not.toBe(one);
  });
});
