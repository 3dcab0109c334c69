import { Chalk, type ChalkInstance } from 'chalk';

/** Reporters colour through a Chalk instance they are given; level 0 renders plain text. */
export type Style = ChalkInstance;

export const plainStyle: Style = new Chalk({ level: 0 });

export function colourStyle(enabled: boolean): Style {
  return enabled ? new Chalk({ level: 1 }) : plainStyle;
}
