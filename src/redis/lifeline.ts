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

/** Its stdin is the pipe; hang-ups and interrupts go to the whole terminal's process group and must not end it first. */
const WATCHDOG_SOURCE = `
const pid = Number(process.argv[1]);
for (const signal of ['SIGHUP', 'SIGINT', 'SIGTERM']) process.on(signal, () => {});
const kill = () => { try { process.kill(pid, 'SIGKILL'); } catch {} process.exit(0); };
process.stdin.on('end', kill).on('close', kill).on('error', kill).resume();
`;

/** Starts the watchdog of `child` (see Lifeline); it neither keeps this process alive nor outlives the child for long. */
export function startWatchdog(child: ChildProcess): ChildProcess {
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG_SOURCE, String(child.pid)], { stdio: ['pipe', 'ignore', 'ignore'] });
  watchdog.on('error', () => {});
  watchdog.unref();
  (watchdog.stdin as Socket | null)?.unref();
  return watchdog;
}

/** The executable `name` as PATH finds it, or null. A name with a slash is taken as it is. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = name.includes('/') ? [name] : (env.PATH ?? '').split(delimiter).filter((dir) => dir !== '').map((dir) => join(dir, name));
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
      supported = execFileSync(setpriv, ['--help'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().includes('--pdeathsig');
    } catch {
      supported = false;
    }
    pdeathsigSupport.set(setpriv, supported);
  }
  return supported;
}
