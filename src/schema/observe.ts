/**
 * The observe document, `redis-pool.observe/v1`: what `observe --json` writes, what its reports read and what
 * `size --from observed.json --group NAME` takes. A leaf: it imports nothing from the project but the other schema files.
 */
import type { Warning } from './warning.js';

export const OBSERVE_SCHEMA = 'redis-pool.observe/v1';

/** The commands observe may send, and the ACL rule each one needs. */
export const OBSERVE_COMMANDS = ['ping', 'info', 'client|list', 'config|get', 'client|setname'] as const;
export type ObserveCommand = (typeof OBSERVE_COMMANDS)[number];

/** One command observe tried once before sampling: allowed, or refused by the ACL (with the rule it lacks). */
export interface AccessCheck {
  command: ObserveCommand;
  allowed: boolean;
  /** The ACL rule that would allow it, e.g. `+client|list`. */
  rule: string;
  /** What the report lacks without it; null when allowed. */
  costs: string | null;
}

/** A distribution over the samples of one group's connections, seconds. */
export interface SecondsSummary {
  p50: number;
  p90: number;
  max: number;
}

export type FindingKind = 'churn' | 'idle-pool' | 'at-ceiling' | 'blocking' | 'maxclients-headroom' | 'rejected-connections' | 'evicted-clients';

/** A finding: what was seen, the figures that show it, and what to do. */
export interface Finding {
  kind: FindingKind;
  /** The group it concerns (its key); null for a server-wide finding. */
  group: string | null;
  message: string;
  evidence: Record<string, number>;
  remedy: string;
}

/** The inputs `size` takes for one group, from the server's own figures (Little's law), with their assumptions. */
export interface GroupEstimate {
  /** Commands per second of the group. */
  commandsPerSec: number;
  /** Where that rate comes from: the clients' own counters (tot-cmds), or the server's commandstats shared out. */
  rateSource: 'tot-cmds' | 'commandstats-share';
  /** Mean time the server spends per call of the group's commands (commandstats), ms. */
  serverMsPerCall: number;
  /** The round trip observe measured itself (the fastest of five PINGs: the network without a queue), ms. */
  roundTripMs: number;
  /**
   * commandsPerSec × (serverMsPerCall + roundTripMs) / 1000: the connections busy at once, on average; never more
   * than the group's connections (then `saturated`: the group used all it has, and its demand is more than that).
   */
  busyConnections: number;
  saturated: boolean;
  /**
   * The time a call holds a connection, ms, what `size --from` takes as its hold: serverMsPerCall + roundTripMs;
   * for a saturated group, its connections ÷ its rate (Little's law the other way: they were all busy).
   */
  holdMs: number;
  assumptions: string[];
}

/** One group of clients: the same source host and client name (and library, where the server tells it). */
export interface ObservedGroup {
  /** host / name (/ lib-name lib-ver): what --group picks. */
  key: string;
  host: string;
  name: string;
  lib: string | null;
  connections: { min: number; mean: number; max: number };
  /** Connections first seen younger than a sample interval, and those the server accepted unseen, shared out. */
  newConnections: { seen: number; estimated: number; perSecond: number };
  /** Share of the group's connection sightings younger than a sample interval. */
  youngShare: number;
  /** Distinct connections seen, and those active (idle below a sample interval) at least once. */
  distinct: number;
  everActive: number;
  age: SecondsSummary;
  idle: SecondsSummary;
  /** Share of the sightings of a connection idle below a sample interval. */
  activeShare: number;
  blocked: number;
  dbs: number[];
  commands: string[];
  estimate: GroupEstimate | null;
  findings: Finding[];
}

/** The server's own figures over the window. */
export interface ObservedServer {
  redisVersion: string;
  maxclients: number | null;
  /** The most connections counted against maxclients at a sample: clients + replicas + cluster bus links. */
  peakCounted: number;
  connectedClientsPeak: number;
  /** total_connections_received over the window, and how many of them observe saw in CLIENT LIST. */
  acceptedInWindow: number;
  seenNew: number;
  rejectedInWindow: number;
  evictedInWindow: number | null;
  commandsPerSec: number;
  findings: Finding[];
}

export interface ObserveResult {
  schema: typeof OBSERVE_SCHEMA;
  tool: { name: string; version: string };
  startedAt: string;
  interrupted: boolean;
  target: { url: string };
  config: { durationMs: number; intervalMs: number };
  samples: number;
  durationMs: number;
  access: AccessCheck[];
  server: ObservedServer;
  groups: ObservedGroup[];
  warnings: Warning[];
}
