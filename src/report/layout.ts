import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/**
 * How a terminal report is laid out: the widest line it may print (the terminal's width, 120 columns when piped,
 * no limit with --wide) and whether it shows everything (--details) or the answer alone.
 */
export interface TerminalLayout {
  width: number;
  details: boolean;
}

/** Everything, at any width: what a report module renders when no layout is given (tests, documents). */
export const FULL_LAYOUT: TerminalLayout = { width: Number.POSITIVE_INFINITY, details: true };

/** Columns a line takes on a terminal: colour codes take none, wide characters two. */
export const visibleWidth = (line: string): number => stringWidth(line);

/** The widest line of a text. */
export const widestLine = (text: string): number => Math.max(0, ...text.split('\n').map(visibleWidth));

/**
 * A line of prose wrapped at `width` between words (a word longer than the width is broken), its continuation
 * lines indented by `indent` spaces; colour codes are carried across the breaks.
 */
export function wrapLine(line: string, width: number, indent = 0): string {
  if (!Number.isFinite(width) || visibleWidth(line) <= width) return line;
  const [first = '', ...rest] = wrapAnsi(line, width, { hard: true, trim: true }).split('\n');
  if (indent === 0 || rest.length === 0) return [first, ...rest].join('\n');
  const pad = ' '.repeat(indent);
  const continued = wrapAnsi(rest.join(' '), Math.max(1, width - indent), { hard: true, trim: true }).split('\n');
  return [first, ...continued.map((part) => pad + part)].join('\n');
}
