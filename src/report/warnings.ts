import { wrapLine } from './layout.js';
import type { Style } from './style.js';
import type { Warning } from '../schema/warning.js';

/** One paragraph per warning, with its remedy, wrapped at `width`; a note says what to try instead of what to fix. */
export function renderWarnings(warnings: Warning[], style: Style, width = Number.POSITIVE_INFINITY): string[] {
  return warnings.map((w) =>
    wrapLine(
      w.level === 'note'
        ? `${style.cyan('note:')} ${w.message}. ${style.dim(`${capitalise(w.remedy)}.`)}`
        : `${style.yellow('warning:')} ${w.message}. ${style.dim(`Fix: ${w.remedy}.`)}`,
      width,
      2,
    ),
  );
}

/** A warning as a Markdown list item, its remedy after it (a note's suggestion, for a note); `source` (a file) names where it came from. */
export const markdownWarning = (w: Warning, source?: string): string => {
  const from = source ? `\`${source}\`: ` : '';
  return w.level === 'note'
    ? `- ${from}*Note:* ${w.message}. ${capitalise(w.remedy)}.`
    : `- ${from}${w.message}. *Fix:* ${w.remedy}.`;
};

export const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
