import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TargetError } from '../errors.js';
import { makeServerCertificates, TlsUnavailableError, type ServerCertificates } from './certificates.js';
import { findFreePort } from './free-port.js';
import { findOnPath, launchPlan, removeWhenThisProcessEnds, startWatchdog, type Lifeline } from './lifeline.js';
import { plainPingReply } from './resp-probe.js';
import type { RedisTarget } from './url.js';

/** A throwaway redis-server this process started: no persistence, loopback only, always stopped. */
export interface EphemeralServer {
  host: string;
  port: number;
  /**
   * How to connect to it as it was set up: TLS trusting its own CA, as its ACL user (`aclUser`), db 0. Settings
   * passed in `args` (a --requirepass) are not in it.
   */
  readonly target: RedisTarget;
  readonly pid: number;
  /** How the server is made to die with this process, even when it is killed with SIGKILL (see lifeline.ts). */
  readonly lifeline: Lifeline;
  /** Output the server printed (its log), for error messages. */
  output(): string;
  /** Stop the process and start a new one on the same port with the same settings (the `restart` fault). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** PEM files of a TLS server; client certificates are optional unless `requireClientCert`. */
export interface ServerTlsFiles extends ServerCertificates {
  requireClientCert?: boolean;
}

export interface StartServerOptions {
  /** The server program: by default serverBinary() (redis-server, or what REDIS_POOL_SERVER_BINARY names). */
  binary?: string;
  /** Extra redis-server arguments, e.g. ['--requirepass', 'secret']. */
  args?: string[];
  /** Allow DEBUG from local connections (Redis 7 refuses it by default): the `stall` fault needs it. */
  enableDebugCommand?: boolean;
  /**
   * Serve TLS only, on the free port: with these files, or ('made-for-the-run') with a CA and a certificate made
   * in the server's own folder, which is removed with it. No openssl, or a redis-server that cannot serve TLS, is a
   * TlsUnavailableError.
   */
  tls?: ServerTlsFiles | 'made-for-the-run';
  /** The one user that may connect, with a random password made for the run (in `target`); the default user is off. */
  aclUser?: string;
}

/** The options of one redis-server process, every file made: a restart launches the same server again. */
type LaunchOptions = Omit<StartServerOptions, 'tls' | 'aclUser'> & { tls?: ServerTlsFiles };

/** An ACL user's name and its password, which exists nowhere but in this process' memory. */
interface Credentials {
  username: string;
  password: string;
}

export const INSTALL_HINT =
  'install redis-server ≥ 6 (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or pass --url';

/** The variable that names another server program for the throwaway servers: valkey-server runs them on Valkey. */
export const SERVER_BINARY_VARIABLE = 'REDIS_POOL_SERVER_BINARY';

/** The server program a throwaway server runs: REDIS_POOL_SERVER_BINARY when set (a name on PATH or a path), else redis-server. */
export function serverBinary(env: NodeJS.ProcessEnv = process.env): string {
  const named = env[SERVER_BINARY_VARIABLE];
  return named !== undefined && named !== '' ? named : 'redis-server';
}

/**
 * The command-line client that comes with a server program, beside it: valkey-cli for valkey-server (Debian's
 * valkey-tools), redis-cli for redis-server (redis-tools). A program named otherwise comes with redis-cli.
 */
export function cliBeside(binary: string): string {
  const match = /^(.*?)([^/]+)-server$/.exec(binary);
  return match ? `${match[1]}${match[2]}-cli` : 'redis-cli';
}

/** What a missing server program's error says to do about it. */
function installHint(binary: string): string {
  if (binary === 'redis-server') return INSTALL_HINT;
  const install = /(^|\/)valkey-server$/.test(binary)
    ? 'install valkey-server (Debian 12: sudo apt-get install -t bookworm-backports valkey-server)'
    : 'install it';
  return `${install}, unset ${SERVER_BINARY_VARIABLE} to run redis-server, or pass --url`;
}

const live = new Set<Running>();
/** The servers' folders (certificates, ACL file, server files), removed by stop() or, at the latest, when this process exits. */
const liveDirs = new Set<string>();
let exitHookInstalled = false;

/**
 * On a normal exit (even one that skipped stop(), as a second Ctrl-C does); a killed process relies on the lifeline
 * instead. The servers' folders are removed by the janitor either way (see removeWhenThisProcessEnds).
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const running of live) {
      running.watchdog?.kill('SIGKILL');
      running.child.kill('SIGKILL');
    }
    for (const dir of liveDirs) removeDir(dir);
  });
}

export async function startEphemeralServer(options: StartServerOptions = {}): Promise<EphemeralServer> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-pool-'));
  installExitHook();
  liveDirs.add(dir);
  removeWhenThisProcessEnds(dir);
  try {
    const { launchOptions, credentials } = await prepare(options, dir);
    const { running, port } = await launchOnFreePort(launchOptions, dir);
    return serverHandle(running, { launchOptions, credentials }, port, dir);
  } catch (error) {
    removeDir(dir);
    throw error;
  }
}

function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
}

/** The files the server needs, made in its folder before it starts: its TLS certificate, its ACL file. */
async function prepare(
  options: StartServerOptions,
  dir: string,
): Promise<{ launchOptions: LaunchOptions; credentials: Credentials | null }> {
  const { tls, aclUser, ...rest } = options;
  const tlsFiles = tls === 'made-for-the-run' ? await makeServerCertificates(dir) : tls;
  const acl = aclUser !== undefined ? await writeAclFile(dir, aclUser) : null;
  const args = [...(rest.args ?? []), ...(acl ? ['--aclfile', acl.file] : [])];
  return {
    launchOptions: { ...rest, args, ...(tlsFiles ? { tls: tlsFiles } : {}) },
    credentials: acl?.credentials ?? null,
  };
}

/** Only `username` may connect; the file holds the SHA-256 of its password, never the password itself. */
async function writeAclFile(dir: string, username: string): Promise<{ file: string; credentials: Credentials }> {
  const password = randomBytes(24).toString('base64url');
  const file = join(dir, 'users.acl');
  const sha256 = createHash('sha256').update(password).digest('hex');
  await writeFile(file, `user default off\nuser ${username} on #${sha256} ~* +@all\n`, { mode: 0o600 });
  return { file, credentials: { username, password } };
}

async function launchOnFreePort(options: LaunchOptions, dir: string): Promise<{ running: Running; port: number }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await findFreePort();
    try {
      return { running: await launch(options, port, dir), port };
    } catch (error) {
      // Another process may take the port between findFreePort and redis-server's bind: try another one.
      if (!(error instanceof PortTakenError)) throw error;
      lastError = error;
    }
  }
  throw new TargetError(`could not start ${options.binary ?? serverBinary()} on a free port: ${String(lastError)}`);
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

function serverHandle(
  first: Running,
  { launchOptions, credentials }: { launchOptions: LaunchOptions; credentials: Credentials | null },
  port: number,
  dir: string,
): EphemeralServer {
  let current = first;
  let stopped: Promise<void> | undefined;
  const tls = launchOptions.tls;
  return {
    host: '127.0.0.1',
    port,
    target: {
      host: '127.0.0.1',
      port,
      username: credentials?.username ?? null,
      password: credentials?.password ?? null,
      db: 0,
      tls: tls !== undefined,
      tlsFiles: tls !== undefined ? { ca: readFileSync(tls.caFile), rejectUnauthorized: true } : null,
    },
    get pid() {
      return current.child.pid ?? 0;
    },
    get lifeline() {
      return current.lifeline;
    },
    output: () => current.output(),
    restart: async () => {
      await terminate(current);
      current = await launch(launchOptions, port, dir);
    },
    stop: () => {
      stopped ??= terminate(current).then(() => removeDir(dir));
      return stopped;
    },
  };
}

async function launch(options: LaunchOptions, port: number, dir: string): Promise<Running> {
  const binary = options.binary ?? serverBinary();
  if (findOnPath(binary) === null) throw new TargetError(`${binary} not found on PATH: ${installHint(binary)}`);
  const portArgs = options.tls
    ? [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--tls-cert-file',
        options.tls.certFile,
        '--tls-key-file',
        options.tls.keyFile,
        '--tls-ca-cert-file',
        options.tls.caFile,
        '--tls-auth-clients',
        options.tls.requireClientCert ? 'yes' : 'optional',
      ]
    : ['--port', String(port)];
  const debugArgs =
    options.enableDebugCommand && serverMajorVersion(binary) >= 7 ? ['--enable-debug-command', 'local'] : [];
  const args = [
    ...portArgs,
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
    ...debugArgs,
    ...(options.args ?? []),
  ];
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
  live.add(running);
  void exited.then(() => {
    live.delete(running);
    watchdog?.kill('SIGKILL');
  });

  const ready = await Promise.race([
    waitForPort(binary, port, options.tls !== undefined).then(() => 'ready' as const),
    exited,
  ]);
  if (ready !== 'ready') {
    if (ready instanceof Error && ready.code === 'ENOENT')
      throw new TargetError(`${binary} not found on PATH: ${installHint(binary)}`);
    if (output.includes('Address already in use')) throw new PortTakenError(output.trim());
    // A build without TLS refuses the tls-* settings, or the TLS listener, and says so.
    if (options.tls && /tls/i.test(output))
      throw new TlsUnavailableError(`${binary} cannot serve TLS here (built without it?): ${lastLine(output)}`);
    throw new TargetError(`${binary} exited before it was ready (${String(ready)}): ${lastLine(output)}`);
  }
  return running;
}

function lastLine(output: string): string {
  return output.trim().split('\n').pop() ?? '';
}

/** The major version of the server program (0 when it cannot be told; launching will then say what is wrong). */
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
async function waitForPort(binary: string, port: number, tls: boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await probe(port, tls)) return;
    await sleep(20);
  }
  throw new TargetError(`${binary} did not answer on port ${port} within 10 s`);
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
