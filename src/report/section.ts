import Table from 'cli-table3';
import { widestLine, wrapLine } from './layout.js';
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

/**
 * The section as a terminal table no wider than `width`. A table too wide is laid out another way, never cut: its
 * figure columns split over two or three tables that each repeat the name columns, or, when that is not enough, one
 * block per row (its name, then a line per figure). The title and the notes wrap.
 */
export function renderSectionTerminal(section: TableSection, style: Style, width = Number.POSITIVE_INFINITY): string {
  const title = section.title === null ? [] : [wrapLine(style.bold(section.title), width)];
  const notes = section.notes.map((line) => wrapLine(paint(line, style), width));
  return [...title, fitTable(section, style, width), ...notes].join('\n');
}

function fitTable(section: TableSection, style: Style, width: number): string {
  const all = section.head.map((_, i) => i);
  const whole = renderTable(section, style, all, section.widths);
  if (widestLine(whole) <= width) return whole;
  if (section.widths) {
    const narrowed = narrowLastColumn(section.widths, width);
    if (narrowed) return renderTable(section, style, all, narrowed);
    return renderBlocks(section, style, width);
  }
  // Split in two or three tables at most: more would scatter a run's figures, which blocks keep together.
  const groups = splitColumns(section, style, width);
  return groups && groups.length <= 3
    ? groups.map((columns) => renderTable(section, style, columns)).join('\n')
    : renderBlocks(section, style, width);
}

/** cli-table3's width of a table: its columns' widths (padding included) and a border between and around them. */
const tableWidth = (widths: number[]): number => widths.reduce((sum, w) => sum + w, 0) + widths.length + 1;

/** Fixed widths whose last (wrapping) column gives up what the table is too wide by, down to 16; null if that is not enough. */
function narrowLastColumn(widths: number[], width: number): number[] | null {
  const excess = tableWidth(widths) - width;
  const last = widths.at(-1)! - excess;
  return last >= 16 ? [...widths.slice(0, -1), last] : null;
}

/** The figure columns in groups that each fit beside the name columns, in order; null when one column alone does not. */
function splitColumns(section: TableSection, style: Style, width: number): number[][] | null {
  const names = section.head.map((_, i) => i).slice(0, section.textColumns);
  const figures = section.head.map((_, i) => i).slice(section.textColumns);
  const groups: number[][] = [];
  let group: number[] = [];
  for (const column of figures) {
    const tried = [...group, column];
    if (widestLine(renderTable(section, style, [...names, ...tried])) <= width) {
      group = tried;
      continue;
    }
    if (group.length === 0) return null;
    groups.push(group);
    group = [column];
    if (widestLine(renderTable(section, style, [...names, ...group])) > width) return null;
  }
  if (group.length > 0) groups.push(group);
  return groups.length > 0 ? groups.map((g) => [...names, ...g]) : null;
}

/** A table of some of the section's columns (by index), with fixed widths when given. */
function renderTable(section: TableSection, style: Style, columns: number[], widths?: number[]): string {
  const t = new Table({
    head: columns.map((i) => style.bold(section.head[i]!)),
    style: { head: [], border: [] },
    chars: COMPACT_TABLE_CHARS,
    colAligns: columns.map((i) => (i < section.textColumns ? 'left' : 'right')),
    ...(widths ? { colWidths: widths, wordWrap: true } : {}),
  });
  for (const row of section.rows) t.push(columns.map((i) => paint(row[i] ?? '', style)));
  return t.toString();
}

/** One block per row, for a width no table fits: the row's names on a line, then "  column: figure" lines. */
function renderBlocks(section: TableSection, style: Style, width: number): string {
  const heads = section.head.map((h) => h.replaceAll('\n', ' '));
  return section.rows
    .flatMap((row) => {
      const lead = row
        .slice(0, section.textColumns)
        .map((c) => paint(c, style))
        .filter((text) => text !== '')
        .join('  ');
      const figures = row.slice(section.textColumns).map((c, i) => {
        const head = heads[section.textColumns + i]!;
        return wrapLine(`  ${head ? `${head}: ` : ''}${paint(c, style)}`, width, 4);
      });
      return [wrapLine(lead, width, 2), ...figures];
    })
    .join('\n');
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

/** One terminal line per item, its lead coloured, wrapped at `width` under a two-space indent. */
export function renderListTerminal(list: ListSection, style: Style, width = Number.POSITIVE_INFINITY): string[] {
  return list.items.map((item) => wrapLine(`${paint(item.lead, style)} ${item.text}`, width, 2));
}

/** A Markdown bullet list, one item per line. */
export function renderListMarkdown(list: ListSection): string {
  return list.items.map((item) => `- ${item.lead.text} ${item.text}`).join('\n');
}

/** Lines of text (a run's description, the notes under a table) in their terminal colours, wrapped at `width`. */
export function renderLinesTerminal(lines: (string | Cell)[], style: Style, width = Number.POSITIVE_INFINITY): string {
  return lines.map((line) => wrapLine(paint(line, style), width, 2)).join('\n');
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
