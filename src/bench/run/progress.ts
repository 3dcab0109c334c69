import type { StrategyName } from '../../schema/bench.js';
import { realClock } from '../../clock.js';

/**
 * What a progress display is handed while a phase runs: a frozen copy of a few counts, never the load loop's
 * live recorder, so that nothing outside the loop can read it half-updated or write to it.
 */
export interface ProgressSnapshot {
  readonly strategy: StrategyName;
  readonly label: string;
  /** This run's place in the benchmark: run `run` of `runs` (each size of a sweep is a run). */
  readonly run: number;
  readonly runs: number;
  readonly phase: 'warmup' | 'measure';
  /** Since the phase began. */
  readonly elapsedMs: number;
  /** How long the phase lasts: a number of requests or a time; null for the one not used. */
  readonly plannedRequests: number | null;
  readonly plannedDurationMs: number | null;
  /** Requests done in the phase so far, failed ones included, and the failed ones. */
  readonly requests: number;
  readonly errors: number;
}

export type OnProgress = (snapshot: ProgressSnapshot) => void;

export const PROGRESS_EVERY_MS = 250;

/** The parts of a snapshot that stay the same for the whole phase. */
export type PhaseInfo = Omit<ProgressSnapshot, 'elapsedMs' | 'requests' | 'errors'>;

/**
 * Hands `onProgress` a snapshot of the phase every `everyMs` (250 ms) until the returned function stops it. The
 * timer does not keep the process alive. `now`: the clock `startedNs` was read from.
 */
export function feedProgress(
  phase: PhaseInfo,
  startedNs: bigint,
  live: { readonly requests: number; readonly errors: number },
  onProgress: OnProgress,
  everyMs = PROGRESS_EVERY_MS,
  now: () => bigint = realClock.now,
): () => void {
  const timer = setInterval(() => {
    const elapsedMs = Number(now() - startedNs) / 1e6;
    onProgress(Object.freeze({ ...phase, elapsedMs, requests: live.requests, errors: live.errors }));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
