import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_PATH } from './run-cli.js';
import { tempDir } from './temp-dir.js';
import { requireTestTool, SCRIPT } from './test-tools.js';

export interface TtyRun {
  /** Everything the tool wrote to its terminal (stderr), escape sequences included. */
  terminal: string;
  /** stdout, redirected to a file: not a terminal. */
  stdout: string;
  exitCode: number | null;
}

/**
 * Runs the built CLI with stderr on a pseudo-terminal, as a person at a terminal would see it, using util-linux
 * `script`; stdout goes to a file. A missing `script` fails the test with a clear message instead of skipping.
 */
export async function runCliWithTtyStderr(args: string[], env: NodeJS.ProcessEnv = {}): Promise<TtyRun> {
  const script = requireTestTool(SCRIPT);
  const dir = tempDir('tty');
  const stdoutFile = join(dir, 'stdout');
  const command = [process.execPath, CLI_PATH, ...args].map(shellQuote).join(' ');
  const childEnv: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', COLUMNS: '160', ...env };
  for (const [key, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[key];
  // -q: no "Script started" banner, -f: flush as written, -e: the child's exit code; the log file is /dev/null.
  const child = spawn(script, ['-qfec', `${command} > ${shellQuote(stdoutFile)}`, '/dev/null'], {
    env: childEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let terminal = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (terminal += chunk));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return { terminal, stdout: readFileSync(stdoutFile, 'utf8'), exitCode };
}

/** What the terminal shows at the end: carriage returns and erase-line sequences applied, line by line. */
export function finalScreen(terminal: string): string[] {
  return terminal
    .split(/\r?\n/)
    .map((line) => {
      let shown = '';
      for (const piece of line.split(/(\r|\u001b\[2K)/)) {
        if (piece === '\r') continue;
        if (piece === '\u001b[2K') shown = '';
        else shown += piece;
      }
      return shown;
    })
    .filter((line) => line.trim() !== '');
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
