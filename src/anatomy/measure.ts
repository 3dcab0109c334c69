import { newHistogram, type Histogram } from '../histograms.js';
import type { InfoServer } from '../redis/info.js';
import type { RedisTarget } from '../redis/url.js';
import { ANATOMY_PHASES, type AnatomyPhaseName } from '../schema/anatomy.js';
import { Interrupted } from './deadline.js';
import { StepFailure, targetErrorFor } from './failure.js';
import {
  openAndTime,
  openConnection,
  type ConnectionSample,
  type OpenConnection,
  type OpenOptions,
} from './open-connection.js';
import { planPhases, type PhasePlan } from './plan.js';

export interface AnatomyOptions {
  samples: number;
  connectTimeoutMs: number;
  signal?: AbortSignal;
}

export interface AnatomyMeasurement {
  /** Integer microseconds per phase; null for a phase this target skips. */
  histograms: Record<AnatomyPhaseName, Histogram | null>;
  total: Histogram;
  /** A PING on a connection kept open for the whole run, one after each new connection. */
  openPing: Histogram;
  /** Connections measured: fewer than asked for when interrupted. */
  samples: number;
  interrupted: boolean;
  /** The server, from the INFO of the connection kept open; unknown when none could be opened. */
  server: InfoServer;
}

/**
 * Open `samples` connections one after another (never two at once, so that they do not compete) and record
 * each phase. The first failure ends the run: a target that refuses one connection refuses them all.
 */
export async function measureAnatomy(target: RedisTarget, options: AnatomyOptions): Promise<AnatomyMeasurement> {
  const plan = planPhases(target);
  const measurement: AnatomyMeasurement = {
    histograms: Object.fromEntries(
      ANATOMY_PHASES.map((phase) => [phase, plan[phase] ? newHistogram() : null]),
    ) as AnatomyMeasurement['histograms'],
    total: newHistogram(),
    openPing: newHistogram(),
    samples: 0,
    interrupted: false,
    server: { server: { name: 'redis', version: 'unknown' }, redisVersion: 'unknown' },
  };
  const open: OpenOptions = {
    timeoutMs: options.connectTimeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  try {
    const kept = await openConnection(target, plan, open);
    measurement.server = kept.server;
    try {
      await sampleAll(target, plan, kept, open, options.samples, measurement);
    } finally {
      await kept.close();
    }
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error instanceof StepFailure ? targetErrorFor(error, target) : error;
  }
  measurement.interrupted = measurement.samples < options.samples;
  return measurement;
}

async function sampleAll(
  target: RedisTarget,
  plan: PhasePlan,
  kept: OpenConnection,
  open: OpenOptions,
  samples: number,
  into: AnatomyMeasurement,
): Promise<void> {
  while (into.samples < samples) {
    const sample = await openAndTime(target, plan, open);
    // Interleaved with the new connections, so that both see the same machine and server load.
    const pingUs = await kept.timePing(open);
    record(into, sample, pingUs);
  }
}

function record(into: AnatomyMeasurement, sample: ConnectionSample, pingUs: number): void {
  for (const phase of ANATOMY_PHASES) {
    const us = sample.phasesUs[phase];
    if (us !== undefined) into.histograms[phase]?.recordValue(us);
  }
  into.total.recordValue(sample.totalUs);
  into.openPing.recordValue(pingUs);
  into.samples++;
}
