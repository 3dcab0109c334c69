import { UsageError } from '../../errors.js';
import { InvalidValueError, parseDuration } from '../../values.js';
import { RANGES } from '../../value-ranges.js';
import type { FaultKind, FaultSpec } from '../../schema/bench.js';

const ACCEPTED = 'restart@<time>, kill-clients@<time>, pause:<ms>@<time> or stall:<ms>@<time>, e.g. pause:500@2s';

/** `<ms>` reads a bare number as milliseconds (pause:500 or pause:0.5s); the `@<time>` needs a unit (@2s). */
export function parseFault(raw: string): FaultSpec {
  const match = /^(restart|kill-clients|(pause|stall):([^@]*))@(.*)$/.exec(raw.trim());
  if (!match) throw new UsageError(`--fault must be ${ACCEPTED} (got ${JSON.stringify(raw)})`);
  const kind = (match[2] ?? match[1]) as FaultKind;
  const durationMs = match[3] !== undefined ? part(raw, `the ${kind} length`, match[3], RANGES.faultLength) : null;
  return { kind, atMs: part(raw, 'the time after @', match[4]!, RANGES.runLength), durationMs, text: raw.trim() };
}

/** The whole fault, then what is wrong with one part of it. */
function part(raw: string, field: string, text: string, range: Parameters<typeof parseDuration>[2]): number {
  try {
    return parseDuration(field, text, range);
  } catch (error) {
    if (error instanceof InvalidValueError) throw new UsageError(`--fault ${JSON.stringify(raw)}: ${error.message}`);
    throw error;
  }
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
    `--fault ${late.text} is due ${readableTime(late.atMs)} into a ` +
      `measured window that lasts ${readableTime(windowMs)} (--duration): ` +
      `give it a time below ${readableTime(windowMs)}, or a longer --duration`,
  );
}

const readableTime = (ms: number): string => (ms >= 1000 ? `${Number((ms / 1000).toFixed(3))} s` : `${ms} ms`);
