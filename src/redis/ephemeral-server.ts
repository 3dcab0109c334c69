import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TargetError } from '../errors.js';
import { findFreePort } from './free-port.js';

/** A throwaway redis-server this process started: no persistence, loopback only, always stopped. */
export interface EphemeralServer {
  host: string;
  port: number;
  pid: number;
  /** Output the server printed (its log), for error messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartServerOptions {
  binary?: string;
  /** Extra redis-server arguments, e.g. ['--requirepass', 'secret']. */
  args?: string[];
  /** TLS servers answer on a TLS port: the readiness probe then only checks that the port accepts connections. */
  plainProbe?: boolean;
}

export const INSTALL_HINT =
  'install redis-server ≥ 6 (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or pass --url';

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Whatever happens to this process, its throwaway servers must not outlive it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

export async function startEphemeralServer(options: StartServerOptions = {}): Promise<EphemeralServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await startOnce(options, await findFreePort());
    } catch (error) {
      // Another process may take the port between findFreePort and redis-server's bind: try another one.
      if (error instanceof PortTakenError) {
        lastError = error;
        continue;
      }
      throw error;
    }
  }
  throw new TargetError(`could not start redis-server on a free port: ${String(lastError)}`);
}

class PortTakenError extends Error {}

async function startOnce(options: StartServerOptions, port: number): Promise<EphemeralServer> {
  const binary = options.binary ?? 'redis-server';
  const dir = mkdtempSync(join(tmpdir(), 'redis-pool-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
    '--daemonize', 'no', '--loglevel', 'warning', ...(options.args ?? [])];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<NodeJS.ErrnoException | number | null>((resolve) => {
    child.once('error', resolve);
    child.once('exit', (code) => resolve(code));
  });
  installExitHook();
  live.add(child);
  const cleanup = (): void => {
    live.delete(child);
    rmSync(dir, { recursive: true, force: true });
  };

  const ready = await Promise.race([waitForPort(port, options.plainProbe === true).then(() => 'ready' as const), exited]);
  if (ready !== 'ready') {
    cleanup();
    if (ready instanceof Error && ready.code === 'ENOENT') throw new TargetError(`${binary} not found on PATH: ${INSTALL_HINT}`);
    if (output.includes('Address already in use')) throw new PortTakenError(output.trim());
    throw new TargetError(`${binary} exited before it was ready (${String(ready)}): ${output.trim().split('\n').pop() ?? ''}`);
  }

  let stopped: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    pid: child.pid ?? 0,
    output: () => output,
    stop: () => {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const done = await Promise.race([exited.then(() => true), sleep(5000, false, { ref: false })]);
          if (!done) {
            child.kill('SIGKILL');
            await exited;
          }
        }
        cleanup();
      })();
      return stopped;
    },
  };
}

/** Poll until the server answers PING (PONG, or NOAUTH from a password-protected one), for up to 10 s. */
async function waitForPort(port: number, plainProbe: boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await probe(port, plainProbe)) return;
    await sleep(20);
  }
  throw new TargetError(`redis-server did not answer on port ${port} within 10 s`);
}

function probe(port: number, plainProbe: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => {
      if (plainProbe) return finish(true);
      socket.write('PING\r\n');
    });
    socket.on('data', (data) => finish(/^(\+PONG|-NOAUTH)/.test(data.toString('utf8'))));
  });
}
