import { UsageError } from '../errors.js';
import type { MeasuredSource, SizeInputs } from '../schema/size.js';
import { busyFromRate } from './formula.js';
import type { SizePresetName } from '../schema/size.js';
import { SIZE_PRESETS } from './presets.js';

/** Typed but not yet reconciled values of the size flags; undefined = not given. */
export interface SizeFlags {
  preset?: SizePresetName;
  threads?: number;
  utilization?: number;
  ratePerSec?: number;
  holdMs?: number;
  buffer?: number;
  targetWait?: number;
  instances?: number;
  shards?: number;
  maxclients?: number;
  fdLimit?: number;
  /** The bench run the load was measured in (size --from). */
  from?: MeasuredSource;
}

export const SIZE_DEFAULTS = {
  buffer: 0,
  targetWait: 0.01,
  instances: 1,
  shards: 1,
  maxclients: 10000,
  /** The usual soft RLIMIT_NOFILE of a Linux process. */
  fdLimit: 1024,
} as const;

const LOAD_HINT = 'give the load as --threads with --utilization, --rate with --hold-ms, or --preset api|worker|batch';

/** Merge a preset with explicit flags (flags win) and check that the load is described exactly once. */
export function resolveSizeInputs(flags: SizeFlags): SizeInputs {
  const preset = flags.preset ? SIZE_PRESETS[flags.preset] : undefined;
  if (flags.ratePerSec !== undefined && flags.holdMs === undefined) {
    throw new UsageError('--rate needs --hold-ms (the mean time a request holds a connection, in ms)');
  }
  if (flags.ratePerSec !== undefined && flags.utilization !== undefined) {
    throw new UsageError(
      'give either --utilization or --rate with --hold-ms, not both: the rate already sets the utilization',
    );
  }

  const threads = flags.threads ?? preset?.threads ?? null;
  let utilization = flags.ratePerSec !== undefined ? null : (flags.utilization ?? preset?.utilization ?? null);
  const ratePerSec = flags.ratePerSec ?? null;
  const holdMs = flags.holdMs ?? null;

  if (ratePerSec !== null && holdMs !== null && threads !== null) {
    const busy = busyFromRate(ratePerSec, holdMs);
    if (busy > threads) {
      throw new UsageError(
        `--rate ${ratePerSec} × --hold-ms ${holdMs} keeps ${round(busy)} connections busy, ` +
          `more than --threads ${threads} can hold; raise --threads or check the rate`,
      );
    }
    utilization = busy / threads;
  }
  if (ratePerSec === null) {
    if (threads === null && utilization === null) throw new UsageError(`no load given: ${LOAD_HINT}`);
    if (threads === null)
      throw new UsageError(`--utilization needs --threads (how many threads or workers share the pool)`);
    if (utilization === null)
      throw new UsageError(`--threads needs --utilization (the fraction of its time a thread uses Redis, e.g. 10%)`);
  }

  return {
    preset: flags.preset ?? null,
    threads,
    utilization,
    ratePerSec,
    holdMs,
    buffer: flags.buffer ?? preset?.buffer ?? SIZE_DEFAULTS.buffer,
    targetWait: flags.targetWait ?? SIZE_DEFAULTS.targetWait,
    fleet: {
      instances: flags.instances ?? SIZE_DEFAULTS.instances,
      shards: flags.shards ?? SIZE_DEFAULTS.shards,
      maxclients: flags.maxclients ?? SIZE_DEFAULTS.maxclients,
      fdLimit: flags.fdLimit ?? SIZE_DEFAULTS.fdLimit,
    },
    from: flags.from ?? null,
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
