import { lookup } from 'node:dns/promises';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { parseInfo, readInfoServer, type InfoServer } from '../redis/info.js';
import { isServerFullReply, RespError, RespProtocolError, type RespValue } from '../redis/resp.js';
import { isRespLine, plainPingReply, PlainRespPortError, unaskedGreeting } from '../redis/resp-probe.js';
import { serverSpokeTls } from '../redis/tls-errors.js';
import { tlsConnectionOptions } from '../redis/tls.js';
import type { RedisTarget } from '../redis/url.js';
import type { AnatomyPhaseName } from '../schema/anatomy.js';
import { Deadline } from './deadline.js';
import { StepFailure } from './failure.js';
import { authCommand, type PhasePlan } from './plan.js';
import { ConnectionClosedError, RedisWire } from './wire.js';

/** One connection's timings, integer microseconds per phase that ran. */
export interface ConnectionSample {
  phasesUs: Partial<Record<AnatomyPhaseName, number>>;
  /** From the start of the first phase to the end of the last: the phases, back to back. */
  totalUs: number;
}

export interface OpenOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Also send CLIENT SETNAME with this name, as bench's clients do (an untimed step). */
  connectionName?: string;
}

/**
 * Open one connection the way a client does, one step at a time, timing each step, then close it.
 * Every socket opened is destroyed before this returns, whatever happened.
 */
export async function openAndTime(
  target: RedisTarget,
  plan: PhasePlan,
  options: OpenOptions,
): Promise<ConnectionSample> {
  const deadline = new Deadline(options.timeoutMs, options.signal);
  const sockets: Socket[] = [];
  const clock = new PhaseClock();
  try {
    const { wire } = await setUp(target, plan, deadline, sockets, clock, options);
    await deadline.step('first-command', expectReply(wire.command(['PING']), 'PONG'));
    clock.lap('first-command');
    await deadline.step('close', wire.quit());
    return { phasesUs: clock.phasesUs, totalUs: clock.totalUs };
  } finally {
    deadline.clear();
    for (const socket of sockets) socket.destroy();
  }
}

/** A connection kept open for the whole run: the yardstick of what a command costs once connected. */
export interface OpenConnection {
  /** The server, from its INFO reply (server_name, valkey_version, redis_version). */
  server: InfoServer;
  /** One PING, integer microseconds. */
  timePing(options: OpenOptions): Promise<number>;
  close(): Promise<void>;
}

export async function openConnection(
  target: RedisTarget,
  plan: PhasePlan,
  options: OpenOptions,
): Promise<OpenConnection> {
  const sockets: Socket[] = [];
  const destroyAll = (): void => sockets.forEach((socket) => socket.destroy());
  const setUpDeadline = new Deadline(options.timeoutMs, options.signal);
  let wire: RedisWire;
  let server: InfoServer;
  try {
    ({ wire, server } = await setUp(target, plan, setUpDeadline, sockets, new PhaseClock(), options));
  } catch (error) {
    destroyAll();
    throw error;
  } finally {
    setUpDeadline.clear();
  }
  return {
    server,
    timePing: async (pingOptions) => {
      const deadline = new Deadline(pingOptions.timeoutMs, pingOptions.signal);
      try {
        const startNs = process.hrtime.bigint();
        await deadline.step('open-ping', expectReply(wire.command(['PING']), 'PONG'));
        return Number((process.hrtime.bigint() - startNs) / 1000n);
      } finally {
        deadline.clear();
      }
    },
    /**
     * Never fails: by then only the socket matters, and it is destroyed whatever the server says. QUIT, and the
     * socket dropped once its reply is in, its end of stream never read: the server closes right after that reply,
     * so the TIME_WAIT still lands on its side. A socket that reads an end of stream leaves Node's stream code
     * compiled for that case, and every socket read after it pays: after bench's preflight, about 1,500
     * instructions a request of a pooled window (callgrind).
     */
    close: async () => {
      const deadline = new Deadline(options.timeoutMs);
      try {
        await deadline.step('close', wire.command(['QUIT'])).catch(() => undefined);
      } finally {
        deadline.clear();
        destroyAll();
      }
    },
  };
}

/** Every step up to a ready connection: lookup, TCP, TLS, AUTH, SELECT, (CLIENT SETNAME,) the ready check (INFO). */
async function setUp(
  target: RedisTarget,
  plan: PhasePlan,
  deadline: Deadline,
  sockets: Socket[],
  clock: PhaseClock,
  options: OpenOptions,
): Promise<{ wire: RedisWire; server: InfoServer }> {
  const addresses = plan.dns ? await deadline.step('dns', resolveAll(target.host)) : [target.host];
  if (plan.dns) clock.lap('dns');
  let socket = await deadline.step('tcp', connectFirst(addresses, target.port, sockets));
  clock.lap('tcp');
  if (plan.tls) {
    socket = await deadline.step('tls', startTls(socket, target, sockets, plainProbeAfterMs(options.timeoutMs)));
    clock.lap('tls');
  }
  const wire = new RedisWire(socket);
  try {
    return { wire, server: await handshake(wire, target, plan, deadline, clock, options) };
  } catch (error) {
    throw await explainClosed(error, socket, target);
  }
}

/** AUTH, SELECT, (CLIENT SETNAME,) the ready check; the server and its version from its INFO. */
async function handshake(
  wire: RedisWire,
  target: RedisTarget,
  plan: PhasePlan,
  deadline: Deadline,
  clock: PhaseClock,
  options: OpenOptions,
): Promise<InfoServer> {
  if (plan.auth) {
    await deadline.step('auth', expectReply(wire.command(authCommand(target)), 'OK'));
    clock.lap('auth');
  }
  if (plan.select) {
    await deadline.step('select', expectReply(wire.command(['SELECT', String(target.db)]), 'OK'));
    clock.lap('select');
  }
  if (options.connectionName !== undefined) {
    await deadline.step(
      'client-setname',
      expectReply(wire.command(['CLIENT', 'SETNAME', options.connectionName]), 'OK'),
    );
  }
  const info = await deadline.step('ready-check', expectReply(wire.command(['INFO'])));
  clock.lap('ready-check');
  return readInfoServer(parseInfo(info));
}

const GREETING_WAIT_MS = 300;

/**
 * A plain connection closed or reset before its first reply: a server at maxclients does that (it says why, then
 * closes with our command unread, which resets the connection before we read its words). Ask a fresh connection
 * that sends nothing; if that is the reason, it is the failure.
 */
async function explainClosed(error: unknown, socket: Socket, target: RedisTarget): Promise<unknown> {
  if (target.tls || !(error instanceof StepFailure)) return error;
  const code = (error.reason as NodeJS.ErrnoException).code;
  if (!(error.reason instanceof ConnectionClosedError) && code !== 'ECONNRESET' && code !== 'EPIPE') return error;
  const greeting = await unaskedGreeting(socket.remoteAddress ?? target.host, target.port, GREETING_WAIT_MS);
  return greeting !== null && isServerFullReply(greeting)
    ? new StepFailure(error.step, new RespError(greeting.replace(/^-/, '')))
    : error;
}

/** Laps of process.hrtime.bigint(): each phase runs from the end of the previous one. */
class PhaseClock {
  readonly phasesUs: Partial<Record<AnatomyPhaseName, number>> = {};
  private readonly startNs = process.hrtime.bigint();
  private lastNs = this.startNs;

  lap(phase: AnatomyPhaseName): void {
    const now = process.hrtime.bigint();
    this.phasesUs[phase] = Number((now - this.lastNs) / 1000n);
    this.lastNs = now;
  }

  get totalUs(): number {
    return Number((this.lastNs - this.startNs) / 1000n);
  }
}

async function resolveAll(host: string): Promise<string[]> {
  return (await lookup(host, { all: true })).map((entry) => entry.address);
}

/** Like a client given a name with several addresses (e.g. ::1 and 127.0.0.1): the first that accepts wins. */
async function connectFirst(addresses: string[], port: number, sockets: Socket[]): Promise<Socket> {
  let lastError: unknown = new Error('no address to connect to');
  for (const address of addresses) {
    try {
      return await connectTcp(address, port, sockets);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function connectTcp(address: string, port: number, sockets: Socket[]): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: address, port, noDelay: true });
    sockets.push(socket);
    // Later errors reach whoever reads from the socket next (the TLS handshake or a command).
    socket.on('error', ignore);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

/**
 * A TLS ClientHello sent to a plain Redis port mostly gets no answer at all (Redis waits for the end of an inline
 * command that never comes), so the handshake would wait for the whole --connect-timeout. This long without a
 * TLS answer, the port is asked a plain PING instead.
 */
function plainProbeAfterMs(timeoutMs: number): number {
  return Math.min(500, timeoutMs / 4);
}

const PLAIN_PROBE_TIMEOUT_MS = 1000;

function startTls(socket: Socket, target: RedisTarget, sockets: Socket[], probeAfterMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    // `host` is the name the certificate must carry; for an IP address Node sends no SNI but still checks it.
    const secure = tlsConnect({ ...tlsConnectionOptions(target), socket, host: target.host });
    sockets.push(secure);
    secure.on('error', ignore);
    const address = socket.remoteAddress ?? target.host;
    /** If the port answers plain RESP, that is the failure; otherwise `otherwise` (or keep waiting for the handshake). */
    const probePlain = async (otherwise?: Error): Promise<void> => {
      const line = await plainPingReply(address, target.port, PLAIN_PROBE_TIMEOUT_MS);
      if (line !== null && isRespLine(line)) reject(new PlainRespPortError());
      else if (otherwise) reject(otherwise);
    };
    const timer = setTimeout(() => void probePlain(), probeAfterMs);
    secure.once('close', () => clearTimeout(timer));
    secure.once('error', (error: Error) => {
      clearTimeout(timer);
      // An error after the server spoke TLS is about certificates; any other (reset, "wrong version number") may be a plain port.
      if (serverSpokeTls(error)) reject(error);
      else void probePlain(error);
    });
    secure.once('secureConnect', () => {
      clearTimeout(timer);
      resolve(secure);
    });
  });
}

/** The reply as text; an error reply is thrown (it is the server's answer), and so is any other reply than `expected`. */
async function expectReply(pending: Promise<RespValue>, expected?: string): Promise<string> {
  const reply = await pending;
  if (reply instanceof RespError) throw reply;
  if (typeof reply !== 'string' || (expected !== undefined && reply !== expected)) {
    throw new RespProtocolError(
      `unexpected reply ${JSON.stringify(reply)}${expected !== undefined ? ` instead of ${expected}` : ''}`,
    );
  }
  return reply;
}

function ignore(): void {}
