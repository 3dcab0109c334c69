import { Chalk, type ChalkInstance } from 'chalk';

/** Reporters colour through a Chalk instance they are given; level 0 renders plain text. */
export type Style = ChalkInstance;

export const plainStyle: Style = new Chalk({ level: 0 });

export function colourStyle(enabled: boolean): Style {
  return enabled ? new Chalk({ level: 1 }) : plainStyle;
}

/** cli-table3 borders without a rule between rows: compact tables that still read as tables. */
export const COMPACT_TABLE_CHARS = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };
