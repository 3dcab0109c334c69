import { serverLabel } from '../redis/info.js';
import type { Finding, ObservedServer } from '../schema/observe.js';
import type { ServerIdentity } from '../schema/warning.js';
import { formatCount, formatDecimal, formatMs, formatPercent, plural } from '../format.js';
import { BLOCKING_COMMANDS, type GroupFigures } from './groups.js';

/**
 * The thresholds of the findings. Churn: at least `churnPerSecond` new connections a second, and one of its three
 * rules (see churnRule). Idle pool: four connections or more, of which at most a quarter ran a command in the window.
 * At its ceiling: a count that never moved over three samples or more while nine sightings in ten were active.
 * Headroom: the tutorial's alert level, 80 % of maxclients.
 */
export const FINDING_THRESHOLDS = {
  /** Below one new connection a second, their setup (3–6 ms each, the tutorial says) costs little whatever the pattern. */
  churnPerSecond: 1,
  /** Rule `young`: half the sightings younger than an interval, a group made of short connections. */
  churnYoungShare: 0.5,
  /**
   * Rule `renewal`: as many new connections as it keeps open, every 5 s or faster. By Little's law its connections
   * then live 5 s or less on average, where a pool keeps them for minutes (the tutorial's max lifetime: 10–30 min).
   * A group with a kept pool and one path that connects per request meets it, though its short connections are
   * too few of its sightings to make it young. One reconnect of a whole pool does not, in a window longer than 5 s.
   */
  churnRenewSeconds: 5,
  /**
   * Rule `server-share`: half the connections the server accepted, at 10 a second or more: the server's main source
   * of new connections, with a rate whose setup shows. It catches a large group whose per-request path is too slow
   * to renew all of it every 5 s. Ten a second, not one: a large kept pool that reconnects now and then is also most
   * of a quiet server's accepts.
   */
  churnServerShare: 0.5,
  churnServerPerSecond: 10,
  idlePoolConnections: 4,
  idlePoolActiveShare: 0.25,
  ceilingSamples: 3,
  ceilingActiveShare: 0.9,
  maxclientsShare: 0.8,
} as const;

const T = FINDING_THRESHOLDS;

/** What a group's findings are judged against besides its own figures. */
export interface ObservedWindow {
  /** Samples with a client list. */
  samples: number;
  /** Connections the server accepted over the window (total_connections_received). */
  acceptedInWindow: number;
}

type ChurnRule = 'young' | 'renewal' | 'server-share';

/** The figures the churn rules read: the group's new connections a second, its size, and its share of the server's. */
interface ChurnFigures {
  newPerSecond: number;
  /** Its mean connections over the samples. */
  size: number;
  /** Seconds it takes to open as many new connections as it keeps open: the mean lifetime of one (Little's law). */
  renewSeconds: number;
  /** Its share of the connections the server accepted in the window. */
  serverShare: number;
}

function churnFigures(group: GroupFigures, window: ObservedWindow): ChurnFigures {
  const newPerSecond = group.newConnections.perSecond;
  const size = group.connections.mean;
  return {
    newPerSecond,
    size,
    renewSeconds: newPerSecond > 0 ? size / newPerSecond : Number.POSITIVE_INFINITY,
    serverShare:
      window.acceptedInWindow > 0 ? Math.min(1, group.newConnections.estimated / window.acceptedInWindow) : 0,
  };
}

/**
 * The churn rule a group meets, or null. A group churns when it opens at least 1 new connection a second and either
 * half its sightings are young, or it renews its whole size every 5 s or faster, or it opens half the server's new
 * connections at 10 a second or more. Where several hold, the first of those three is named.
 */
function churnRule(group: GroupFigures, figures: ChurnFigures): ChurnRule | null {
  if (figures.newPerSecond < T.churnPerSecond) return null;
  if (group.youngShare >= T.churnYoungShare) return 'young';
  if (figures.renewSeconds <= T.churnRenewSeconds) return 'renewal';
  if (figures.serverShare >= T.churnServerShare && figures.newPerSecond >= T.churnServerPerSecond)
    return 'server-share';
  return null;
}

/** What the rule that fired saw, in the words of the finding's message. */
function churnReason(rule: ChurnRule, group: GroupFigures, figures: ChurnFigures): string {
  if (rule === 'young') return `${formatPercent(group.youngShare)} of its sightings younger than an interval`;
  if (rule === 'renewal')
    return `it renews its ${formatDecimal(figures.size, 1)} connections every ${formatMs(figures.renewSeconds * 1000)}`;
  return "the server's main source of new connections";
}

function churnFinding(group: GroupFigures, window: ObservedWindow): Finding | null {
  const figures = churnFigures(group, window);
  const rule = churnRule(group, figures);
  if (rule === null) return null;
  const { seen, estimated } = group.newConnections;
  return {
    kind: 'churn',
    group: group.key,
    message:
      `${formatCount(figures.newPerSecond)} new connections a second ` +
      `(${formatCount(seen)} seen), ${formatPercent(figures.serverShare)} ` +
      `of the server's accepts: ${churnReason(rule, group, figures)}`,
    evidence: {
      rule,
      newPerSecond: figures.newPerSecond,
      seenNew: seen,
      estimatedNew: estimated,
      youngShare: group.youngShare,
      connections: figures.size,
      renewSeconds: figures.renewSeconds,
      serverAccepted: window.acceptedInWindow,
      serverShare: figures.serverShare,
    },
    remedy:
      'connections opened per request, or by a path beside the pool: ' +
      'reuse one pool (or one shared connection) per process everywhere; ' +
      '`redis-pool bench` shows what per-request costs against a pool',
  };
}

/** The findings of one group, each with its evidence and a remedy. */
export function groupFindings(group: GroupFigures, window: ObservedWindow): Finding[] {
  const findings: Finding[] = [];
  const { key } = group;
  const churn = churnFinding(group, window);
  const churning = churn !== null;
  if (churn) findings.push(churn);
  if (
    !churning &&
    group.connections.max >= T.idlePoolConnections &&
    group.everActive <= group.distinct * T.idlePoolActiveShare
  ) {
    findings.push({
      kind: 'idle-pool',
      group: key,
      message:
        `${formatCount(group.connections.max)} connections, ` +
        `of which ${formatCount(group.everActive)} ran a command in the window (idle p50 ${formatCount(group.idle.p50)} s)`,
      evidence: { connections: group.connections.max, everActive: group.everActive, idleP50Seconds: group.idle.p50 },
      remedy:
        'a pool far larger than its use: lower its size and its minimum idle, ' +
        'or let an idle timeout close what is not used; ' +
        'each connection costs the server memory and a slot of maxclients',
    });
  }
  const { samples } = window;
  const flat =
    samples >= T.ceilingSamples && group.connections.min === group.connections.max && group.connections.max >= 2;
  if (!churning && flat && group.activeShare >= T.ceilingActiveShare) {
    findings.push({
      kind: 'at-ceiling',
      group: key,
      message:
        `${formatCount(group.connections.max)} connections at every one ` +
        `of ${formatCount(samples)} samples, ${formatPercent(group.activeShare)} of them active: ` +
        `a pool at its limit, where requests likely wait for a connection`,
      evidence: { connections: group.connections.max, samples, activeShare: group.activeShare },
      remedy:
        "measure the pool's acquire wait in the service; size the pool from this group's estimate " +
        '(`redis-pool size --from observed.json --group …`), or shorten what each request holds',
    });
  }
  if (group.blocked > 0) {
    findings.push({
      kind: 'blocking',
      group: key,
      message: `${plural(group.blocked, 'connection')} blocked in ${group.commands.filter((c) => BLOCKING_COMMANDS.has(c)).join(', ') || 'a blocking command'}`,
      evidence: { blocked: group.blocked },
      remedy:
        'a blocked connection is held for the whole wait: give blocking commands (BLPOP, ' +
        'XREAD BLOCK, WAIT) connections of their own, outside the pool that serves requests',
    });
  }
  return findings;
}

/** The server-wide findings: headroom against maxclients, refused and evicted clients during the window. */
export function serverFindings(server: Omit<ObservedServer, 'findings'>, identity: ServerIdentity): Finding[] {
  const findings: Finding[] = [];
  if (server.maxclients !== null && server.peakCounted >= server.maxclients * T.maxclientsShare) {
    findings.push({
      kind: 'maxclients-headroom',
      group: null,
      message:
        `${formatCount(server.peakCounted)} connections counted against ` +
        `maxclients ${formatCount(server.maxclients)} ` +
        `(${formatPercent(server.peakCounted / server.maxclients)}; ` +
        `${serverLabel(identity)} counts its clients, replicas and cluster bus links against it)`,
      evidence: { peakCounted: server.peakCounted, maxclients: server.maxclients },
      remedy:
        'past 80 % of maxclients a deploy (old and new instances at once) ' +
        'or a reconnect storm is refused: ' +
        'shrink the pools (`redis-pool size --instances … --shards …`) or raise maxclients',
    });
  }
  if (server.rejectedInWindow > 0) {
    findings.push({
      kind: 'rejected-connections',
      group: null,
      message: `the server refused ${plural(server.rejectedInWindow, 'connection')} at its maxclients limit during the window`,
      evidence: { rejected: server.rejectedInWindow },
      remedy:
        'clients are being refused now: find the group that holds the most connections above, shrink it, or raise maxclients',
    });
  }
  if (server.evictedInWindow !== null && server.evictedInWindow > 0) {
    findings.push({
      kind: 'evicted-clients',
      group: null,
      message: `the server evicted ${plural(server.evictedInWindow, 'client')} for their memory (maxmemory-clients) during the window`,
      evidence: { evicted: server.evictedInWindow },
      remedy:
        'connections with large buffers were closed by the server: look for big replies or pipelines that are never read, or raise maxmemory-clients',
    });
  }
  return findings;
}
