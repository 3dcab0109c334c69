import type { Command } from 'commander';
import type { TerminalLayout } from '../report/layout.js';

/** The width piped output keeps to (a CI log), unless --wide. */
export const PIPED_WIDTH = 120;

/** How a command's terminal report is laid out, as commander hands it over. */
export interface RawTerminalOptions {
  details?: boolean;
  wide?: boolean;
}

/** --details and --wide, defined once for every command that prints a table. */
export function withTerminalFlags(command: Command): Command {
  return command
    .option('--details', 'everything under the answer: every table and figure (always in --json and the documents)')
    .option('--wide', `no line limit (default: the terminal's width; ${PIPED_WIDTH} columns when piped)`);
}

/**
 * The terminal's width on a terminal, 120 columns when piped, no limit with --wide. COLUMNS, when set to a
 * number, is the width wanted (as for ls and git), piped or not.
 */
export function terminalLayout(raw: RawTerminalOptions, stdout: { isTTY?: boolean; columns?: number } = process.stdout, env: NodeJS.ProcessEnv = process.env): TerminalLayout {
  const details = raw.details === true;
  if (raw.wide === true) return { width: Number.POSITIVE_INFINITY, details };
  const columns = Number(env.COLUMNS);
  if (Number.isInteger(columns) && columns >= 20) return { width: columns, details };
  if (stdout.isTTY === true && stdout.columns !== undefined && stdout.columns > 0) return { width: stdout.columns, details };
  return { width: PIPED_WIDTH, details };
}
