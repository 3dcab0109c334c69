import { UsageError } from './errors.js';
import { formatBytes } from './format.js';

/**
 * The one parser of each kind of value (count, number, share, duration, size, choice), used by the flags and
 * by scenario files alike. Each takes the text as written and the name to blame (`--acquire-timeout`,
 * `pool.acquireTimeoutMs`), and throws an InvalidValueError that says what it got and what it accepts.
 *
 * The rules a user can predict:
 * - durations take a unit: ms, s, m, h (500ms, 5s, 1.5m, 1h). A bare number is milliseconds only where the
 *   name says so: the flags shown as `<ms>` and the scenario fields named …Ms. Everywhere else (--duration,
 *   --warmup, fault times) a bare number is refused, except 0 where 0 is allowed.
 * - shares take 10% or 0.1; a bare number above 1 is refused, since it reads as a percentage without its sign.
 * - sizes take B, KB/MB/GB (powers of 1000) or KiB/MiB/GiB (powers of 1024); a bare number is bytes.
 */
export class InvalidValueError extends UsageError {
  constructor(
    /** The flag or field blamed. */
    readonly field: string,
    /** What it accepts, the phrase after "must be". */
    readonly accepted: string,
    /** What it got, as shown (a JSON string for text). */
    readonly got: string,
    /** How to fix a likely mistake, or undefined. */
    readonly hint?: string,
  ) {
    super(`${field} must be ${accepted} (got ${got})${hint ? `; ${hint}` : ''}`);
  }
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
/** A plain unsigned decimal, the number part of a duration, share or size. */
const PLAIN = String.raw`(\d+(?:\.\d+)?|\.\d+)`;
const BARE = new RegExp(`^${PLAIN}$`);

function fail(field: string, raw: string, accepted: string, hint?: string): never {
  throw new InvalidValueError(field, accepted, JSON.stringify(raw), hint);
}

// ---- counts and plain numbers ------------------------------------------------------------------------------

export interface IntegerRange {
  min: number;
  max?: number;
}

/** A count: a whole number in range, written without a unit (12, not 12.0 or 1e1). */
export function parseInteger(field: string, raw: string, range: IntegerRange): number {
  const accepted =
    range.max === undefined ? `a whole number ≥ ${range.min}` : `a whole number from ${range.min} to ${range.max}`;
  const text = raw.trim();
  if (!/^[+-]?\d+$/.test(text)) fail(field, raw, accepted);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < range.min || (range.max !== undefined && value > range.max))
    fail(field, raw, accepted);
  return value;
}

export interface NumberRange {
  /** Lower bound; values equal to it are rejected when `minExclusive`. */
  min: number;
  minExclusive?: boolean;
  max?: number;
  unit?: string;
}

/** A number that has no unit to write (a rate, a weight). */
export function parseNumber(field: string, raw: string, range: NumberRange): number {
  const unit = range.unit ? ` ${range.unit}` : '';
  const lower = range.minExclusive ? `> ${range.min}` : `≥ ${range.min}`;
  const accepted = range.max === undefined ? `a number ${lower}${unit}` : `a number ${lower} and ≤ ${range.max}${unit}`;
  const text = raw.trim();
  if (!DECIMAL.test(text)) fail(field, raw, accepted);
  const value = Number(text);
  if (!Number.isFinite(value)) fail(field, raw, accepted);
  if (range.minExclusive ? value <= range.min : value < range.min) fail(field, raw, accepted);
  if (range.max !== undefined && value > range.max) fail(field, raw, accepted);
  return value;
}

export interface CountListRange {
  min: number;
  max: number;
  maxItems: number;
  /** What a count is, for the messages: a pool size (the default) or a rate. */
  noun?: 'size' | 'rate';
}

const COUNT_LIST_EXAMPLES = {
  size: 'a size (12), a list (2,4,8) or a range (2..12 or 2..12:2) of whole numbers',
  rate: 'a rate (5000), a list (1000,4000,16000) or a range (2000..20000:2000) of whole requests per second',
};

/** One count (12), a list (2,4,8) or a range (2..12, 2..12:2): the pool sizes of a sweep, or its rates. */
export function parseCountList(field: string, raw: string, range: CountListRange): number[] {
  const noun = range.noun ?? 'size';
  const accepted = `${COUNT_LIST_EXAMPLES[noun]} from ${range.min} to ${range.max}`;
  const text = raw.trim();
  const span = /^(\d+)\s*\.\.\s*(\d+)(?:\s*:\s*(\d+))?$/.exec(text);
  let counts: number[];
  if (span) {
    const [from, to, step] = [Number(span[1]), Number(span[2]), Number(span[3] ?? 1)];
    if (from > to || step < 1)
      fail(field, raw, accepted, from > to ? 'a range goes from the smaller to the larger' : 'a step is at least 1');
    counts = [];
    for (let count = from; count <= to && counts.length <= range.maxItems; count += step) counts.push(count);
  } else {
    if (!/^\d+(\s*,\s*\d+)*$/.test(text)) fail(field, raw, accepted);
    counts = text.split(',').map((part) => Number(part.trim()));
  }
  if (counts.some((count) => count < range.min || count > range.max)) fail(field, raw, accepted);
  if (new Set(counts).size !== counts.length)
    throw new UsageError(`${field} lists a ${noun} twice (got ${JSON.stringify(raw)})`);
  if (counts.length > range.maxItems)
    throw new UsageError(`${field}: a sweep runs at most ${range.maxItems} ${noun}s (got ${counts.length})`);
  return counts;
}

// ---- shares ------------------------------------------------------------------------------------------------

export interface FractionRange {
  /** Admit 0 (0 % is meaningful, e.g. "no regression allowed"); default false. */
  allowZero?: boolean;
  /** Admit the upper bound itself; default true. */
  allowMax?: boolean;
  /** Upper bound as a fraction; default 1 (100 %). */
  max?: number;
}

/** A share written as a percentage (10%) or a fraction (0.1). Returns the fraction. */
export function parseFraction(field: string, raw: string, range: FractionRange = {}): number {
  const max = range.max ?? 1;
  const allowMax = range.allowMax ?? true;
  const lower = range.allowZero ? 'from 0%' : 'more than 0%';
  const upper = `${allowMax ? (range.allowZero ? 'to' : 'and at most') : 'and less than'} ${percent(max)}`;
  const accepted = `a percentage such as 10% or a fraction such as 0.1, ${lower} ${upper}`;
  const text = raw.trim();
  const isPercent = text.endsWith('%');
  const numberText = isPercent ? text.slice(0, -1).trim() : text;
  if (!DECIMAL.test(numberText)) fail(field, raw, accepted);
  const number = Number(numberText);
  if (!isPercent && number > 1) {
    fail(
      field,
      raw,
      accepted,
      `a bare number is a fraction (0.1 = 10%): write ${numberText}% for ${numberText} percent`,
    );
  }
  const value = isPercent ? number / 100 : number;
  const tooLow = range.allowZero ? value < 0 : value <= 0;
  const tooHigh = allowMax ? value > max : value >= max;
  if (!Number.isFinite(value) || tooLow || tooHigh) fail(field, raw, accepted);
  return value;
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(12))}%`;
}

// ---- durations ---------------------------------------------------------------------------------------------

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = new RegExp(`^${PLAIN}\\s*(ms|s|m|h)$`, 'i');

export interface DurationRange {
  /**
   * What a number without a unit means: milliseconds where the name says so (`--think <ms>`, `thinkMs`),
   * or nothing (`--duration`, `--warmup`, fault times): refused, except 0 when 0 is in range.
   */
  bare: 'ms' | 'refused';
  /** Bounds in milliseconds; `min` is excluded when `minExclusive`. */
  min: number;
  minExclusive?: boolean;
  max: number;
  /** Refuse fractions of a millisecond (timers that take whole ms). */
  whole?: boolean;
}

const RUN_LENGTH: DurationRange = { bare: 'refused', min: 0, minExclusive: true, max: 24 * 3_600_000 };

/** A duration such as 500ms, 5s, 1.5m or 1h; returns milliseconds. */
export function parseDuration(field: string, raw: string, range: DurationRange = RUN_LENGTH): number {
  const accepted = durationAccepted(range);
  const text = raw.trim();
  let ms: number;
  if (BARE.test(text)) {
    const value = Number(text);
    if (range.bare === 'refused' && value !== 0) {
      fail(
        field,
        raw,
        accepted,
        `a bare number has no unit here: write ${text}s for seconds or ${text}ms for milliseconds`,
      );
    }
    ms = value;
  } else {
    const match = DURATION.exec(text);
    if (!match) fail(field, raw, accepted);
    ms = Number(match[1]) * DURATION_UNITS_MS[match[2]!.toLowerCase()]!;
  }
  // 1.1s is 1100.0000000000002 ms in binary floating point: snap what is a whole ms but for rounding.
  // Relative, so that a sub-microsecond duration (a hold of 0.0000001 ms) is not snapped to 0.
  const rounded = Math.round(ms);
  if (rounded !== 0 && Math.abs(ms - rounded) <= Math.abs(rounded) * 1e-12) ms = rounded;
  const tooLow = range.minExclusive ? ms <= range.min : ms < range.min;
  if (!Number.isFinite(ms) || tooLow || ms > range.max || (range.whole && !Number.isInteger(ms)))
    fail(field, raw, accepted);
  return ms;
}

function durationAccepted(range: DurationRange): string {
  const forms =
    range.bare === 'ms'
      ? 'a duration such as 500ms, 5s or 1.5m, or a bare number of milliseconds'
      : 'a duration with a unit, such as 500ms, 10s, 1.5m or 1h';
  const lower = range.minExclusive
    ? `more than ${durationFlagText(range.min)} and at most`
    : `from ${durationFlagText(range.min)} to`;
  return `${forms}, ${lower} ${durationFlagText(range.max)}${range.whole ? ' in whole milliseconds' : ''}`;
}

/** As a flag would take it: 86400000 → "24h", 1500 → "1500ms", 0 → "0". */
function durationFlagText(ms: number): string {
  if (ms === 0) return '0';
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

export interface Warmup {
  requests: number | null;
  durationMs: number | null;
}

const WARMUP_ACCEPTED = 'a duration such as 2s or 500ms, a request count such as 500req, or 0 for none';
const MAX_WARMUP_REQUESTS = 1e9;

/**
 * A warm-up: a time (2s) or a request count with its unit (500req); 0 (or 0s) turns it off. A bare number is refused,
 * since it could mean either.
 */
export function parseWarmup(field: string, raw: string): Warmup {
  const text = raw.trim();
  if (BARE.test(text) && Number(text) === 0) return { requests: null, durationMs: null };
  if (BARE.test(text)) {
    fail(
      field,
      raw,
      WARMUP_ACCEPTED,
      `a bare number is ambiguous here: write ${text}req for ${text} requests, or ${text}s or ${text}ms for a time`,
    );
  }
  const count = /^(\d+)\s*(req|requests)$/i.exec(text);
  if (count) {
    const requests = Number(count[1]);
    if (requests < 1 || requests > MAX_WARMUP_REQUESTS)
      fail(field, raw, `${WARMUP_ACCEPTED}; a count is from 1req to ${MAX_WARMUP_REQUESTS}req`);
    return { requests, durationMs: null };
  }
  if (!DURATION.test(text)) fail(field, raw, WARMUP_ACCEPTED);
  try {
    const durationMs = parseDuration(field, raw, { ...RUN_LENGTH, minExclusive: false });
    return { requests: null, durationMs: durationMs === 0 ? null : durationMs };
  } catch (error) {
    if (error instanceof InvalidValueError) fail(field, raw, `${WARMUP_ACCEPTED}; a time is at most 24h`);
    throw error;
  }
}

// ---- sizes -------------------------------------------------------------------------------------------------

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};
const SIZE = new RegExp(`^${PLAIN}\\s*([kmg]i?b|b)?$`, 'i');

export interface SizeRange {
  min: number;
  max: number;
}

/** A size in bytes: 512, 512B, 4KB (4000), 4KiB (4096), 1MiB; a whole number of bytes. */
export function parseSize(field: string, raw: string, range: SizeRange): number {
  const accepted =
    'a size such as 512 (bytes), 4KB (4000 bytes), 4KiB (4096 bytes) or 1MiB, ' +
    `from ${formatBytes(range.min, 'flag')} to ${formatBytes(range.max, 'flag')}`;
  const match = SIZE.exec(raw.trim());
  if (!match) fail(field, raw, accepted);
  const exact = Number(match[1]) * SIZE_UNITS[(match[2] ?? 'b').toLowerCase()]!;
  const bytes = Math.round(exact);
  if (Math.abs(exact - bytes) > 1e-6) fail(field, raw, accepted, 'that is not a whole number of bytes');
  if (bytes < range.min || bytes > range.max) fail(field, raw, accepted);
  return bytes;
}

// ---- choices -----------------------------------------------------------------------------------------------

export function parseChoice<T extends string>(field: string, raw: string, choices: readonly T[]): T {
  const value = raw.trim() as T;
  if (!choices.includes(value)) fail(field, raw, `one of ${choices.join(', ')}`);
  return value;
}

/** A comma-separated list of choices, e.g. per-request,pooled; duplicates are refused. */
export function parseChoiceList<T extends string>(field: string, raw: string, choices: readonly T[]): T[] {
  const items = raw.split(',').map((item) => item.trim());
  const accepted = `a comma-separated list of ${choices.join(', ')}`;
  if (items.some((item) => !choices.includes(item as T))) fail(field, raw, accepted);
  if (new Set(items).size !== items.length) fail(field, raw, `${accepted}, each at most once`);
  return items as T[];
}
