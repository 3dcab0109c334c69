/**
 * The observe document, `redis-pool.observe/v1`: what `observe --json` writes, what its reports read and what
 * `size --from observed.json --group NAME` takes, validated whole against `observeResultSchema` when read back. The
 * types are derived from the schemas. A leaf: it imports nothing from the project but the other schema files.
 */
import { z } from 'zod';
import { FINDING_KINDS, OBSERVE_COMMANDS, OBSERVE_SCHEMA } from './names.js';
import { count, nonNegative } from './numbers.js';
import { serverSchema, toolSchema, warningSchema } from './warning.js';

export { OBSERVE_SCHEMA } from './names.js';
export type { FindingKind, ObserveCommand } from './names.js';

/** One command observe tried once before sampling: allowed, or refused by the ACL (with the rule it lacks). */
const accessCheckSchema = z.object({
  command: z.enum(OBSERVE_COMMANDS),
  allowed: z.boolean(),
  /** The ACL rule that would allow it, e.g. `+client|list`. */
  rule: z.string(),
  /** What the report lacks without it; null when allowed. */
  costs: z.string().nullable(),
});
export type AccessCheck = z.infer<typeof accessCheckSchema>;

/** A distribution over the samples of one group's connections, seconds. */
const secondsSummarySchema = z.object({ p50: nonNegative, p90: nonNegative, max: nonNegative });
export type SecondsSummary = z.infer<typeof secondsSummarySchema>;

/** A finding: what was seen, the figures that show it, and what to do. */
const findingSchema = z.object({
  kind: z.enum(FINDING_KINDS),
  /** The group it concerns (its key); null for a server-wide finding. */
  group: z.string().nullable(),
  message: z.string(),
  /** The figures that show it; for a kind with several rules (churn), `rule` names the one that fired. */
  evidence: z.record(z.string(), z.union([z.number(), z.string()])),
  remedy: z.string(),
});
export type Finding = z.infer<typeof findingSchema>;

/** The inputs `size` takes for one group, from the server's own figures (Little's law), with their assumptions. */
const groupEstimateSchema = z.object({
  /** Commands per second of the group. */
  commandsPerSec: nonNegative,
  /** Where that rate comes from: the clients' own counters (tot-cmds), or the server's commandstats shared out. */
  rateSource: z.enum(['tot-cmds', 'commandstats-share']),
  /** Mean time the server spends per call of the group's commands (commandstats), ms. */
  serverMsPerCall: nonNegative,
  /** The round trip observe measured itself (the fastest of five PINGs: the network without a queue), ms. */
  roundTripMs: nonNegative,
  /**
   * commandsPerSec × (serverMsPerCall + roundTripMs) / 1000: the connections busy at once, on average; never more
   * than the group's connections (then `saturated`: the group used all it has, and its demand is more than that).
   */
  busyConnections: nonNegative,
  saturated: z.boolean(),
  /**
   * The time a call holds a connection, ms, what `size --from` takes as its hold: serverMsPerCall + roundTripMs;
   * for a saturated group, its connections ÷ its rate (Little's law the other way: they were all busy).
   */
  holdMs: nonNegative,
  assumptions: z.array(z.string()),
});
export type GroupEstimate = z.infer<typeof groupEstimateSchema>;

/** One group of clients: the same source host and client name (and library, where the server tells it). */
const observedGroupSchema = z.object({
  /** host / name (/ lib-name lib-ver): what --group picks. */
  key: z.string(),
  host: z.string(),
  name: z.string(),
  lib: z.string().nullable(),
  connections: z.object({ min: count, mean: nonNegative, max: count }),
  /** Connections first seen younger than a sample interval, and those the server accepted unseen, shared out. */
  newConnections: z.object({ seen: count, estimated: nonNegative, perSecond: nonNegative }),
  /** Share of the group's connection sightings younger than a sample interval. */
  youngShare: nonNegative,
  /** Distinct connections seen, and those active (see activeShare) at least once. */
  distinct: count,
  everActive: count,
  age: secondsSummarySchema,
  idle: secondsSummarySchema,
  /**
   * Share of the sightings that ran a command since the sighting before: tot-cmds grew where the server counts them,
   * else idle below a sample interval.
   */
  activeShare: nonNegative,
  blocked: count,
  dbs: z.array(count),
  commands: z.array(z.string()),
  estimate: groupEstimateSchema.nullable(),
  findings: z.array(findingSchema),
});
export type ObservedGroup = z.infer<typeof observedGroupSchema>;

/** The server's own figures over the window. */
const observedServerSchema = z.object({
  /** INFO server's redis_version: the one Valkey reports for compatibility (7.2.4 on Valkey 8); target.server names it. */
  redisVersion: z.string(),
  maxclients: count.nullable(),
  /** The most connections counted against maxclients at a sample: clients + replicas + cluster bus links. */
  peakCounted: count,
  connectedClientsPeak: count,
  /** total_connections_received over the window, and how many of them observe saw in CLIENT LIST. */
  acceptedInWindow: count,
  seenNew: count,
  rejectedInWindow: count,
  evictedInWindow: count.nullable(),
  commandsPerSec: nonNegative,
  findings: z.array(findingSchema),
});
export type ObservedServer = z.infer<typeof observedServerSchema>;

export const observeResultSchema = z.object({
  schema: z.literal(OBSERVE_SCHEMA),
  tool: toolSchema,
  startedAt: z.string(),
  interrupted: z.boolean(),
  target: z.object({
    url: z.string(),
    /**
     * Which server it is and its own version (Valkey 8.0.1, Redis 7.0.15). Absent in documents written before it,
     * which read redis_version only (read as Redis at server.redisVersion).
     */
    server: serverSchema.optional(),
  }),
  config: z.object({ durationMs: nonNegative, intervalMs: nonNegative }),
  samples: count,
  durationMs: nonNegative,
  access: z.array(accessCheckSchema),
  server: observedServerSchema,
  groups: z.array(observedGroupSchema),
  warnings: z.array(warningSchema),
});
export type ObserveResult = z.infer<typeof observeResultSchema>;
