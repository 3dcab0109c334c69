import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TargetError } from '../errors.js';
import { findFreePort } from './free-port.js';
import { findOnPath, launchPlan, startWatchdog, type Lifeline } from './lifeline.js';
import { plainPingReply } from './resp-probe.js';

/** A throwaway redis-server this process started: no persistence, loopback only, always stopped. */
export interface EphemeralServer {
  host: string;
  port: number;
  readonly pid: number;
  /** How the server is made to die with this process, even when it is killed with SIGKILL (see lifeline.ts). */
  readonly lifeline: Lifeline;
  /** Output the server printed (its log), for error messages. */
  output(): string;
  /** Stop the process and start a new one on the same port with the same settings (the `restart` fault). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartServerOptions {
  binary?: string;
  /** Extra redis-server arguments, e.g. ['--requirepass', 'secret']. */
  args?: string[];
  /** Allow DEBUG from local connections (Redis 7 refuses it by default): the `stall` fault needs it. */
  enableDebugCommand?: boolean;
  /** Serve TLS only, on the free port (files in PEM); client certificates are optional unless `requireClientCert`. */
  tls?: { certFile: string; keyFile: string; caFile: string; requireClientCert?: boolean };
}

export const INSTALL_HINT =
  'install redis-server ≥ 6 (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or pass --url';

const live = new Set<Running>();
let exitHookInstalled = false;

/** On a normal exit (even one that skipped stop()); a killed process relies on the lifeline instead. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const running of live) {
      running.watchdog?.kill('SIGKILL');
      running.child.kill('SIGKILL');
    }
  });
}

export async function startEphemeralServer(options: StartServerOptions = {}): Promise<EphemeralServer> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-pool-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await findFreePort();
    try {
      return serverHandle(await launch(options, port, dir), options, port, dir);
    } catch (error) {
      // Another process may take the port between findFreePort and redis-server's bind: try another one.
      if (error instanceof PortTakenError) {
        lastError = error;
        continue;
      }
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw new TargetError(`could not start redis-server on a free port: ${String(lastError)}`);
}

class PortTakenError extends Error {}

/** One redis-server process. */
interface Running {
  child: ChildProcess;
  /** Kills the child if this process dies (the lifeline where setpriv is missing); null with pdeathsig. */
  watchdog: ChildProcess | null;
  lifeline: Lifeline;
  exited: Promise<unknown>;
  output: () => string;
}

function serverHandle(first: Running, options: StartServerOptions, port: number, dir: string): EphemeralServer {
  let current = first;
  let stopped: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    get pid() {
      return current.child.pid ?? 0;
    },
    get lifeline() {
      return current.lifeline;
    },
    output: () => current.output(),
    restart: async () => {
      await terminate(current);
      current = await launch(options, port, dir);
    },
    stop: () => {
      stopped ??= terminate(current).then(() => rmSync(dir, { recursive: true, force: true }));
      return stopped;
    },
  };
}

async function launch(options: StartServerOptions, port: number, dir: string): Promise<Running> {
  const binary = options.binary ?? 'redis-server';
  if (findOnPath(binary) === null) throw new TargetError(`${binary} not found on PATH: ${INSTALL_HINT}`);
  const portArgs = options.tls
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', options.tls.certFile, '--tls-key-file', options.tls.keyFile,
        '--tls-ca-cert-file', options.tls.caFile, '--tls-auth-clients', options.tls.requireClientCert ? 'yes' : 'optional']
    : ['--port', String(port)];
  const debugArgs = options.enableDebugCommand && serverMajorVersion(binary) >= 7 ? ['--enable-debug-command', 'local'] : [];
  const args = [...portArgs, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
    '--daemonize', 'no', '--loglevel', 'warning', ...debugArgs, ...(options.args ?? [])];
  const plan = launchPlan(binary, args);
  const child = spawn(plan.command, plan.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const watchdog = plan.lifeline === 'watchdog' && child.pid !== undefined ? startWatchdog(child) : null;
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<NodeJS.ErrnoException | number | null>((resolve) => {
    child.once('error', resolve);
    child.once('exit', (code) => resolve(code));
  });
  const running: Running = { child, watchdog, lifeline: plan.lifeline, exited, output: () => output };
  installExitHook();
  live.add(running);
  void exited.then(() => {
    live.delete(running);
    watchdog?.kill('SIGKILL');
  });

  const ready = await Promise.race([waitForPort(port, options.tls !== undefined).then(() => 'ready' as const), exited]);
  if (ready !== 'ready') {
    if (ready instanceof Error && ready.code === 'ENOENT') throw new TargetError(`${binary} not found on PATH: ${INSTALL_HINT}`);
    if (output.includes('Address already in use')) throw new PortTakenError(output.trim());
    throw new TargetError(`${binary} exited before it was ready (${String(ready)}): ${output.trim().split('\n').pop() ?? ''}`);
  }
  return running;
}

/** The major version of redis-server (0 when it cannot be told; launching will then say what is wrong). */
function serverMajorVersion(binary: string): number {
  try {
    return Number(/v=(\d+)/.exec(execFileSync(binary, ['--version']).toString())?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** SIGTERM, and SIGKILL if it is still there 5 s later. */
async function terminate({ child, watchdog, exited }: Running): Promise<void> {
  watchdog?.kill('SIGKILL');
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const done = await Promise.race([exited.then(() => true), sleep(5000, false, { ref: false })]);
  if (!done) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Poll until the server answers PING (PONG, or NOAUTH from a password-protected one), for up to 10 s. */
async function waitForPort(port: number, tls: boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await probe(port, tls)) return;
    await sleep(20);
  }
  throw new TargetError(`redis-server did not answer on port ${port} within 10 s`);
}

async function probe(port: number, tls: boolean): Promise<boolean> {
  if (tls) return accepts(port);
  return /^(\+PONG|-NOAUTH)/.test((await plainPingReply('127.0.0.1', port, 1000)) ?? '');
}

/** A TLS server is up once it accepts TCP connections. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => finish(true));
  });
}
