import type { Redis } from 'ioredis';
import type { ClientFactory, ConnectionCounts } from '../redis/client-factory.js';
import { readServerCounters, type ServerCounters } from '../redis/server-counters.js';
import type { GeneratorResult, PoolConfig, PoolStats } from '../schema/bench.js';
import { newHistogram } from '../histograms.js';
import { BusyOccupancy } from './busy-occupancy.js';
import { scheduleFaults, type InjectedFault } from './faults/injector.js';
import { Timeline } from './faults/recovery.js';
import { startGeneratorProbe } from './generator-probe.js';
import { newRecorder, workersThink, type Recorder } from './load-loop.js';
import { runPhase, type PhaseContext } from './phase.js';

/** The counters read at one edge of the measured window. */
export interface WindowEdge {
  /** The client factory's counts. */
  counts: ConnectionCounts;
  /** The pool's counters; null without a pool. */
  pool: PoolStats | null;
  server: ServerCounters;
}

/** What the measured window recorded, and the counters at its two edges. */
export interface MeasuredWindow {
  recorder: Recorder;
  startNs: bigint;
  /** The same instant on the wall clock (Date.now()). */
  startMs: number;
  durationMs: number;
  generator: GeneratorResult;
  injected: InjectedFault[];
  start: WindowEdge & { openNow: number };
  end: WindowEdge & { peakOpenSinceStart: number };
}

export interface WindowContext extends PhaseContext {
  factory: ClientFactory;
  pool: PoolConfig;
  /** The tool's own connection: the server's counters are read on it, and the faults injected through it. */
  monitor: Redis;
  /** The prefix of this run's connection names (the kill-clients fault kills those). */
  connectionNamePrefix: string;
  restartServer?: () => Promise<void>;
}

/**
 * The measured window of one strategy: counters read at its start, the load with the faults scheduled into it
 * and the generator watched over it, counters read at its end. Between the two readings runs nothing but the
 * work; the server is read through the monitor before the window opens and right after it closes.
 */
export async function measureWindow(context: WindowContext): Promise<MeasuredWindow> {
  const { factory, strategy, monitor, config } = context;
  const start = await readStart(factory, strategy.poolStats(), monitor);
  const name = strategy.name;
  const openLoop = config.load.ratePerSec !== null;
  const recorder = newRecorder(newHistogram(), name === 'pooled' ? newHistogram() : null, openLoop ? newHistogram() : null, newHistogram());
  // The holds by load feed the finite-source model, which only a closed loop that thinks is compared with: other
  // runs skip the bookkeeping on every acquire and release.
  if (name === 'pooled' && workersThink(config.load)) recorder.occupancy = new BusyOccupancy(context.pool.size);
  const probe = startGeneratorProbe();
  const startNs = process.hrtime.bigint();
  const startMs = Date.now();
  if (config.faults.length > 0) recorder.timeline = new Timeline(startNs);
  const faults = scheduleFaults(config.faults, {
    monitor,
    connectionNamePrefix: context.connectionNamePrefix,
    restartServer: context.restartServer ?? (() => Promise.reject(new Error('restart needs a server redis-pool started itself'))),
  });
  await runPhase('measure', recorder, context);
  const durationMs = Number(process.hrtime.bigint() - startNs) / 1e6;
  const generator = probe.stop(recorder.wakeLateness, durationMs);
  faults.cancel();
  const injected = await faults.injected;
  const server = await readServerCounters(monitor);
  const end = { counts: { ...factory.counts }, peakOpenSinceStart: factory.peakOpenSinceMark, pool: strategy.poolStats(), server };
  return { recorder, startNs, startMs, durationMs, generator, injected, start, end };
}

/** The client's and the pool's counts of the same instant (read synchronously), the peak marked there, then the server's. */
async function readStart(factory: ClientFactory, pool: PoolStats | null, monitor: Redis): Promise<MeasuredWindow['start']> {
  const counts = { ...factory.counts };
  const openNow = factory.openNow;
  factory.markPeak();
  return { counts, openNow, pool, server: await readServerCounters(monitor) };
}
