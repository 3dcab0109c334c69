import { visibleWidth, wrapLine } from './layout.js';

/** The parts the terminal charts share: series styles by index, x-axis labels, and a legend wrapped to a width. */

/** The smallest latency a log-scale chart shows: 0 ms sits at the bottom rather than at −∞. */
export const MIN_CHART_MS = 0.001;

export function cycle<T>(items: readonly T[], index: number): T {
  return items[index % items.length]!;
}

export interface AxisLabel {
  text: string;
  column: number;
}

export interface PlacedLabel {
  label: AxisLabel;
  start: number;
}

/** Centres each label under its column, inside the plot, skipping any that would touch one placed before it. */
export function placeLabels(labels: readonly AxisLabel[], width: number): PlacedLabel[] {
  const placed: PlacedLabel[] = [];
  for (const label of labels) {
    const length = label.text.length;
    const start = Math.max(0, Math.min(label.column - Math.floor(length / 2), width - length));
    const collides = placed.some(
      (other) => start <= other.start + other.label.text.length && other.start <= start + length,
    );
    if (!collides) placed.push({ label, start });
  }
  return placed;
}

/** The labels written where they were placed, on a line as wide as the plot (trailing spaces trimmed). */
export function labelLine(placed: readonly PlacedLabel[], width: number): string {
  const cells = Array.from({ length: width }, () => ' ');
  for (const { label, start } of placed) [...label.text].forEach((char, offset) => (cells[start + offset] = char));
  return cells.join('').trimEnd();
}

/** Legend entries side by side, two spaces apart, on as many lines as it takes to keep each within `width`. */
export function wrapEntries(entries: readonly string[], width: number): string[] {
  const separator = '  ';
  const lines: string[] = [];
  let current = '';
  for (const entry of entries) {
    const candidate = current === '' ? entry : current + separator + entry;
    if (current !== '' && visibleWidth(candidate) > width) {
      lines.push(current);
      current = entry;
    } else {
      current = candidate;
    }
  }
  if (current !== '') lines.push(current);
  return lines.flatMap((line) => wrapLine(line, width).split('\n'));
}
