import { parseDuration } from '../../cli/parse-values.js';
import { UsageError } from '../../errors.js';

export type FaultKind = 'restart' | 'kill-clients' | 'pause' | 'stall';

/** A fault injected into each strategy's measured window, `atMs` after it starts. */
export interface FaultSpec {
  kind: FaultKind;
  atMs: number;
  /** pause and stall: how long the server stops answering. */
  durationMs: number | null;
  /** As written, e.g. "pause:500@2s". */
  text: string;
}

const ACCEPTED = 'restart@<time>, kill-clients@<time>, pause:<ms>@<time> or stall:<ms>@<time>, e.g. pause:500@2s';

export function parseFault(raw: string): FaultSpec {
  const match = /^(restart|kill-clients|pause:(\d+)|stall:(\d+))@(.+)$/.exec(raw.trim());
  if (!match) throw new UsageError(`--fault must be ${ACCEPTED} (got ${JSON.stringify(raw)})`);
  const kind = match[1]!.split(':')[0] as FaultKind;
  const durationText = match[2] ?? match[3];
  const durationMs = durationText !== undefined ? Number(durationText) : null;
  if (durationMs !== null && (durationMs < 1 || durationMs > 60_000)) {
    throw new UsageError(`--fault ${kind} lasts 1 to 60000 ms (got ${JSON.stringify(raw)})`);
  }
  return { kind, atMs: parseDuration('--fault', match[4]!), durationMs, text: raw.trim() };
}

/**
 * A fault is injected `atMs` into each strategy's measured window, so one due at or after a timed window's end would
 * never happen: refused up front. A window counted in requests (--requests) has no length known in advance: every time
 * is accepted then, and a fault the window outran is reported as not injected (warning fault-not-injected).
 */
export function checkFaultsInWindow(faults: readonly FaultSpec[], windowMs: number | null): void {
  if (windowMs === null) return;
  const late = faults.find((fault) => fault.atMs >= windowMs);
  if (late === undefined) return;
  throw new UsageError(
    `--fault ${late.text} is due ${readableTime(late.atMs)} into a measured window that lasts ${readableTime(windowMs)} (--duration): give it a time below ${readableTime(windowMs)}, or a longer --duration`,
  );
}

const readableTime = (ms: number): string => (ms >= 1000 ? `${Number((ms / 1000).toFixed(3))} s` : `${ms} ms`);
