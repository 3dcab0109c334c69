import type { ClientEntry } from '../redis/client-list.js';

/** One reading of the server: its clients (null when CLIENT LIST is refused) and its INFO clients and stats. */
export interface Sample {
  /** ms since the first sample. */
  atMs: number;
  clients: ClientEntry[] | null;
  info: Map<string, string>;
}

/** Per command, calls and µs spent, from INFO commandstats (`cmdstat_get:calls=10,usec=20,…`). */
export type CommandStats = Map<string, { calls: number; usec: number }>;

export function parseCommandStats(info: Map<string, string>): CommandStats {
  const stats: CommandStats = new Map();
  for (const [key, value] of info) {
    if (!key.startsWith('cmdstat_')) continue;
    const fields = new Map(value.split(',').map((pair) => pair.split('=') as [string, string]));
    stats.set(key.slice('cmdstat_'.length), {
      calls: Number(fields.get('calls') ?? 0),
      usec: Number(fields.get('usec') ?? 0),
    });
  }
  return stats;
}

/** Calls and µs per command between two readings (a command first seen in the second counts from zero). */
export function commandStatsBetween(from: CommandStats, to: CommandStats): CommandStats {
  const delta: CommandStats = new Map();
  for (const [name, { calls, usec }] of to) {
    const before = from.get(name) ?? { calls: 0, usec: 0 };
    delta.set(name, { calls: Math.max(0, calls - before.calls), usec: Math.max(0, usec - before.usec) });
  }
  return delta;
}
