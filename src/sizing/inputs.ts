import { UsageError } from '../errors.js';
import { plural } from '../format.js';
import type { InstancesFrom, KneeSource, MeasuredSource, SizeInputs } from '../schema/size.js';
import { busyFromRate } from './formula.js';
import type { SizePresetName } from '../schema/size.js';
import type { NumberRange } from '../values.js';
import { instancesForPeak } from './peak.js';
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
  /** The whole fleet's peak rate (--peak-rate), which its instances share evenly. */
  peakRatePerSec?: number;
  /** The bench run the load was measured in (size --from). */
  from?: MeasuredSource;
  /** The knee of the capacity curve the load was measured on (size --from a curve). */
  knee?: KneeSource;
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

/** --rate and --peak-rate: requests per second. */
export const REQUEST_RATE_RANGE: NumberRange = { min: 0, minExclusive: true, max: 1e9, unit: 'requests per second' };

/**
 * The flags given beside `--from` override what it measured, one by one; a --peak-rate sets the load as a rate (its
 * share per instance), so the measured rate, threads and utilization give way to it, and the hold and knee stay.
 */
export function withMeasured(measured: SizeFlags, given: SizeFlags): SizeFlags {
  if (given.peakRatePerSec === undefined) return { ...measured, ...given };
  const { ratePerSec: _rate, threads: _threads, utilization: _utilization, ...kept } = measured;
  return { ...kept, ...given };
}

const LOAD_HINT = 'give the load as --threads with --utilization, --rate with --hold-ms, or --preset api|worker|batch';

/** Merge a preset with explicit flags (flags win) and check that the load is described exactly once. */
export function resolveSizeInputs(flags: SizeFlags): SizeInputs {
  const preset = flags.preset ? SIZE_PRESETS[flags.preset] : undefined;
  const peak = flags.peakRatePerSec === undefined ? null : sharePeak(flags.peakRatePerSec, flags);
  if (flags.ratePerSec !== undefined && flags.holdMs === undefined) {
    throw new UsageError('--rate needs --hold-ms (the mean time a request holds a connection, in ms)');
  }
  if (flags.ratePerSec !== undefined && flags.utilization !== undefined) {
    throw new UsageError(
      'give either --utilization or --rate with --hold-ms, not both: the rate already sets the utilization',
    );
  }

  const threads = flags.threads ?? preset?.threads ?? null;
  const ratePerSec = peak?.ratePerInstance ?? flags.ratePerSec ?? null;
  let utilization = ratePerSec !== null ? null : (flags.utilization ?? preset?.utilization ?? null);
  const holdMs = flags.holdMs ?? null;

  if (ratePerSec !== null && holdMs !== null && threads !== null) {
    const busy = busyFromRate(ratePerSec, holdMs);
    if (busy > threads) {
      const rate = peak
        ? `--peak-rate ${flags.peakRatePerSec} ÷ ${plural(peak.instances, 'instance')}`
        : `--rate ${ratePerSec}`;
      throw new UsageError(
        `${rate} × --hold-ms ${holdMs} keeps ${round(busy)} connections busy, ` +
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
      instances: peak?.instances ?? flags.instances ?? SIZE_DEFAULTS.instances,
      shards: flags.shards ?? SIZE_DEFAULTS.shards,
      maxclients: flags.maxclients ?? SIZE_DEFAULTS.maxclients,
      fdLimit: flags.fdLimit ?? SIZE_DEFAULTS.fdLimit,
    },
    from: flags.from ?? null,
    peak: peak && { ratePerSec: flags.peakRatePerSec!, instancesFrom: peak.instancesFrom },
    knee: flags.knee ?? null,
  };
}

/**
 * --peak-rate: the rate each instance takes, peak ÷ instances, with the instances from --instances or else from the
 * knee (as many as keep each at or under it). It sets the load as a rate, so it refuses another description of it.
 */
function sharePeak(
  peakRatePerSec: number,
  flags: SizeFlags,
): { instances: number; instancesFrom: InstancesFrom; ratePerInstance: number } {
  if (flags.ratePerSec !== undefined)
    throw new UsageError("give --rate (one instance's load) or --peak-rate (the fleet's), not both");
  if (flags.utilization !== undefined)
    throw new UsageError(
      "give either --utilization or --peak-rate, not both: each instance's share of the peak rate, " +
        'with the hold time, already sets the utilization',
    );
  if (flags.instances === undefined && flags.knee === undefined)
    throw new UsageError(
      '--peak-rate needs how much one instance serves: --from a bench result with a capacity curve ' +
        '(bench --rate 1000,4000,16000 --slo …), or --instances',
    );
  if (flags.holdMs === undefined)
    throw new UsageError(
      '--peak-rate needs --hold-ms (the mean time a request holds a connection, in ms), ' +
        'or --from a bench result that measured it',
    );
  const [instances, instancesFrom]: [number, InstancesFrom] =
    flags.instances !== undefined
      ? [flags.instances, 'flag']
      : [instancesForPeak(peakRatePerSec, flags.knee!.ratePerSec), 'knee'];
  return { instances, instancesFrom, ratePerInstance: peakRatePerSec / instances };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
