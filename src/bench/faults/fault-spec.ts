import { UsageError } from '../../errors.js';
import { InvalidValueError, parseDuration } from '../../values.js';
import { RANGES } from '../value-ranges.js';

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
