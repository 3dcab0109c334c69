import type { BenchConfig } from '../../schema/bench.js';
import { runLoad, type HoldStats, type LoopEnvironment, type PhaseLimit, type Recorder } from './load-loop.js';
import { realClock } from '../../clock.js';
import { feedProgress, type OnProgress } from './progress.js';
import type { Strategy } from '../strategies/strategy.js';
import type { Workload } from './workload.js';

const NEVER = BigInt(Number.MAX_SAFE_INTEGER) * 1_000_000n;

/**
 * What every phase of one strategy's run shares. Its clock, random source and scheduler (LoopEnvironment) are the
 * process's own unless given: the phase's start and deadline, the progress and the load loop all read that clock.
 */
export interface PhaseContext extends LoopEnvironment {
  strategy: Strategy;
  /** The run's label (run-plan.ts): how tables and progress name it. */
  label: string;
  workload: Workload;
  config: BenchConfig;
  /** The moving means over the strategy's life (warm-up included) that the think times follow. */
  holdStats: HoldStats;
  /** This run's place in the benchmark, for the progress snapshots. */
  run: number;
  runs: number;
  /** Aborting stops the load at once. */
  signal?: AbortSignal;
  onProgress?: OnProgress;
}

/**
 * One phase of the load: the warm-up (skipped when it has no length) or the measured one, until its request count
 * or its time is reached, or until aborted. With onProgress, snapshots of the recorder's counts are handed out
 * while it runs.
 */
export async function runPhase(phase: 'warmup' | 'measure', recorder: Recorder, context: PhaseContext): Promise<void> {
  const { strategy, config, signal, onProgress, clock = realClock } = context;
  const spec = phase === 'warmup' ? config.warmup : { requests: config.requests, durationMs: config.durationMs };
  if (phase === 'warmup' && !spec.requests && !spec.durationMs) return;
  const startedNs = clock.now();
  const limit: PhaseLimit = {
    remainingRequests: spec.requests ?? Infinity,
    deadlineNs: spec.durationMs ? startedNs + BigInt(Math.round(spec.durationMs * 1e6)) : NEVER,
    signal,
  };
  const info = {
    strategy: strategy.name,
    label: context.label,
    run: context.run,
    runs: context.runs,
    phase,
    plannedRequests: spec.requests ?? null,
    plannedDurationMs: spec.durationMs ?? null,
  };
  const stopProgress = onProgress
    ? feedProgress(info, startedNs, recorder, onProgress, undefined, clock.now)
    : () => undefined;
  try {
    // The context is the loop's environment too: its scheduler, clock and random source, or the process's own.
    await runLoad(
      strategy,
      context.workload,
      config.concurrency,
      config.load,
      limit,
      recorder,
      context.holdStats,
      context,
    );
  } finally {
    stopProgress();
  }
}
