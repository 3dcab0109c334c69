import type { PhaseProgress } from '../bench/runner.js';
import { formatCount } from '../format.js';

const RENDER_EVERY_MS = 250;
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
 * into it, the live request rate and the errors so far. Redrawn in place every 250 ms and erased when the run
 * ends, so that nothing of it is left above the report. Off when stderr is not a terminal, and with --quiet.
 * It only reads what the runner hands to its onPhase hook.
 */
export class ProgressLine {
  private current: PhaseProgress | undefined;
  private samples: { atMs: number; requests: number }[] = [];
  private readonly timer: NodeJS.Timeout | undefined;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream = process.stderr,
    readonly enabled = stream.isTTY === true,
  ) {
    if (enabled) this.timer = setInterval(() => this.render(), RENDER_EVERY_MS).unref();
  }

  readonly update = (progress: PhaseProgress): void => {
    this.current = progress;
    this.samples = [];
  };

  stop(): void {
    clearInterval(this.timer);
    this.current = undefined;
    if (this.drawn) this.stream.write('\r\u001b[2K');
    this.drawn = false;
  }

  private render(): void {
    const progress = this.current;
    if (!progress) return;
    const nowMs = Number(process.hrtime.bigint() - progress.startedNs) / 1e6;
    const text = describeProgress(progress, nowMs, this.liveRate(nowMs, progress.recorder.requests));
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

/** e.g. "[2/3] pooled(max=50) measure  4.2 s of 10 s  23,456 req/s  0 errors" */
export function describeProgress(progress: PhaseProgress, elapsedMs: number, ratePerSec: number | null): string {
  const phase = progress.phase === 'warmup' ? 'warm-up' : 'measure';
  const done = progress.recorder.requests;
  const howFar =
    progress.requests !== null
      ? `${formatCount(done)} of ${formatCount(progress.requests)} requests`
      : `${seconds(elapsedMs)} of ${seconds(progress.durationMs ?? 0)} s`;
  const rate = ratePerSec === null ? '– req/s' : `${formatCount(Math.round(ratePerSec))} req/s`;
  const errors = progress.recorder.errors;
  return `[${progress.run}/${progress.runs}] ${progress.label} ${phase}  ${howFar}  ${rate}  ${formatCount(errors)} error${errors === 1 ? '' : 's'}`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1).replace(/\.0$/, '');
}
