import { describe, expect, it } from 'vitest';
import type { PhaseProgress } from '../../../src/bench/runner.js';
import { newRecorder } from '../../../src/bench/load-loop.js';
import { describeProgress, ProgressLine } from '../../../src/cli/progress-line.js';

const phase = (over: Partial<PhaseProgress> = {}): PhaseProgress => ({
  strategy: 'pooled',
  label: 'pooled(max=8)',
  run: 2,
  runs: 3,
  phase: 'measure',
  startedNs: process.hrtime.bigint(),
  requests: null,
  durationMs: 10_000,
  recorder: Object.assign(newRecorder(null, null), { requests: 12_345, errors: 1 }),
  ...over,
});

describe('the progress line', () => {
  it('says run i of n, how far into the phase, the live rate and the errors', () => {
    expect(describeProgress(phase(), 4200, 23_456.4)).toBe('[2/3] pooled(max=8) measure  4.2 of 10 s  23,456 req/s  1 error');
    expect(describeProgress(phase({ requests: 50_000, durationMs: null }), 900, 1000)).toBe('[2/3] pooled(max=8) measure  12,345 of 50,000 requests  1,000 req/s  1 error');
    expect(describeProgress(phase({ phase: 'warmup', durationMs: 1000 }), 500, null)).toBe('[2/3] pooled(max=8) warm-up  0.5 of 1 s  – req/s  1 error');
  });

  it('draws nothing, and erases nothing, when disabled (not a terminal, or --quiet)', () => {
    const written: string[] = [];
    const line = new ProgressLine({ isTTY: true, write: (text) => written.push(text) }, false);
    line.update(phase());
    line.stop();
    expect(written).toEqual([]);
  });
});
