import { UsageError } from '../errors.js';
import type { ObserveResult } from '../schema/observe.js';
import type { MeasuredSource } from '../schema/size.js';
import type { SizeFlags } from './inputs.js';
import { plural } from '../format.js';

/**
 * The load `observe` estimated for one client group, as size flags: its commands per second as the rate, and
 * the time each call holds a connection (the server's time per call and the round trip) as the hold. One group
 * is one source host and client name: one service instance's pool. `group` names it (its key, or just its
 * client name when that is unambiguous); it may be left out when only one group has an estimate.
 */
export function sizeFlagsFromObserve(result: ObserveResult, file: string, group: string | undefined): SizeFlags {
  const estimated = result.groups.filter((g) => g.estimate !== null);
  if (estimated.length === 0)
    throw new UsageError(
      `--from ${file}: no client group has an estimate (none ran commands on settled connections while observed)`,
    );
  const keys = estimated.map((g) => JSON.stringify(g.key)).join(', ');
  const chosen =
    group === undefined
      ? estimated.length === 1
        ? estimated[0]!
        : null
      : (estimated.find((g) => g.key === group) ?? onlyOne(estimated.filter((g) => g.name === group)));
  if (chosen === null) {
    throw new UsageError(
      group === undefined
        ? `--from ${file}: ${plural(estimated.length, 'group has', 'groups have')} an estimate; pick one with --group (${keys})`
        : `--group ${JSON.stringify(group)}: no such group with an estimate in ${file} (groups: ${keys})`,
    );
  }
  const estimate = chosen.estimate!;
  // Written before the hold was recorded: the per-call time it was made of.
  const holdMs = estimate.holdMs ?? estimate.serverMsPerCall + estimate.roundTripMs;
  const saturated = estimate.saturated
    ? `; it used all its ${plural(chosen.connections.max, 'connection')}, so its demand is at least this (a lower bound)`
    : '';
  const from: MeasuredSource = {
    file,
    run: chosen.key,
    reason:
      `observe's estimate for this group: ${estimate.commandsPerSec.toFixed(0)} commands/s ` +
      `(${estimate.rateSource}), each holding a connection ${holdMs.toFixed(3)} ms${saturated}`,
  };
  return { ratePerSec: estimate.commandsPerSec, holdMs, from };
}

function onlyOne<T>(items: T[]): T | null {
  return items.length === 1 ? items[0]! : null;
}
