import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../../src/observe/samples.js';
import { readServerFigures } from '../../../src/observe/server-figures.js';
import { parseInfo } from '../../../src/redis/info.js';
import { fixturePath } from '../../helpers/fixtures.js';

// info-redis-7.0.txt is INFO clients, stats and replication recorded from this repository's redis-server 7.0.15;
// the others are written from each version's documented INFO fields.
const info = (name: string): Map<string, string> =>
  parseInfo(readFileSync(fixturePath(`observe/info-${name}.txt`), 'utf8'));

/** Two samples a second apart: the second with the server's counters grown. */
function twoSamples(name: string, grown: Record<string, number>): Sample[] {
  const first = info(name);
  const second = new Map(first);
  for (const [field, by] of Object.entries(grown)) second.set(field, String(Number(first.get(field)) + by));
  return [
    { atMs: 0, clients: null, info: first },
    { atMs: 1000, clients: null, info: second },
  ];
}

const known = {
  version: 'x',
  maxclients: null,
  commands: new Map(),
  seenNew: 0,
  acceptedInWindow: 0,
  durationMs: 1000,
};

describe('the server figures from INFO, every version', () => {
  it('Redis 7.0 (recorded): clients, maxclients from INFO, no replica, refused and evicted counters', () => {
    const figures = readServerFigures(twoSamples('redis-7.0', { rejected_connections: 2, evicted_clients: 1 }), known);
    expect(figures).toMatchObject({
      maxclients: 10000,
      peakCounted: 1,
      connectedClientsPeak: 1,
      rejectedInWindow: 2,
      evictedInWindow: 1,
    });
  });

  it('Redis 7.2: two replicas count beside its clients', () => {
    expect(readServerFigures(twoSamples('redis-7.2', { total_connections_received: 40 }), known)).toMatchObject({
      peakCounted: 31 + 2,
      connectedClientsPeak: 31,
      maxclients: 10000,
    });
  });

  it('Redis 7.4: replicas and cluster bus links count against maxclients too', () => {
    const figures = readServerFigures(twoSamples('redis-7.4', {}), known);
    expect(figures).toMatchObject({
      peakCounted: 212 + 1 + 4,
      connectedClientsPeak: 212,
      rejectedInWindow: 0,
      evictedInWindow: 0,
    });
  });

  it('Redis 8.2 and Valkey 8.0: the same fields', () => {
    expect(readServerFigures(twoSamples('redis-8.2', { rejected_connections: 7 }), known)).toMatchObject({
      maxclients: 4064,
      peakCounted: 48,
      rejectedInWindow: 7,
    });
    expect(readServerFigures(twoSamples('valkey-8.0', {}), { ...known, maxclients: 500 })).toMatchObject({
      maxclients: 500,
      peakCounted: 7,
      evictedInWindow: 0,
    });
  });

  it('a server without evicted_clients (before 7.0) has none, not zero', () => {
    const old = twoSamples('redis-7.0', {});
    for (const s of old) s.info.delete('evicted_clients');
    expect(readServerFigures(old, known).evictedInWindow).toBeNull();
  });
});
