import type { Command } from 'commander';
import type { TerminalLayout } from '../report/layout.js';
import { GROUP, groupedOption } from './help.js';

/** The width piped output keeps to (a CI log), unless --wide. */
export const PIPED_WIDTH = 120;

/** How a command's terminal report is laid out, as commander hands it over. */
export interface RawTerminalOptions {
  details?: boolean;
  wide?: boolean;
}

/** --details and --wide, defined once for every command that prints a table, under Output in --help. */
export function withTerminalFlags(command: Command): Command {
  return command
    .addOption(
      groupedOption(
        GROUP.output,
        '--details',
        'everything under the answer: every table and figure (always in --json and the documents)',
      ),
    )
    .addOption(
      groupedOption(
        GROUP.output,
        '--wide',
        `no line limit (default: the terminal's width; ${PIPED_WIDTH} columns when piped)`,
      ),
    );
}

/**
 * The width asked for: COLUMNS, when set to a number, piped or not (as for ls and git); else the terminal's width on
 * a terminal; undefined when piped, where each output chooses its own (a report 120 columns, --help 80).
 */
export function wantedColumns(
  stream: { isTTY?: boolean; columns?: number } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): number | undefined {
  const columns = Number(env.COLUMNS);
  if (Number.isInteger(columns) && columns >= 20) return columns;
  if (stream.isTTY === true && stream.columns !== undefined && stream.columns > 0) return stream.columns;
  return undefined;
}

/**
 * The width --help wraps to: the same rule, but 80 columns when piped (`| less`, pasted into an issue): help is
 * prose, and the texts under it are written for 80 columns.
 */
export const PIPED_HELP_WIDTH = 80;

export function helpWidth(
  stream: { isTTY?: boolean; columns?: number } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): number {
  return wantedColumns(stream, env) ?? PIPED_HELP_WIDTH;
}

/** The terminal's width on a terminal (or COLUMNS), 120 columns when piped, no limit with --wide. */
export function terminalLayout(
  raw: RawTerminalOptions,
  stdout: { isTTY?: boolean; columns?: number } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): TerminalLayout {
  const details = raw.details === true;
  if (raw.wide === true) return { width: Number.POSITIVE_INFINITY, details };
  return { width: wantedColumns(stdout, env) ?? PIPED_WIDTH, details };
}
