import type { Style } from './style.js';

/** A warning is a value, not a log line: it says what is wrong and how to fix it, and it lands in the JSON too. */
export interface Warning {
  code: string;
  /** A category a CI job can select on: 'generator-saturated' for a run the load generator distorted. */
  kind?: 'generator-saturated';
  /** 'note': nothing is wrong; it says what a figure that looks alarming means (absent = a warning). */
  level?: 'note';
  message: string;
  /** For a note: what to do to learn more. */
  remedy: string;
}

/** One line per warning, with its remedy; a note says what to try instead of what to fix. */
export function renderWarnings(warnings: Warning[], style: Style): string[] {
  return warnings.map((w) => (w.level === 'note' ? `${style.cyan('note:')} ${w.message}. ${style.dim(`${capitalise(w.remedy)}.`)}` : `${style.yellow('warning:')} ${w.message}. ${style.dim(`Fix: ${w.remedy}.`)}`));
}

export const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
