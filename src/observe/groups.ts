import type { ClientEntry } from '../redis/client-list.js';
import { infoNumber } from '../redis/info.js';
import type { ObservedGroup, SecondsSummary } from '../schema/observe.js';
import type { Sample } from './samples.js';

/** A group's figures before its findings and its estimate are added. */
export type GroupFigures = Omit<ObservedGroup, 'estimate' | 'findings'> & {
  /**
   * Active sightings (activeFlags) of a connection older than a sample interval: the group's share of the server's calls.
   * A connection younger than the interval is idle 0 whatever it does, so it does not count.
   */
  activeSightings: number;
  /** tot-cmds growth of its connections over the window; null where the server does not count per client. */
  commandsInWindow: number | null;
};

/** Replicas, the master link and MONITOR clients are the server's own business, not a service's pool. */
function isServiceClient(client: ClientEntry): boolean {
  return !/[SMO]/.test(client.flags);
}

function groupKey(client: ClientEntry): { key: string; lib: string | null } {
  const lib = client.libName ? `${client.libName}${client.libVer ? ` ${client.libVer}` : ''}` : null;
  return { key: [client.host, client.name || '(no name)', ...(lib ? [lib] : [])].join(' / '), lib };
}

function summarizeSeconds(values: number[]): SecondsSummary {
  if (values.length === 0) return { p50: 0, p90: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p90: at(0.9), max: sorted.at(-1)! };
}

/**
 * A connection younger than a second whose last command is one of its setup (none yet, HELLO, AUTH, CLIENT SETNAME,
 * CLIENT SETINFO) has not run a command of its own: which group it belongs to is not known yet. Unnamed, its name
 * may be next; named, its library may be (ioredis names itself, then sends lib-name, then lib-ver), and on servers
 * that report the library (Redis 7.2+, Valkey) it would be a group of its own beside its real one. It is left out; it
 * is one of the connections the server accepted, and those are shared out with the rest.
 */
function stillConnecting(client: ClientEntry): boolean {
  return client.age === 0 && SETUP_COMMANDS.has(client.cmd);
}

const SETUP_COMMANDS: ReadonlySet<string> = new Set(['', 'NULL', 'hello', 'auth', 'client|setname', 'client|setinfo']);

/** Commands that hold their connection until an event: what `blocked` and the blocking finding name. */
export const BLOCKING_COMMANDS: ReadonlySet<string> = new Set([
  'blpop',
  'brpop',
  'brpoplpush',
  'blmove',
  'blmpop',
  'bzpopmin',
  'bzpopmax',
  'bzmpop',
  'xread',
  'xreadgroup',
  'wait',
  'waitaof',
]);

/** A connection blocked now (flag b), or last seen in a command that blocks. */
function isBlocked(client: ClientEntry): boolean {
  return client.flags.includes('b') || BLOCKING_COMMANDS.has(client.cmd);
}

/**
 * The clients of every sample, grouped by source host and client name (and library, Redis 7.2+), without the
 * tool's own connection (`ownAddrs`) and the server's own (replicas, MONITOR). A connection is new when it was not
 * in the previous sample and is younger than the interval; connections that opened and closed between two samples
 * only show in the server's total_connections_received, and that remainder is shared out among the groups (an
 * estimate, and said to be one: see shareOfUnseen).
 */
export function groupSamples(
  samples: readonly Sample[],
  intervalMs: number,
  ownAddrs: ReadonlySet<string>,
): { groups: GroupFigures[]; seenNew: number; acceptedInWindow: number } {
  const listed = samples.filter((s): s is Sample & { clients: ClientEntry[] } => s.clients !== null);
  const young = (seconds: number): boolean => seconds * 1000 < intervalMs;
  const byKey = new Map<
    string,
    {
      lib: string | null;
      first: ClientEntry;
      counts: number[];
      sightings: ClientEntry[];
      seen: Map<string, ClientEntry[]>;
      newIds: Map<string, number>;
    }
  >();
  let previous = new Set<string>();
  listed.forEach((sample, index) => {
    const present = new Set<string>();
    const counts = new Map<string, number>();
    for (const client of sample.clients) {
      if (ownAddrs.has(client.addr) || !isServiceClient(client) || stillConnecting(client)) continue;
      present.add(client.id);
      const { key, lib } = groupKey(client);
      let group = byKey.get(key);
      if (!group) {
        group = {
          lib,
          first: client,
          counts: new Array<number>(index).fill(0),
          sightings: [],
          seen: new Map(),
          newIds: new Map(),
        };
        byKey.set(key, group);
      }
      counts.set(key, (counts.get(key) ?? 0) + 1);
      group.sightings.push(client);
      const history = group.seen.get(client.id) ?? [];
      history.push(client);
      group.seen.set(client.id, history);
      if (index > 0 && !previous.has(client.id) && young(client.age)) group.newIds.set(client.id, index);
    }
    for (const [key, group] of byKey) group.counts.push(counts.get(key) ?? 0);
    previous = present;
  });

  const seenNew = [...byKey.values()].reduce((sum, g) => sum + g.newIds.size, 0);
  const acceptedInWindow =
    samples.length > 1
      ? Math.max(
          0,
          infoNumber(samples.at(-1)!.info, 'total_connections_received') -
            infoNumber(samples[0]!.info, 'total_connections_received'),
        )
      : 0;
  const windowSec = samples.length > 1 ? (samples.at(-1)!.atMs - samples[0]!.atMs) / 1000 : 0;
  const shareOf = shareOfUnseen(
    [...byKey.values()].map((g) => ({
      seenNew: g.newIds.size,
      shortLived: shortLivedCount(g.newIds, g.seen, listed.length - 1),
    })),
    Math.max(0, acceptedInWindow - seenNew),
  );

  const groups = [...byKey.entries()].map(([key, g], i): GroupFigures => {
    const estimated = g.newIds.size + shareOf[i]!;
    const histories = [...g.seen.values()].map((history) => ({ history, active: activeFlags(history, young) }));
    const everActive = histories.filter(({ active }) => active.includes(true)).length;
    const activeSightings = histories.reduce((sum, { active }) => sum + active.filter(Boolean).length, 0);
    const steadyActive = histories.reduce(
      (sum, { history, active }) => sum + history.filter((c, j) => active[j] && !young(c.age)).length,
      0,
    );
    const counts = g.counts;
    return {
      key,
      host: g.first.host,
      name: g.first.name,
      lib: g.lib,
      connections: {
        min: Math.min(...counts),
        mean: counts.reduce((a, b) => a + b, 0) / counts.length,
        max: Math.max(...counts),
      },
      newConnections: { seen: g.newIds.size, estimated, perSecond: windowSec > 0 ? estimated / windowSec : 0 },
      youngShare: g.sightings.filter((c) => young(c.age)).length / g.sightings.length,
      distinct: g.seen.size,
      everActive,
      age: summarizeSeconds(g.sightings.map((c) => c.age)),
      idle: summarizeSeconds(g.sightings.map((c) => c.idle)),
      activeShare: activeSightings / g.sightings.length,
      activeSightings: steadyActive,
      blocked: [...g.seen.values()].filter((history) => history.some(isBlocked)).length,
      dbs: [...new Set(g.sightings.map((c) => c.db))].sort((a, b) => a - b),
      commands: [...new Set(g.sightings.map((c) => c.cmd).filter((cmd) => cmd !== '' && cmd !== 'NULL'))].sort(),
      commandsInWindow: commandsCounted(g.seen),
    };
  });
  return { groups: groups.sort((a, b) => a.key.localeCompare(b.key)), seenNew, acceptedInWindow };
}

/**
 * Whether each sighting of one connection ran a command since the one before. Where the server counts commands per
 * client (tot-cmds) and there is a sighting before, its count grew; else its idle is below an interval. CLIENT LIST's
 * idle is in whole seconds off a clock the server caches, so a connection busy a few milliseconds before a sample that
 * falls just past a second reads idle 1: the counter does not miss it.
 */
function activeFlags(history: readonly ClientEntry[], young: (seconds: number) => boolean): boolean[] {
  return history.map((client, j) => {
    const before = j > 0 ? history[j - 1]!.totCmds : null;
    return client.totCmds !== null && before !== null ? client.totCmds > before : young(client.idle);
  });
}

/**
 * New connections seen in one sample only, and not at the last one: gone by the next sample, they lived less than an
 * interval, like the connections the server accepted unseen.
 */
function shortLivedCount(
  newIds: ReadonlyMap<string, number>,
  seen: ReadonlyMap<string, ClientEntry[]>,
  lastIndex: number,
): number {
  return [...newIds].filter(([id, index]) => index < lastIndex && seen.get(id)!.length === 1).length;
}

/**
 * Each group's share of the connections the server accepted unseen (they opened and closed between two samples). They
 * lived less than an interval, so they go to the groups whose new connections were seen living that short, in
 * proportion to how many; a pool's reconnect, still there at the next sample, earns none of another group's churn.
 * Where no group showed a short-lived one, in proportion to the new connections each showed; where none showed any,
 * to nobody.
 */
function shareOfUnseen(groups: { seenNew: number; shortLived: number }[], unseen: number): number[] {
  const byShortLived = groups.some((g) => g.shortLived > 0);
  const weights = groups.map((g) => (byShortLived ? g.shortLived : g.seenNew));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (total > 0 ? (unseen * w) / total : 0));
}

/** The growth of tot-cmds of every connection between its first and last sighting; null without the field. */
function commandsCounted(seen: Map<string, ClientEntry[]>): number | null {
  let total = 0;
  for (const history of seen.values()) {
    const first = history[0]!.totCmds;
    const last = history.at(-1)!.totCmds;
    if (first === null || last === null) return null;
    total += Math.max(0, last - first);
  }
  return total;
}
