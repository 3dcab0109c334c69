import { serverLabel } from '../redis/info.js';
import type { GroupEstimate } from '../schema/observe.js';
import type { ServerIdentity } from '../schema/warning.js';
import type { GroupFigures } from './groups.js';
import type { CommandStats } from './samples.js';

/** What the estimate of every group shares: the server's command counts over the window and the round trip. */
export interface EstimateInputs {
  /** commandstats between the first and the last sample, observe's own commands taken out. */
  commands: CommandStats;
  windowSec: number;
  roundTripMs: number;
  /** Every group's active sightings together: the denominator of a group's share of the server's calls. */
  activeSightings: number;
  /** The server observed (Valkey 8.0.1, Redis 7.0.15): the assumptions name it. */
  server: ServerIdentity;
}

/**
 * Busy connections by Little's law: the group's commands per second × the time each call holds a connection
 * (the server's mean time per call of the commands the group was seen running, plus the round trip observe
 * measured). The rate is the clients' own tot-cmds where the server counts them (Redis 8.2+, Valkey 8); else the
 * server's calls shared out by the group's share of the active sightings of its settled connections (older than
 * an interval), which assumes every active connection runs commands as often as another. Null when the group ran
 * nothing, or only on connections younger than an interval (not a pool: churn).
 */
export function estimateGroup(group: GroupFigures, inputs: EstimateInputs): GroupEstimate | null {
  if (inputs.windowSec <= 0) return null;
  const own = [...inputs.commands.entries()].filter(([name]) => group.commands.includes(name));
  const chosen = own.length > 0 ? own : [...inputs.commands.entries()];
  const calls = chosen.reduce((sum, [, s]) => sum + s.calls, 0);
  const usec = chosen.reduce((sum, [, s]) => sum + s.usec, 0);
  const allCalls = [...inputs.commands.values()].reduce((sum, s) => sum + s.calls, 0);
  const perClient = group.commandsInWindow !== null;
  const commandsPerSec = perClient
    ? group.commandsInWindow! / inputs.windowSec
    : inputs.activeSightings > 0
      ? ((allCalls / inputs.windowSec) * group.activeSightings) / inputs.activeSightings
      : 0;
  if (commandsPerSec <= 0) return null;
  const serverMsPerCall = calls > 0 ? usec / calls / 1000 : 0;
  const perCallMs = serverMsPerCall + inputs.roundTripMs;
  const busy = (commandsPerSec * perCallMs) / 1000;
  const saturated = busy >= group.connections.max;
  // All its connections busy: the rate says how long a call held one, and that is what a pool size needs.
  const holdMs = saturated ? (group.connections.max * 1000) / commandsPerSec : perCallMs;
  return {
    commandsPerSec,
    rateSource: perClient ? 'tot-cmds' : 'commandstats-share',
    serverMsPerCall,
    roundTripMs: inputs.roundTripMs,
    busyConnections: Math.min(busy, group.connections.max),
    saturated,
    holdMs,
    assumptions: [
      perClient
        ? "the rate is the growth of its connections' tot-cmds"
        : `${serverLabel(inputs.server)} does not count commands per client (CLIENT LIST's tot-cmds, ` +
          "Redis 8.2+ and Valkey 8.0+): the rate is the server's calls shared out " +
          "by the group's share of the active connections older than an interval",
      own.length > 0
        ? `the time per call is the server's mean for the commands it was seen running (${group.commands.join(', ')})`
        : "the time per call is the server's mean over every command: none of the group's commands was seen",
      `each call holds its connection for the server's time plus the ` +
        `round trip observe measured (the fastest of five PINGs, ${inputs.roundTripMs.toFixed(3)} ms); ` +
        `a service's network may be slower`,
      'one command per request, sent one at a time: a pipeline or a MULTI holds one connection for several',
      ...(saturated
        ? [
            `every one of its ${group.connections.max} connections was busy: ` +
              `a call held one for connections ÷ rate = ${holdMs.toFixed(3)} ms, and the demand may be more than it got`,
          ]
        : []),
    ],
  };
}
