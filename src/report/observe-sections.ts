import { serverLabel, serverOf } from '../redis/info.js';
import type { Finding, ObserveResult, ObservedGroup } from '../schema/observe.js';
import { formatCount, formatDecimal, formatPercent, formatTrimmedMs, plural } from '../format.js';
import { cell, type Cell, type ListSection, type TableSection } from './section.js';

/**
 * Every section of an observe result, defined once and rendered by the terminal (observe-terminal.ts) and the
 * Markdown (observe-markdown.ts).
 */

const dash = '–';

export const OBSERVE_INTERRUPTED = 'Interrupted: these figures cover the samples taken before the stop.';

export function observeDescription(result: ObserveResult): Cell[] {
  const seconds = formatDecimal(result.durationMs / 1000, 1);
  return [
    cell(
      `${serverLabel(serverOf({ redisVersion: result.server.redisVersion, server: result.target.server }))} at ${result.target.url}, observed read-only`,
      'strong',
    ),
    cell(
      `${plural(result.samples, 'sample')} over ${seconds} s, ` +
        `one every ${formatDecimal(result.config.intervalMs / 1000, 1)} ` +
        `s; ${plural(result.groups.length, 'client group')} (source host / client name / library)`,
    ),
  ];
}

/** What the ACL refused, with the rule that allows it; empty when everything was allowed. */
export function accessSection(result: ObserveResult): ListSection {
  return {
    items: result.access
      .filter((a) => !a.allowed)
      .map((a) => ({ lead: cell(`${a.rule} missing:`, 'warn'), text: `without it the report lacks ${a.costs}` })),
  };
}

const range = (c: ObservedGroup['connections']): string =>
  `${formatCount(c.min)} / ${formatDecimal(c.mean, 1)} / ${formatCount(c.max)}`;

/** One row per group: how many connections, how many new, how old and idle, how active, blocked, where. */
export function groupsSection(result: ObserveResult): TableSection {
  return {
    title: 'Client groups',
    head: [
      'group',
      'connections\nmin / mean / max',
      'new\n/ s',
      'young',
      'age p50\ns',
      'idle p50\ns',
      'active',
      'blocked',
      'db',
      'commands seen',
    ],
    rows: result.groups.map((g) => [
      cell(g.key, g.findings.length > 0 ? 'warn' : 'name'),
      cell(range(g.connections)),
      cell(formatDecimal(g.newConnections.perSecond, 1)),
      cell(formatPercent(g.youngShare)),
      cell(formatCount(g.age.p50)),
      cell(formatCount(g.idle.p50)),
      cell(formatPercent(g.activeShare)),
      cell(formatCount(g.blocked), g.blocked > 0 ? 'warn' : undefined),
      cell(g.dbs.join(',')),
      cell(g.commands.slice(0, 6).join(' ') + (g.commands.length > 6 ? ' …' : '')),
    ]),
    textColumns: 1,
    notes: [
      'new / s: connections first seen younger than a sample interval, ' +
        'with their share of those the server accepted between two samples (total_connections_received), ' +
        'per second. young: sightings younger than an interval. ' +
        'active: sightings that ran a command since the one before (tot-cmds grew, else idle below an interval).',
    ],
  };
}

function findingItem(f: Finding): { lead: Cell; text: string } {
  return { lead: cell(`${f.kind}${f.group ? ` ${f.group}` : ''}:`, 'bad'), text: `${f.message}. Fix: ${f.remedy}.` };
}

/** Every finding, the groups' then the server's. */
export function findingsSection(result: ObserveResult): ListSection {
  return { items: [...result.groups.flatMap((g) => g.findings), ...result.server.findings].map(findingItem) };
}

/** The server's own figures over the window. */
export function serverSection(result: ObserveResult): TableSection {
  const s = result.server;
  const rows: [string, string][] = [
    ['maxclients', s.maxclients !== null ? formatCount(s.maxclients) : 'unknown (CONFIG GET refused)'],
    [
      'peak counted against it (clients + replicas + cluster bus)',
      `${formatCount(s.peakCounted)}${s.maxclients ? ` (${formatPercent(s.peakCounted / s.maxclients)})` : ''}`,
    ],
    ['peak connected_clients', formatCount(s.connectedClientsPeak)],
    [
      'connections accepted in the window / seen new in CLIENT LIST',
      `${formatCount(s.acceptedInWindow)} / ${formatCount(s.seenNew)}`,
    ],
    ['refused at maxclients in the window', formatCount(s.rejectedInWindow)],
    ['evicted for their memory in the window', s.evictedInWindow !== null ? formatCount(s.evictedInWindow) : dash],
    ["commands a second (commandstats, observe's own left out)", formatCount(s.commandsPerSec)],
  ];
  return {
    title: 'Server',
    head: ['figure', 'value'],
    rows: rows.map(([a, b]) => [cell(a), cell(b)]),
    textColumns: 1,
    notes: [],
  };
}

/** Each group's busy connections by Little's law, and the command that sizes its pool from them. */
export function estimatesSection(result: ObserveResult): TableSection | null {
  const estimated = result.groups.filter((g) => g.estimate !== null);
  if (estimated.length === 0) return null;
  return {
    title: 'Into size: busy connections per group',
    head: [
      'group',
      'commands / s',
      'server µs\nper call',
      'round trip\nms',
      'hold\nms',
      'busy\nconnections',
      'rate from',
    ],
    rows: estimated.map((g) => {
      const e = g.estimate!;
      const busy = `${formatDecimal(e.busyConnections, 2)}${e.saturated ? ' (all: saturated)' : ''}`;
      return [
        cell(g.key, 'name'),
        cell(formatCount(e.commandsPerSec)),
        cell(formatDecimal(e.serverMsPerCall * 1000, 1)),
        cell(formatTrimmedMs(e.roundTripMs)),
        cell(formatTrimmedMs(e.holdMs)),
        cell(busy, e.saturated ? 'warn' : 'answer'),
        cell(e.rateSource),
      ];
    }),
    textColumns: 1,
    notes: [
      "busy connections = commands / s × hold (Little's law); hold = server time per call + round trip, " +
        'or for a saturated group (every connection busy) its connections ÷ its rate. ' +
        'A pool per instance for one group: redis-pool size --from observed.json --group "<group>".',
      ...estimated.map((g) => `Assumed for ${g.key}: ${g.estimate!.assumptions.join('; ')}.`),
    ],
  };
}
