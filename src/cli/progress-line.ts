import type { ProgressSnapshot } from '../bench/run/progress.js';
import { formatCount, plural } from '../format.js';

/** The live rate is measured over about the last second. */
const RATE_WINDOW_MS = 1000;

/** Where the line is drawn: stderr, or anything with the same few members (tests). */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/**
 * One line on stderr while bench runs, for a person watching a terminal: which run of how many, how far
 * into it, the live request rate and the errors so far. Redrawn in place on each snapshot the runner hands to
 * its onProgress hook (every 250 ms) and erased when the run ends, so that nothing of it is left above the
 * report. Off when stderr is not a terminal, and with --quiet. It draws from the snapshots alone.
 */
export class ProgressLine {
  private phase = '';
  private samples: { atMs: number; requests: number }[] = [];
  private drawn = false;
  private stopped = false;

  constructor(
    private readonly stream: ProgressStream = process.stderr,
    readonly enabled = stream.isTTY === true,
  ) {}

  readonly update = (snapshot: ProgressSnapshot): void => {
    if (!this.enabled || this.stopped) return;
    const phase = `${snapshot.run}/${snapshot.phase}`;
    if (phase !== this.phase) {
      this.phase = phase;
      this.samples = [];
    }
    this.draw(describeProgress(snapshot, this.liveRate(snapshot.elapsedMs, snapshot.requests)));
  };

  /** Any other line in the same place, such as the --start-at countdown; replaced by the next one drawn. */
  show(text: string): void {
    if (!this.enabled || this.stopped) return;
    this.draw(text);
  }

  /** Erases the line drawn, if any; the next update draws a new one. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\u001b[2K');
    this.drawn = false;
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  private draw(text: string): void {
    const width = this.stream.columns || 80; // 0 on a terminal of unknown size
    // A line longer than the terminal would wrap, and \r would then only erase its last row.
    this.stream.write(`\r\u001b[2K${text.length < width ? text : `${text.slice(0, Math.max(0, width - 2))}…`}`);
    this.drawn = true;
  }

  /** Requests per second over about the last second of the phase. */
  private liveRate(nowMs: number, requests: number): number | null {
    this.samples.push({ atMs: nowMs, requests });
    while (this.samples.length > 1 && nowMs - this.samples[0]!.atMs > RATE_WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const spanMs = nowMs - first.atMs;
    if (spanMs <= 0) return nowMs > 0 ? (requests * 1000) / nowMs : null;
    return ((requests - first.requests) * 1000) / spanMs;
  }
}

/** e.g. "[2/3] pooled(max=50) measure  4.2 of 10 s  23,456 req/s  0 errors" */
export function describeProgress(snapshot: ProgressSnapshot, ratePerSec: number | null): string {
  const phase = snapshot.phase === 'warmup' ? 'warm-up' : 'measure';
  const howFar =
    snapshot.plannedRequests !== null
      ? `${formatCount(snapshot.requests)} of ${formatCount(snapshot.plannedRequests)} requests`
      : `${seconds(snapshot.elapsedMs)} of ${seconds(snapshot.plannedDurationMs ?? 0)} s`;
  const rate = ratePerSec === null ? '– req/s' : `${formatCount(Math.round(ratePerSec))} req/s`;
  const errors = snapshot.errors;
  return `[${snapshot.run}/${snapshot.runs}] ${snapshot.label} ${phase}  ${howFar}  ${rate}  ${plural(errors, 'error')}`;
}

/** e.g. "waiting for --start-at 2026-12-01T12:00:00Z: starts in 1 min 04 s" */
export function describeCountdown(startAt: string, remainingMs: number): string {
  return `waiting for --start-at ${startAt}: starts in ${countdown(remainingMs)}`;
}

/** Whole seconds left, rounded up (the last second reads "1 s", not "0 s"): 42 s, 1 min 04 s, 2 h 03 min. */
function countdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const two = (n: number): string => String(n).padStart(2, '0');
  if (total < 60) return `${total} s`;
  if (total < 3600) return `${Math.floor(total / 60)} min ${two(total % 60)} s`;
  return `${Math.floor(total / 3600)} h ${two(Math.floor((total % 3600) / 60))} min`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1).replace(/\.0$/, '');
}
