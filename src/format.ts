/**
 * Number formatting shared by every human-readable reporter. Pure: numbers in, strings out.
 * Milliseconds have four forms, each named for what it writes: formatMs (with its unit, precision by magnitude),
 * formatFixedMs (fixed decimals that line up in a column), formatTrimmedMs (decimals without trailing zeros) and
 * formatTwoDigitMs (two significant digits).
 */

/** A probability as a percentage with enough digits to tell small values apart: 0.9 %, 0.0013 %, < 0.0001 %. */
export function formatPercent(fraction: number): string {
  if (fraction === 0) return '0 %';
  const percent = fraction * 100;
  if (percent < 0.0001) return '< 0.0001 %';
  if (percent >= 1000) return `${formatCount(Math.round(percent))} %`;
  if (percent >= 10) return `${trimZeros(percent.toFixed(1))} %`;
  return `${Number(percent.toPrecision(2))} %`;
}

/** Milliseconds with precision that follows the magnitude: 0.042 ms, 1.27 ms, 312 ms, 3,435 ms. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '–';
  if (!Number.isFinite(ms)) return 'unbounded';
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${Number(ms.toPrecision(2))} ms`;
  if (ms < 100) return `${trimZeros(ms.toFixed(2))} ms`;
  return `${formatCount(ms)} ms`;
}

/** A small positive quantity to two significant digits, with a floor below which it reads "< 0.0001". */
export function formatSignificant(value: number): string {
  if (value === 0) return '0';
  if (value < 0.0001) return '< 0.0001';
  return String(Number(value.toPrecision(2)));
}

/** Milliseconds for a table column, fixed decimals so that a column lines up: 0.030, 12.5, 1,204. */
export function formatFixedMs(ms: number): string {
  return ms < 10 ? ms.toFixed(3) : ms < 1000 ? ms.toFixed(1) : formatCount(ms);
}

/** Milliseconds to 3 decimals below 10 ms and 1 above, trailing zeros dropped, no separators: 0.03, 0.245, 12.5, 1204.5. */
export function formatTrimmedMs(ms: number): string {
  return formatDecimal(ms, ms < 10 ? 3 : 1);
}

/** Milliseconds to two significant digits, whole from 100 up (a chart's axis): 0.059, 1.2, 30, 312. */
export function formatTwoDigitMs(ms: number): string {
  if (ms >= 100) return String(Math.round(ms));
  return String(Number(ms.toPrecision(2)));
}

/**
 * A whole number with a comma between thousands, as en-US writes it: 1,204. Written out rather than through
 * toLocaleString, whose first call loads ICU's number formatting: some 30 ms of every command's start.
 */
export function formatCount(value: number): string {
  const whole = Math.round(value);
  if (!(Math.abs(whole) < 1e21)) return whole.toLocaleString('en-US'); // ∞, NaN, and numbers String() writes with an exponent
  return String(whole).replace(/\B(?=(\d{3})+$)/g, ',');
}

/**
 * A count and its noun, the noun in the plural unless the count is exactly one, the count grouped as formatCount
 * groups it: "1 worker", "50 workers", "1,204 connections", "0 errors". `many` for a plural that is not noun + s.
 */
export function plural(count: number, noun: string, many = `${noun}s`): string {
  return `${formatCount(count)} ${count === 1 ? noun : many}`;
}

/**
 * A rate someone gave (--rate, size --rate), as given: whole rates grouped as formatCount groups them (10,000), a
 * fraction kept (0.5, 2.5, 1,000.25) rather than rounded to a whole request: at most three decimals.
 */
export function formatRate(perSecond: number): string {
  if (Number.isInteger(perSecond)) return formatCount(perSecond);
  const [whole, fraction] = formatDecimal(perSecond, 3).split('.');
  return fraction === undefined ? formatCount(Number(whole)) : `${formatCount(Number(whole))}.${fraction}`;
}

/** A rate worked out rather than given (a share of a peak): whole from 10/s up (6,667), else to three decimals. */
export function formatDerivedRate(perSecond: number): string {
  return formatRate(perSecond >= 10 ? Math.round(perSecond) : perSecond);
}

/** The units formatBytes writes a size in as a value to type, largest first: binary before decimal. */
const FLAG_BYTE_UNITS = [
  ['GiB', 1024 ** 3],
  ['MiB', 1024 ** 2],
  ['KiB', 1024],
  ['GB', 1000 ** 3],
  ['MB', 1000 ** 2],
  ['KB', 1000],
] as const;

/**
 * A size in bytes, in one of two forms that users see in different places:
 * - `'prose'`, in a report's text: binary units, at most one decimal, a space before the unit: 100 B, 1 KiB,
 *   1.5 KiB, 64 MiB;
 * - `'flag'`, as a value that a flag or a scenario file takes back (in the accepted range of an error message):
 *   exact, in the largest unit that divides it, binary before decimal, no space: 100B, 1KB, 4KiB, 64MiB.
 */
export function formatBytes(bytes: number, form: 'prose' | 'flag'): string {
  if (form === 'flag') {
    const unit = FLAG_BYTE_UNITS.find(([, size]) => bytes >= size && bytes % size === 0);
    return unit ? `${bytes / unit[1]}${unit[0]}` : `${bytes}B`;
  }
  if (bytes >= 1024 * 1024) return `${formatDecimal(bytes / 1024 / 1024, 1)} MiB`;
  if (bytes >= 1024) return `${formatDecimal(bytes / 1024, 1)} KiB`;
  return `${bytes} B`;
}

/** A plain decimal without trailing zeros, at most `digits` decimals: 2, 2.5, 0.125. */
export function formatDecimal(value: number, digits = 3): string {
  return trimZeros(value.toFixed(digits));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
