import { infoNumber } from '../redis/info.js';
import type { ObservedServer } from '../schema/observe.js';
import type { CommandStats, Sample } from './samples.js';

/**
 * The server's own figures over the samples, from INFO clients, stats and replication. What counts against
 * maxclients is the server's own rule: its clients (connected_clients, which leaves the replicas out), its replicas
 * (connected_slaves) and its cluster bus links (cluster_connections, Redis 7.0+). maxclients comes from CONFIG GET,
 * else from INFO clients (Redis 7.0+). evicted_clients exists since Redis 7.0; null where the server does not report it.
 */
export function readServerFigures(
  samples: readonly Sample[],
  known: {
    version: string;
    maxclients: number | null;
    commands: CommandStats;
    seenNew: number;
    acceptedInWindow: number;
    durationMs: number;
  },
): Omit<ObservedServer, 'findings'> {
  const counted = samples.map(
    (s) =>
      infoNumber(s.info, 'connected_clients') +
      infoNumber(s.info, 'connected_slaves') +
      infoNumber(s.info, 'cluster_connections'),
  );
  const delta = (field: string): number =>
    samples.length > 1 ? Math.max(0, infoNumber(samples.at(-1)!.info, field) - infoNumber(samples[0]!.info, field)) : 0;
  const calls = [...known.commands.values()].reduce((sum, s) => sum + s.calls, 0);
  return {
    redisVersion: known.version,
    maxclients:
      known.maxclients ?? (samples[0]?.info.has('maxclients') ? infoNumber(samples[0].info, 'maxclients') : null),
    peakCounted: Math.max(0, ...counted),
    connectedClientsPeak: Math.max(0, ...samples.map((s) => infoNumber(s.info, 'connected_clients'))),
    acceptedInWindow: known.acceptedInWindow,
    seenNew: known.seenNew,
    rejectedInWindow: delta('rejected_connections'),
    evictedInWindow: samples[0]?.info.has('evicted_clients') ? delta('evicted_clients') : null,
    commandsPerSec: known.durationMs > 0 ? calls / (known.durationMs / 1000) : 0,
  };
}
