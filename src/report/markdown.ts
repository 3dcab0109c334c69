import { capitalise } from './warnings.js';
import type { Warning } from '../schema/warning.js';

/** A Markdown table, numbers right-aligned after `textColumns` text columns; a `|` inside a cell is escaped. */
export function markdownTable(head: string[], rows: string[][], textColumns = 1): string {
  const align = head.map((_, i) => (i < textColumns ? '---' : '---:'));
  const escapeCell = (cell: string): string => cell.replaceAll('|', '\\|');
  return [head, align, ...rows].map((cells) => `| ${cells.map(escapeCell).join(' | ')} |`).join('\n');
}

/** Text whose lines stay separate lines in Markdown (two trailing spaces make a hard line break). */
export function markdownLines(text: string): string {
  return text
    .split('\n')
    .map((line) => `${line}  `)
    .join('\n');
}

/** A warning as a Markdown list item, its remedy after it (a note's suggestion, for a note); `source` (a file) names where it came from. */
export const markdownWarning = (w: Warning, source?: string): string => {
  const from = source ? `\`${source}\`: ` : '';
  return w.level === 'note' ? `- ${from}*Note:* ${w.message}. ${capitalise(w.remedy)}.` : `- ${from}${w.message}. *Fix:* ${w.remedy}.`;
};
