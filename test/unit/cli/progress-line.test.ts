import { describe, expect, it } from 'vitest';
import type { ProgressSnapshot } from '../../../src/bench/run/progress.js';
import { describeCountdown, describeProgress, ProgressLine } from '../../../src/cli/progress-line.js';

const snapshot = (over: Partial<ProgressSnapshot> = {}): ProgressSnapshot => ({
  strategy: 'pooled',
  label: 'pooled(max=8)',
  run: 2,
  runs: 3,
  phase: 'measure',
  elapsedMs: 4200,
  plannedRequests: null,
  plannedDurationMs: 10_000,
  requests: 12_345,
  errors: 1,
  ...over,
});

describe('the progress line', () => {
  it('says run i of n, how far into the phase, the live rate and the errors', () => {
    expect(describeProgress(snapshot(), 23_456.4)).toBe(
      '[2/3] pooled(max=8) measure  4.2 of 10 s  23,456 req/s  1 error',
    );
    expect(describeProgress(snapshot({ plannedRequests: 50_000, plannedDurationMs: null, elapsedMs: 900 }), 1000)).toBe(
      '[2/3] pooled(max=8) measure  12,345 of 50,000 requests  1,000 req/s  1 error',
    );
    expect(describeProgress(snapshot({ phase: 'warmup', plannedDurationMs: 1000, elapsedMs: 500 }), null)).toBe(
      '[2/3] pooled(max=8) warm-up  0.5 of 1 s  – req/s  1 error',
    );
  });

  it('draws nothing, and erases nothing, when disabled (not a terminal, or --quiet)', () => {
    const written: string[] = [];
    const line = new ProgressLine({ isTTY: true, write: (text) => written.push(text) }, false);
    line.update(snapshot());
    line.stop();
    expect(written).toEqual([]);
  });

  it('draws each snapshot in place, with the rate over the last second of the phase, and erases itself at the end', () => {
    const written: string[] = [];
    const line = new ProgressLine({ isTTY: true, columns: 200, write: (text) => written.push(text) });
    line.update(snapshot({ elapsedMs: 250, requests: 1000, errors: 0 }));
    line.update(snapshot({ elapsedMs: 500, requests: 3000, errors: 0 }));
    // A new phase starts its rate afresh.
    line.update(snapshot({ run: 3, elapsedMs: 250, requests: 500, errors: 0 }));
    line.stop();
    line.update(snapshot());
    expect(written).toEqual([
      '\r\u001b[2K[2/3] pooled(max=8) measure  0.3 of 10 s  4,000 req/s  0 errors',
      '\r\u001b[2K[2/3] pooled(max=8) measure  0.5 of 10 s  8,000 req/s  0 errors',
      '\r\u001b[2K[3/3] pooled(max=8) measure  0.3 of 10 s  2,000 req/s  0 errors',
      '\r\u001b[2K',
    ]);
  });
});

describe('the --start-at countdown', () => {
  it('says the time given and the whole seconds left, rounded up', () => {
    expect(describeCountdown('2026-12-01T12:00:00Z', 4_200)).toBe(
      'waiting for --start-at 2026-12-01T12:00:00Z: starts in 5 s',
    );
    expect(describeCountdown('2026-12-01T12:00:00Z', 1)).toBe(
      'waiting for --start-at 2026-12-01T12:00:00Z: starts in 1 s',
    );
    expect(describeCountdown('2026-12-01T12:00:00Z', 64_000)).toBe(
      'waiting for --start-at 2026-12-01T12:00:00Z: starts in 1 min 04 s',
    );
    expect(describeCountdown('2026-12-01T12:00:00Z', 7_380_000)).toBe(
      'waiting for --start-at 2026-12-01T12:00:00Z: starts in 2 h 03 min',
    );
  });

  it("is drawn in the progress line's place and erased by clear(), which leaves the line usable", () => {
    const written: string[] = [];
    const line = new ProgressLine({ isTTY: true, columns: 100, write: (text: string) => written.push(text) });
    line.show('waiting for --start-at 2026-12-01T12:00:00Z: starts in 5 s');
    line.clear();
    line.show('again');
    line.stop();
    line.show('after stop');
    expect(written).toEqual([
      '\r\u001b[2Kwaiting for --start-at 2026-12-01T12:00:00Z: starts in 5 s',
      '\r\u001b[2K',
      '\r\u001b[2Kagain',
      '\r\u001b[2K',
    ]);
  });
});
