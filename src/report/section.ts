import Table from 'cli-table3';
import type { Style } from './style.js';

/**
 * What a piece of text says, for the renderers that colour (the terminal; Markdown writes the text alone):
 * name = a run's or a row's name (cyan), heading = a group's title inside a table (cyan, bold), good / bad = a
 * verdict (green / red), answer = the figure the table exists for (bold green), warn = a caveat (yellow),
 * strong = emphasis (bold), dim = what matters less (a skipped row, the machine).
 */
export type Tone = 'name' | 'heading' | 'good' | 'bad' | 'answer' | 'warn' | 'strong' | 'dim';

/** A table cell or a line of text: its text, and what it says. */
export interface Cell {
  text: string;
  tone?: Tone;
}

/**
 * A report section defined once (its title, columns, rows and the lines under it) and rendered by every format:
 * the terminal table and the Markdown (and through it the HTML page), so that a column added here appears in all.
 */
export interface TableSection {
  /** Null: a table that stands without a title (the terminal's tables under the run description, a table inside a section). */
  title: string | null;
  /** Column titles; a `\n` is where a terminal header may break (Markdown joins the parts with a space). */
  head: string[];
  rows: Cell[][];
  /** Leading text columns, left-aligned; the others are figures, right-aligned. */
  textColumns: number;
  /** Lines under the table. */
  notes: (string | Cell)[];
  /** Terminal only: fixed column widths, the text wrapped to fit them (a table of explanations). */
  widths?: number[];
}

/** Lines that each lead with a name or a verdict: "pooled: 22× the throughput of per-request, …". */
export interface ListSection {
  items: ListItem[];
}

export interface ListItem {
  lead: Cell;
  text: string;
}

export const cell = (text: string, tone?: Tone): Cell => (tone ? { text, tone } : { text });

const asCell = (line: string | Cell): Cell => (typeof line === 'string' ? { text: line } : line);

/** Each tone's terminal colours: one fixed chalk chain each, so that coloured output stays byte for byte the same. */
const TONES: Record<Tone, (style: Style) => Style> = {
  name: (s) => s.cyan,
  heading: (s) => s.cyan.bold,
  good: (s) => s.green,
  bad: (s) => s.red,
  answer: (s) => s.bold.green,
  warn: (s) => s.yellow,
  strong: (s) => s.bold,
  dim: (s) => s.dim,
};

/** A cell in its terminal colours. */
function paint(c: string | Cell, style: Style): string {
  const { text, tone } = asCell(c);
  return tone ? TONES[tone](style)(text) : text;
}

/** cli-table3 borders without a rule between rows: compact tables that still read as tables. */
const COMPACT_TABLE_CHARS = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

export function renderSectionTerminal(section: TableSection, style: Style): string {
  const t = new Table({
    head: section.head.map((h) => style.bold(h)),
    style: { head: [], border: [] },
    chars: COMPACT_TABLE_CHARS,
    colAligns: section.head.map((_, i) => (i < section.textColumns ? 'left' : 'right')),
    ...(section.widths ? { colWidths: section.widths, wordWrap: true } : {}),
  });
  for (const row of section.rows) t.push(row.map((c) => paint(c, style)));
  return [...(section.title === null ? [] : [style.bold(section.title)]), t.toString(), ...section.notes.map((line) => paint(line, style))].join('\n');
}

/** The section in Markdown, under a heading of `level` (null, or a section without a title: no heading). */
export function renderSectionMarkdown(section: TableSection, level: number | null = 2): string {
  const table = markdownTable(
    section.head.map((h) => h.replaceAll('\n', ' ')),
    section.rows.map((row) => row.map((c) => c.text)),
    section.textColumns,
  );
  const heading = level === null || section.title === null ? [] : [`${'#'.repeat(level)} ${section.title}`];
  return [...heading, table, ...(section.notes.length > 0 ? [renderLinesMarkdown(section.notes)] : [])].join('\n\n');
}

/** One terminal line per item, its lead coloured. */
export function renderListTerminal(list: ListSection, style: Style): string[] {
  return list.items.map((item) => `${paint(item.lead, style)} ${item.text}`);
}

/** A Markdown bullet list, one item per line. */
export function renderListMarkdown(list: ListSection): string {
  return list.items.map((item) => `- ${item.lead.text} ${item.text}`).join('\n');
}

/** Lines of text (a run's description, the notes under a table) in their terminal colours. */
export function renderLinesTerminal(lines: (string | Cell)[], style: Style): string {
  return lines.map((line) => paint(line, style)).join('\n');
}

/** The same lines in Markdown, each kept on its own line. */
export function renderLinesMarkdown(lines: (string | Cell)[]): string {
  return markdownLines(lines.map((line) => asCell(line).text).join('\n'));
}

/** A Markdown table, numbers right-aligned after `textColumns` text columns; a `|` inside a cell is escaped. */
function markdownTable(head: string[], rows: string[][], textColumns: number): string {
  const align = head.map((_, i) => (i < textColumns ? '---' : '---:'));
  const escapeCell = (text: string): string => text.replaceAll('|', '\\|');
  return [head, align, ...rows].map((cells) => `| ${cells.map(escapeCell).join(' | ')} |`).join('\n');
}

/** Text whose lines stay separate lines in Markdown (two trailing spaces make a hard line break). */
function markdownLines(text: string): string {
  return text
    .split('\n')
    .map((line) => `${line}  `)
    .join('\n');
}
