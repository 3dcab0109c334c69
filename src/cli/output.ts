import { colourStyle, type Style } from '../report/style.js';

/**
 * Colour only for a person at a terminal: off when stdout is not a TTY, with --no-color (`colour` false), when
 * NO_COLOR is non-empty, and in JSON. FORCE_COLOR=1 turns it on for a pipe (e.g. `| less -R`); FORCE_COLOR=0
 * turns it off; --no-color and NO_COLOR win over FORCE_COLOR.
 */
export function stdoutStyle(json: boolean, colour = true, env: NodeJS.ProcessEnv = process.env): Style {
  if (json || !colour || (env.NO_COLOR ?? '') !== '') return colourStyle(false);
  const forced = env.FORCE_COLOR;
  if (forced !== undefined && forced !== '') return colourStyle(forced !== '0' && forced !== 'false');
  return colourStyle(process.stdout.isTTY === true);
}

/** Data goes to stdout, always newline-terminated. */
export function writeStdout(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Progress and errors go to stderr (warnings are part of the report, on stdout). */
export function writeStderr(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}
