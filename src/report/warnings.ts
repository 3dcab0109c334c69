import type { Style } from './style.js';

/** A warning is a value, not a log line: it says what is wrong and how to fix it, and it lands in the JSON too. */
export interface Warning {
  code: string;
  message: string;
  remedy: string;
}

/** One line per warning, with its remedy. */
export function renderWarnings(warnings: Warning[], style: Style): string[] {
  return warnings.map((w) => `${style.yellow('warning:')} ${w.message}. ${style.dim(`Fix: ${w.remedy}.`)}`);
}
