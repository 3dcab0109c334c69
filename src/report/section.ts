import Table from 'cli-table3';
import { markdownLines, markdownTable } from './markdown.js';
import { COMPACT_TABLE_CHARS, type Style } from './style.js';

/** A table cell: its text, and what it says (a run's name, a verdict) for the renderers that colour. */
export interface Cell {
  text: string;
  tone?: 'name' | 'good' | 'bad';
}

/**
 * A report section defined once (its title, columns, rows and the lines under it) and rendered by every format:
 * the terminal table and the Markdown (and through it the HTML page), so that a column added here appears in all.
 */
export interface TableSection {
  title: string;
  /** Column titles; a `\n` is where a terminal header may break (Markdown joins the parts with a space). */
  head: string[];
  rows: Cell[][];
  /** Leading text columns, left-aligned; the others are figures, right-aligned. */
  textColumns: number;
  /** Lines under the table. */
  notes: string[];
}

export const cell = (text: string, tone?: Cell['tone']): Cell => (tone ? { text, tone } : { text });

export function renderSectionTerminal(section: TableSection, style: Style): string {
  const paint = (c: Cell): string => (c.tone === 'name' ? style.cyan(c.text) : c.tone === 'good' ? style.green(c.text) : c.tone === 'bad' ? style.red(c.text) : c.text);
  const t = new Table({
    head: section.head.map((h) => style.bold(h)),
    style: { head: [], border: [] },
    chars: COMPACT_TABLE_CHARS,
    colAligns: section.head.map((_, i) => (i < section.textColumns ? 'left' : 'right')),
  });
  for (const row of section.rows) t.push(row.map(paint));
  return [style.bold(section.title), t.toString(), ...section.notes].join('\n');
}

/** The section in Markdown, under a heading of `level` (null: no heading, for a section inside another one). */
export function renderSectionMarkdown(section: TableSection, level: number | null = 2): string {
  const table = markdownTable(
    section.head.map((h) => h.replaceAll('\n', ' ')),
    section.rows.map((row) => row.map((c) => c.text)),
    section.textColumns,
  );
  return [...(level === null ? [] : [`${'#'.repeat(level)} ${section.title}`]), table, ...(section.notes.length > 0 ? [markdownLines(section.notes.join('\n'))] : [])].join('\n\n');
}
