import type { Finding, ObservedServer } from '../schema/observe.js';
import { formatCount, formatPercent } from '../format.js';
import { BLOCKING_COMMANDS, type GroupFigures } from './groups.js';

/**
 * The thresholds of the findings. Churn: at least one new connection a second, and half of the group's
 * connections younger than a sample interval. Idle pool: four connections or more, of which at most a quarter
 * ran a command in the window. At its ceiling: a count that never moved over three samples or more while nine
 * sightings in ten were active. Headroom: the tutorial's alert level, 80 % of maxclients.
 */
export const FINDING_THRESHOLDS = {
  churnPerSecond: 1,
  churnYoungShare: 0.5,
  idlePoolConnections: 4,
  idlePoolActiveShare: 0.25,
  ceilingSamples: 3,
  ceilingActiveShare: 0.9,
  maxclientsShare: 0.8,
} as const;

const T = FINDING_THRESHOLDS;

/** The findings of one group, each with its evidence and a remedy. */
export function groupFindings(group: GroupFigures, samples: number): Finding[] {
  const findings: Finding[] = [];
  const { key } = group;
  const churning = group.newConnections.perSecond >= T.churnPerSecond && group.youngShare >= T.churnYoungShare;
  if (churning) {
    findings.push({
      kind: 'churn',
      group: key,
      message: `${formatCount(group.newConnections.perSecond)} new connections a second (${formatCount(group.newConnections.seen)} seen new, ${formatCount(group.newConnections.estimated)} with its share of those the server accepted between samples); ${formatPercent(group.youngShare)} of its connections were younger than a sample interval`,
      evidence: { newPerSecond: group.newConnections.perSecond, seenNew: group.newConnections.seen, estimatedNew: group.newConnections.estimated, youngShare: group.youngShare },
      remedy: 'a connection per request: keep a pool (or one shared connection) per process and reuse it; `redis-pool bench` shows what per-request costs against a pool',
    });
  }
  if (!churning && group.connections.max >= T.idlePoolConnections && group.everActive <= group.distinct * T.idlePoolActiveShare) {
    findings.push({
      kind: 'idle-pool',
      group: key,
      message: `${formatCount(group.connections.max)} connections, of which ${formatCount(group.everActive)} ran a command in the window (idle p50 ${formatCount(group.idle.p50)} s)`,
      evidence: { connections: group.connections.max, everActive: group.everActive, idleP50Seconds: group.idle.p50 },
      remedy: 'a pool far larger than its use: lower its size and its minimum idle, or let an idle timeout close what is not used; each connection costs the server memory and a slot of maxclients',
    });
  }
  const flat = samples >= T.ceilingSamples && group.connections.min === group.connections.max && group.connections.max >= 2;
  if (!churning && flat && group.activeShare >= T.ceilingActiveShare) {
    findings.push({
      kind: 'at-ceiling',
      group: key,
      message: `${formatCount(group.connections.max)} connections at every one of ${formatCount(samples)} samples, ${formatPercent(group.activeShare)} of them active: a pool at its limit, where requests likely wait for a connection`,
      evidence: { connections: group.connections.max, samples, activeShare: group.activeShare },
      remedy: "measure the pool's acquire wait in the service; size the pool from this group's estimate (`redis-pool size --from observed.json --group …`), or shorten what each request holds",
    });
  }
  if (group.blocked > 0) {
    findings.push({
      kind: 'blocking',
      group: key,
      message: `${formatCount(group.blocked)} connection${group.blocked === 1 ? '' : 's'} blocked in ${group.commands.filter((c) => BLOCKING_COMMANDS.has(c)).join(', ') || 'a blocking command'}`,
      evidence: { blocked: group.blocked },
      remedy: 'a blocked connection is held for the whole wait: give blocking commands (BLPOP, XREAD BLOCK, WAIT) connections of their own, outside the pool that serves requests',
    });
  }
  return findings;
}

/** The server-wide findings: headroom against maxclients, refused and evicted clients during the window. */
export function serverFindings(server: Omit<ObservedServer, 'findings'>): Finding[] {
  const findings: Finding[] = [];
  if (server.maxclients !== null && server.peakCounted >= server.maxclients * T.maxclientsShare) {
    findings.push({
      kind: 'maxclients-headroom',
      group: null,
      message: `${formatCount(server.peakCounted)} connections counted against maxclients ${formatCount(server.maxclients)} (${formatPercent(server.peakCounted / server.maxclients)}; clients, replicas and cluster bus links all count)`,
      evidence: { peakCounted: server.peakCounted, maxclients: server.maxclients },
      remedy: 'past 80 % of maxclients a deploy (old and new instances at once) or a reconnect storm is refused: shrink the pools (`redis-pool size --instances … --shards …`) or raise maxclients',
    });
  }
  if (server.rejectedInWindow > 0) {
    findings.push({
      kind: 'rejected-connections',
      group: null,
      message: `the server refused ${formatCount(server.rejectedInWindow)} connection${server.rejectedInWindow === 1 ? '' : 's'} at its maxclients limit during the window`,
      evidence: { rejected: server.rejectedInWindow },
      remedy: 'clients are being refused now: find the group that holds the most connections above, shrink it, or raise maxclients',
    });
  }
  if (server.evictedInWindow !== null && server.evictedInWindow > 0) {
    findings.push({
      kind: 'evicted-clients',
      group: null,
      message: `the server evicted ${formatCount(server.evictedInWindow)} client${server.evictedInWindow === 1 ? '' : 's'} for their memory (maxmemory-clients) during the window`,
      evidence: { evicted: server.evictedInWindow },
      remedy: 'connections with large buffers were closed by the server: look for big replies or pipelines that are never read, or raise maxmemory-clients',
    });
  }
  return findings;
}
