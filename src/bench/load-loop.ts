import type { Histogram } from 'hdr-histogram-js';
import { breaksConnection, classifyError } from './error-kinds.js';
import type { Strategy } from './strategies/strategy.js';
import type { Workload } from './workload.js';

/** What the measured window records. Histograms are null during warm-up, when nothing is recorded. */
export interface Recorder {
  latency: Histogram | null;
  acquireWait: Histogram | null;
  requests: number;
  errors: number;
  errorsByKind: Record<string, number>;
}

export function newRecorder(latency: Histogram | null, acquireWait: Histogram | null): Recorder {
  return { latency, acquireWait, requests: 0, errors: 0, errorsByKind: {} };
}

/** When the phase ends: after `requests` requests in all, at `deadlineNs`, or when stopped (SIGINT). */
export interface PhaseLimit {
  remainingRequests: number;
  deadlineNs: bigint;
  stopped: () => boolean;
}

const now = (): bigint => process.hrtime.bigint();
const elapsedUs = (from: bigint, to: bigint): number => Number((to - from) / 1000n);

/**
 * Closed loop: `concurrency` workers each run requests back to back. The timed part of a request holds nothing
 * but the work: one clock read before acquire, one after it, one after the last reply.
 */
export async function runClosedLoop(
  strategy: Strategy,
  workload: Workload,
  concurrency: number,
  limit: PhaseLimit,
  recorder: Recorder,
): Promise<void> {
  const worker = async (): Promise<void> => {
    while (limit.remainingRequests > 0 && !limit.stopped()) {
      const start = now();
      if (start >= limit.deadlineNs) return;
      limit.remainingRequests--;
      await runOne(strategy, workload, recorder, start);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function runOne(strategy: Strategy, workload: Workload, recorder: Recorder, start: bigint): Promise<void> {
  let client;
  try {
    client = await strategy.acquire();
  } catch (error) {
    countError(recorder, error);
    return;
  }
  const acquired = now();
  let broken = false;
  try {
    await workload.run(client);
    const end = now();
    recorder.requests++;
    recorder.latency?.recordValue(elapsedUs(start, end));
    recorder.acquireWait?.recordValue(elapsedUs(start, acquired));
  } catch (error) {
    broken = breaksConnection(countError(recorder, error));
  }
  const releasing = strategy.release(client, broken);
  if (releasing) await releasing;
}

function countError(recorder: Recorder, error: unknown): ReturnType<typeof classifyError> {
  const kind = classifyError(error);
  recorder.requests++;
  recorder.errors++;
  recorder.errorsByKind[kind] = (recorder.errorsByKind[kind] ?? 0) + 1;
  return kind;
}
