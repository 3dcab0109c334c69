import { describe, expect, it } from 'vitest';
import { checkFaultsInWindow, parseFault } from '../../../src/bench/faults/fault-spec.js';
import { parseBenchConfig } from '../../../src/cli/bench-options.js';
import { recoveryMs, Timeline } from '../../../src/bench/faults/recovery.js';
import { classifyError } from '../../../src/bench/run/error-kinds.js';
import { UsageError } from '../../../src/errors.js';

function timeline(slots: [ok: number, errors: number][]): Timeline {
  const t = new Timeline(0n, 10);
  slots.forEach(([ok, errors], slot) => {
    const ns = BigInt(slot * 10 + 5) * 1_000_000n;
    for (let i = 0; i < ok; i++) t.record(ns, true);
    for (let i = 0; i < errors; i++) t.record(ns, false);
  });
  return t;
}

describe('fault specs', () => {
  it('reads kind, time and duration', () => {
    expect(parseFault('restart@2s')).toEqual({ kind: 'restart', atMs: 2000, durationMs: null, text: 'restart@2s' });
    expect(parseFault('pause:500@1.5s')).toMatchObject({ kind: 'pause', atMs: 1500, durationMs: 500 });
    expect(parseFault('stall:250@300ms')).toMatchObject({ kind: 'stall', atMs: 300, durationMs: 250 });
    expect(parseFault('kill-clients@1m')).toMatchObject({ kind: 'kill-clients', atMs: 60_000 });
  });

  it('reads the length as ms (pause:<ms>) or with a unit, and needs a unit on the time (@<time>)', () => {
    expect(parseFault('pause:0.5s@2s')).toMatchObject({ kind: 'pause', atMs: 2000, durationMs: 500 });
    expect(parseFault('stall:800ms@1.5m')).toMatchObject({ kind: 'stall', atMs: 90_000, durationMs: 800 });
    expect(() => parseFault('restart@2')).toThrow(
      '--fault "restart@2": the time after @ must be a duration with a unit, such as 500ms, 10s, 1.5m or 1h, more than 0 and at most 24h (got "2"); ' +
        'a bare number has no unit here: write 2s for seconds or 2ms for milliseconds',
    );
    expect(() => parseFault('pause:2m@1s')).toThrow(
      /^--fault "pause:2m@1s": the pause length must be .*from 1ms to 1m in whole milliseconds \(got "2m"\)$/,
    );
  });

  it.each([
    '',
    'restart',
    'boom@1s',
    'pause@1s',
    'pause:0@1s',
    'pause:@1s',
    'stall:99999@1s',
    'restart@-1s',
    'restart@',
    'restart@1',
  ])('refuses %j', (raw) => {
    expect(() => parseFault(raw)).toThrow(UsageError);
  });
});

describe('faults inside the measured window', () => {
  it('refuses a fault due at or after the end of a timed window, naming its length', () => {
    expect(() => parseBenchConfig({ fault: ['restart@5s'], duration: '3s' })).toThrow(
      '--fault restart@5s is due 5 s into a measured window that lasts 3 s (--duration): give it a time below 3 s, or a longer --duration',
    );
    expect(() => parseBenchConfig({ fault: ['pause:100@3s'], duration: '3s' })).toThrow(UsageError);
    expect(() => parseBenchConfig({ fault: ['kill-clients@800ms'], duration: '500ms' })).toThrow(
      /due 800 ms into a measured window that lasts 500 ms/,
    );
    expect(() => parseBenchConfig({ fault: ['kill-clients@1s', 'stall:100@12s'] })).toThrow(
      /stall:100@12s is due 12 s into a measured window that lasts 10 s/,
    );
    expect(() => checkFaultsInWindow([parseFault('restart@1500ms')], 1250)).toThrow(
      /due 1.5 s into a measured window that lasts 1.25 s/,
    );
  });

  it('accepts a fault inside the window, and any time when the window is counted in requests', () => {
    expect(parseBenchConfig({ fault: ['restart@2999ms'], duration: '3s' }).faults).toHaveLength(1);
    expect(parseBenchConfig({ fault: ['restart@1h'], requests: '500' }).faults[0]).toMatchObject({ atMs: 3_600_000 });
  });
});

describe('recovery time', () => {
  it('runs to the end of the failures that follow the fault', () => {
    const t = timeline([
      [5, 0],
      [5, 0],
      [0, 3],
      [0, 4],
      [1, 2],
      [6, 0],
      [6, 0],
    ]);
    expect(recoveryMs(t, 1, 7)).toBe(40);
  });

  it('counts a silent gap (a pause) as not recovered', () => {
    const t = timeline([
      [5, 0],
      [2, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [9, 0],
      [5, 0],
    ]);
    expect(recoveryMs(t, 1, 7)).toBe(40);
  });

  it('includes a late failure before the next fault', () => {
    const t = timeline([
      [5, 0],
      [0, 1],
      [5, 0],
      [5, 0],
      [4, 1],
      [5, 0],
      [5, 0],
    ]);
    expect(recoveryMs(t, 1, 7)).toBe(40);
  });

  it('is null when nothing succeeded after the fault', () => {
    expect(
      recoveryMs(
        timeline([
          [5, 0],
          [0, 3],
          [0, 3],
        ]),
        1,
        3,
      ),
    ).toBeNull();
  });
});

describe('ephemeral port exhaustion', () => {
  it('is its own error kind', () => {
    expect(
      classifyError(Object.assign(new Error('connect EADDRNOTAVAIL 127.0.0.1:6379'), { code: 'EADDRNOTAVAIL' })),
    ).toBe('ephemeral-ports');
  });
});
