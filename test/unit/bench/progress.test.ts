import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { newRecorder } from '../../../src/bench/run/load-loop.js';
import { feedProgress, type ProgressSnapshot } from '../../../src/bench/run/progress.js';

const PHASE = {
  strategy: 'pooled',
  label: 'pooled(max=4)',
  run: 1,
  runs: 2,
  phase: 'measure',
  plannedRequests: null,
  plannedDurationMs: 1500,
} as const;

describe('the progress snapshots a phase hands out', () => {
  it('are frozen copies of the counts, taken on a timer until stopped', async () => {
    const recorder = newRecorder(null, null);
    const snapshots: ProgressSnapshot[] = [];
    const stop = feedProgress(PHASE, process.hrtime.bigint(), recorder, (s) => snapshots.push(s), 20);
    recorder.requests = 10;
    await sleep(50);
    recorder.requests = 25;
    recorder.errors = 1;
    await sleep(50);
    stop();
    const seen = snapshots.length;
    await sleep(60);
    expect(snapshots.length).toBe(seen);
    expect(seen).toBeGreaterThanOrEqual(2);
    const [first, last] = [snapshots[0]!, snapshots[seen - 1]!];
    expect(first).toMatchObject({ ...PHASE, requests: 10, errors: 0 });
    expect(last).toMatchObject({ ...PHASE, requests: 25, errors: 1 });
    expect(last.elapsedMs).toBeGreaterThan(first.elapsedMs);
    expect(Object.isFrozen(first)).toBe(true);
    // The loop going on does not change what was handed out.
    recorder.requests = 99;
    expect(first.requests).toBe(10);
  });
});
