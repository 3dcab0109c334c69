import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Socket } from 'node:net';

/**
 * Ties a child process's life to this one's, so that a throwaway redis-server cannot outlive the tool even when
 * the tool is killed with SIGKILL (a CI timeout) and no exit hook runs.
 *
 * - Linux with util-linux's setpriv: the child is started as `setpriv --pdeathsig SIGKILL -- <binary> …`; the
 *   kernel kills it the moment its parent dies. (The signal is sent when the *thread* that forked the child
 *   exits: Node spawns children from its main thread, which lives as long as the process.)
 * - Elsewhere (macOS, a Linux without setpriv): a small watchdog process (this Node binary) holds the read end
 *   of a pipe whose write end only this process has; when this process dies, however it dies, the kernel closes
 *   it, the watchdog reads end-of-file and kills the child.
 *
 * The server's temporary folder is tied the same way, in both cases, by the janitor (removeWhenThisProcessEnds).
 */
export type Lifeline = 'pdeathsig' | 'watchdog';

export interface LaunchPlan {
  command: string;
  args: string[];
  lifeline: Lifeline;
}

export function launchPlan(binary: string, args: string[], env: NodeJS.ProcessEnv = process.env): LaunchPlan {
  const setpriv = process.platform === 'linux' ? findOnPath('setpriv', env) : null;
  if (setpriv !== null && supportsPdeathsig(setpriv)) {
    return { command: setpriv, args: ['--pdeathsig', 'SIGKILL', '--', binary, ...args], lifeline: 'pdeathsig' };
  }
  return { command: binary, args, lifeline: 'watchdog' };
}

/**
 * Ignores hang-ups and interrupts: they go to the whole terminal's process group and must not end it before the
 * process it watches. Its stdin is the pipe; `onPipeClosed` runs once, when this process is gone.
 */
const pipeWatcherSource = (onPipeClosed: string): string => `
for (const signal of ['SIGHUP', 'SIGINT', 'SIGTERM']) process.on(signal, () => {});
let given = '';
process.stdin.setEncoding('utf8').on('data', (chunk) => (given += chunk));
const done = () => { try { ${onPipeClosed} } catch {} process.exit(0); };
process.stdin.on('end', done).on('close', done).on('error', done);
`;

const WATCHDOG_SOURCE = pipeWatcherSource(`process.kill(Number(process.argv[1]), 'SIGKILL');`);

/** The folders come one a line; a folder already removed is no error. Retries: the killed server may still be exiting. */
const JANITOR_SOURCE = pipeWatcherSource(
  `for (const dir of given.split('\\n').filter(Boolean)) require('node:fs').rmSync(dir, { recursive: true, force: true, maxRetries: 5 });`,
);

/** A process running `source` whose stdin is a pipe from this one; it does not keep this process alive. */
function startPipeWatcher(source: string, args: string[]): ChildProcess {
  const watcher = spawn(process.execPath, ['-e', source, ...args], { stdio: ['pipe', 'ignore', 'ignore'] });
  watcher.on('error', () => {});
  watcher.unref();
  // A watcher killed by someone else must not end this process with an EPIPE.
  watcher.stdin?.on('error', () => {});
  (watcher.stdin as Socket | null)?.unref();
  return watcher;
}

/** Starts the watchdog of `child` (see Lifeline); it neither keeps this process alive nor outlives the child for long. */
export function startWatchdog(child: ChildProcess): ChildProcess {
  return startPipeWatcher(WATCHDOG_SOURCE, [String(child.pid)]);
}

let janitor: ChildProcess | undefined;

/**
 * Removes `dir` when this process ends, however it ends: a kill leaves no time for an exit hook, so one helper
 * process per process (the janitor, started on first use) is given every such folder through a pipe and removes
 * them when the kernel closes that pipe. A folder the process removed itself before is skipped.
 */
export function removeWhenThisProcessEnds(dir: string): void {
  janitor ??= startPipeWatcher(JANITOR_SOURCE, []);
  // A pipe write goes out at once when the pipe has room: the folder is known even if this process is killed next.
  janitor.stdin?.write(`${dir}\n`);
}

/** The executable `name` as PATH finds it, or null. A name with a slash is taken as it is. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = name.includes('/')
    ? [name]
    : (env.PATH ?? '')
        .split(delimiter)
        .filter((dir) => dir !== '')
        .map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there: the next one
    }
  }
  return null;
}

const pdeathsigSupport = new Map<string, boolean>();

/** util-linux ≥ 2.33 (2018) has --pdeathsig; an older setpriv would refuse the option. */
function supportsPdeathsig(setpriv: string): boolean {
  let supported = pdeathsigSupport.get(setpriv);
  if (supported === undefined) {
    try {
      supported = execFileSync(setpriv, ['--help'], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .includes('--pdeathsig');
    } catch {
      supported = false;
    }
    pdeathsigSupport.set(setpriv, supported);
  }
  return supported;
}
