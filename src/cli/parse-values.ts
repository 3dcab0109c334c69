import { UsageError } from '../errors.js';

/**
 * Strict parsers for flag values. Each throws a UsageError naming the flag, what it got and what it accepts,
 * so "abc", "", "NaN", "Infinity", "1.5" for an integer or "-3" all get a clear one-line answer.
 */

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

function fail(flag: string, raw: string, accepted: string): never {
  throw new UsageError(`${flag} must be ${accepted} (got ${JSON.stringify(raw)})`);
}

export interface IntegerRange {
  min: number;
  max?: number;
}

export function parseInteger(flag: string, raw: string, range: IntegerRange): number {
  const accepted = range.max === undefined ? `a whole number ≥ ${range.min}` : `a whole number from ${range.min} to ${range.max}`;
  const text = raw.trim();
  if (!/^[+-]?\d+$/.test(text)) fail(flag, raw, accepted);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < range.min || (range.max !== undefined && value > range.max)) fail(flag, raw, accepted);
  return value;
}

export interface NumberRange {
  /** Lower bound; values equal to it are rejected when `minExclusive`. */
  min: number;
  minExclusive?: boolean;
  max?: number;
  unit?: string;
}

export function parseNumber(flag: string, raw: string, range: NumberRange): number {
  const unit = range.unit ? ` ${range.unit}` : '';
  const lower = range.minExclusive ? `> ${range.min}` : `≥ ${range.min}`;
  const accepted = range.max === undefined ? `a number ${lower}${unit}` : `a number ${lower} and ≤ ${range.max}${unit}`;
  const text = raw.trim();
  if (!DECIMAL.test(text)) fail(flag, raw, accepted);
  const value = Number(text);
  if (!Number.isFinite(value)) fail(flag, raw, accepted);
  if (range.minExclusive ? value <= range.min : value < range.min) fail(flag, raw, accepted);
  if (range.max !== undefined && value > range.max) fail(flag, raw, accepted);
  return value;
}

/**
 * A fraction written as 0.1 or as a percentage, 10%. `allowOne` admits exactly 1 (100 %);
 * bare numbers above 1 are refused rather than guessed to be percentages.
 */
export function parseFraction(flag: string, raw: string, { allowOne }: { allowOne: boolean }): number {
  const interval = allowOne ? '(0, 1]' : '(0, 1)';
  const accepted = `a fraction in ${interval} or a percentage such as 10%`;
  const text = raw.trim();
  const isPercent = text.endsWith('%');
  const numberText = isPercent ? text.slice(0, -1).trim() : text;
  if (!DECIMAL.test(numberText)) fail(flag, raw, accepted);
  const value = Number(numberText) / (isPercent ? 100 : 1);
  if (!Number.isFinite(value) || value <= 0 || value > 1 || (!allowOne && value === 1)) fail(flag, raw, accepted);
  return value;
}

export function parseChoice<T extends string>(flag: string, raw: string, choices: readonly T[]): T {
  const value = raw.trim() as T;
  if (!choices.includes(value)) fail(flag, raw, `one of ${choices.join(', ')}`);
  return value;
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration such as 500ms, 10s, 2m, 1.5h; a bare number means seconds. Returns milliseconds (> 0). */
export function parseDuration(flag: string, raw: string, maxMs = 24 * 3_600_000): number {
  const accepted = 'a duration such as 500ms, 10s, 2m or 1h (a bare number means seconds)';
  const match = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?$/i.exec(raw.trim());
  if (!match) fail(flag, raw, accepted);
  const ms = Number(match[1]) * DURATION_UNITS_MS[(match[2] ?? 's').toLowerCase()]!;
  if (!(ms > 0) || ms > maxMs) fail(flag, raw, `${accepted}, more than 0 and at most ${maxMs / 3_600_000} h`);
  return ms;
}

/** A comma-separated list of choices, e.g. per-request,pooled; duplicates are refused. */
export function parseChoiceList<T extends string>(flag: string, raw: string, choices: readonly T[]): T[] {
  const items = raw.split(',').map((item) => item.trim());
  const accepted = `a comma-separated list of ${choices.join(', ')}`;
  if (items.some((item) => !choices.includes(item as T))) fail(flag, raw, accepted);
  if (new Set(items).size !== items.length) fail(flag, raw, `${accepted}, each at most once`);
  return items as T[];
}
