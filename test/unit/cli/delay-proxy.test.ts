import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startDelayProxy, type DelayProxy } from '../../../src/cli/delay-proxy.js';
import { realClock } from '../../../src/clock.js';
import { findFreePort } from '../../../src/redis/free-port.js';
import { ManualWakeups, until } from '../../helpers/clock.js';

/**
 * Timing. The tests that time the proxy run it on virtual time (ManualWakeups): its clock moves only when the test
 * moves it, to the next wake-up the proxy asked for, once the sockets have done what the test waits for (the
 * proxy has queued what it read). Every delay is then exact, whatever the load of the machine: a request written
 * at t reaches the server at t + rtt/2 and its reply the client at t + rtt, on that clock. An upper bound on the
 * real clock can never be sound (a round trip of 50 ms once took 154 ms in a full run, on a loaded machine), so
 * none is asserted.
 *
 * The tests on the real clock (the process's shared scheduler, what `bench --rtt` runs on) assert lower bounds
 * only: the scheduler never wakes a waiter before its time on process.hrtime, the clock these tests read too, so a
 * delay is never shorter than asked and no slack is needed.
 */

/** Nanoseconds to milliseconds, for a difference of two readings (exact for these small values). */
const ms = (ns: bigint): number => Number(ns) / 1e6;

interface Upstream {
  server: Server;
  port: number;
  /** When each upstream connection was accepted, on the clock given to startEcho(). */
  acceptedAt: bigint[];
  sockets: Socket[];
}

const cleanups: (() => Promise<unknown> | void)[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An echo server (half-close aware: it ends after echoing everything once the client ends). */
async function startEcho(
  handler: (socket: Socket) => void = (socket) => socket.pipe(socket),
  now: () => bigint = realClock.now,
): Promise<Upstream> {
  const upstream: Upstream = { server: createServer({ allowHalfOpen: true }), port: 0, acceptedAt: [], sockets: [] };
  upstream.server.on('connection', (socket) => {
    upstream.acceptedAt.push(now());
    upstream.sockets.push(socket);
    socket.setNoDelay(true);
    socket.on('error', () => {});
    handler(socket);
  });
  upstream.server.listen(0, '127.0.0.1');
  await once(upstream.server, 'listening');
  const address = upstream.server.address();
  upstream.port = typeof address === 'object' && address !== null ? address.port : 0;
  cleanups.push(async () => {
    for (const socket of upstream.sockets) socket.destroy();
    await new Promise((resolve) => upstream.server.close(resolve));
  });
  return upstream;
}

/** A proxy on the real clock, or on `time`'s virtual one. */
async function startProxy(targetPort: number, rttMs: number, time?: ManualWakeups): Promise<DelayProxy> {
  const proxy = await startDelayProxy({ targetHost: '127.0.0.1', targetPort, rttMs, scheduler: time });
  cleanups.push(() => proxy.close());
  return proxy;
}

function dial(proxy: DelayProxy): Socket {
  const socket = connect({ host: proxy.host, port: proxy.port });
  socket.setNoDelay(true);
  socket.on('error', () => {});
  cleanups.push(() => void socket.destroy());
  return socket;
}

/** Resolves with the time (on `now`'s clock) the socket has received `bytes` bytes in total since the call. */
function receive(socket: Socket, bytes: number, now: () => bigint = realClock.now): Promise<bigint> {
  return new Promise((resolve) => {
    let got = 0;
    const onData = (chunk: Buffer): void => {
      got += chunk.length;
      if (got >= bytes) {
        socket.off('data', onData);
        resolve(now());
      }
    };
    socket.on('data', onData);
  });
}

/** One request/response on an established connection, in ms on the real clock. */
async function roundTrip(socket: Socket, payload = Buffer.from('ping\r\n')): Promise<number> {
  const start = realClock.now();
  const done = receive(socket, payload.length);
  socket.write(payload);
  return ms((await done) - start);
}

/**
 * Virtual time moves to the next wake-up once the proxy has `count` of them pending: what the test knows the
 * sockets will have queued by then. Waiting for that first is what keeps the clock from moving while a chunk is
 * still on its way (it would then be queued later, and look delayed).
 */
async function step(time: ManualWakeups, count: number, what: string): Promise<void> {
  await until(() => time.pending === count, what);
  time.advance();
}

/** One request/response on a connection of a proxy on virtual time, in ms on that clock. */
async function virtualRoundTrip(time: ManualWakeups, socket: Socket, payload = 'ping\r\n'): Promise<number> {
  const start = time.now();
  const done = receive(socket, payload.length, time.clock.now);
  socket.write(payload);
  await step(time, 1, 'the request queued on its way up');
  await step(time, 1, 'the reply queued on its way down');
  return ms((await done) - start);
}

describe('delay proxy', () => {
  it('delays the connection setup by one rtt and each request/response by one rtt', async () => {
    const rtt = 20;
    const time = new ManualWakeups();
    const echo = await startEcho(undefined, time.clock.now);
    const proxy = await startProxy(echo.port, rtt, time);

    const start = time.now();
    const client = dial(proxy);
    // Written as soon as loopback connects: the simulated handshake holds it back, then it travels rtt/2.
    const firstEcho = receive(client, 5, time.clock.now);
    client.write('hello');
    await step(time, 1, 'the simulated handshake');
    await until(() => time.pending === 1 && echo.acceptedAt.length === 1, "the upstream connection and 'hello' queued");
    expect(ms(echo.acceptedAt[0]! - start)).toBe(rtt);
    time.advance();
    await step(time, 1, 'the echo queued on its way down');
    expect(ms((await firstEcho) - start)).toBe(2 * rtt);

    for (let i = 0; i < 5; i++) expect(await virtualRoundTrip(time, client)).toBe(rtt);
    expect(proxy.connections).toBe(1);
  });

  it('handles a fractional rtt', async () => {
    const time = new ManualWakeups();
    const echo = await startEcho();
    const proxy = await startProxy(echo.port, 7.5, time);
    const client = dial(proxy);
    await step(time, 1, 'the simulated handshake');
    expect(await virtualRoundTrip(time, client)).toBe(7.5);
    expect(await virtualRoundTrip(time, client)).toBe(7.5);
  });

  it('delivers a client FIN to the server after rtt/2, and the reply and FIN back', async () => {
    const rtt = 30;
    const time = new ManualWakeups();
    let serverEndAt = -1n;
    const echo = await startEcho((socket) => {
      socket.on('end', () => {
        serverEndAt = time.now();
        socket.end('bye');
      });
      socket.resume();
    });
    const proxy = await startProxy(echo.port, rtt, time);
    const client = dial(proxy);
    await step(time, 1, 'the simulated handshake');
    await until(() => echo.sockets.length === 1, 'the upstream connection');
    const reply: Buffer[] = [];
    client.on('data', (chunk: Buffer) => reply.push(chunk));
    const start = time.now();
    const clientEnd = once(client, 'end').then(() => time.now());
    client.end();
    await step(time, 1, 'the FIN queued on its way up');
    await until(() => serverEndAt >= 0n, 'the FIN at the server');
    expect(ms(serverEndAt - start)).toBe(rtt / 2);
    // The reply, the server's FIN and its close each wait rtt/2 from when the proxy reads them, which may be apart
    // (virtual time may move between two): the client's end comes one rtt after its FIN at the earliest.
    expect(ms((await time.drive(clientEnd)) - start)).toBeGreaterThanOrEqual(rtt);
    expect(Buffer.concat(reply).toString()).toBe('bye');
  });

  it('delivers a FIN the client sent during the simulated handshake', async () => {
    const time = new ManualWakeups();
    const echo = await startEcho((socket) => {
      socket.on('end', () => socket.end('bye'));
      socket.resume();
    });
    const proxy = await startProxy(echo.port, 30, time);
    const client = dial(proxy);
    await once(client, 'connect');
    const reply: Buffer[] = [];
    client.on('data', (chunk: Buffer) => reply.push(chunk));
    client.end();
    // The FIN is sent; the proxy's clock has not moved, so it has not connected upstream yet.
    await once(client, 'finish');
    expect(echo.sockets).toHaveLength(0);
    await time.drive(once(client, 'end'));
    expect(Buffer.concat(reply).toString()).toBe('bye');
  });

  it('echoes 5 MB written in many chunks intact and in order, then half-closes cleanly', async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port, 10);
    const payload = randomBytes(5 * 1024 * 1024);
    const client = dial(proxy);
    const received: Buffer[] = [];
    client.on('data', (chunk: Buffer) => received.push(chunk));
    const ended = once(client, 'end');
    // Uneven chunk sizes, from a few bytes to 200 KB.
    for (let at = 0, i = 0; at < payload.length; i++) {
      const size = 1 + ((i * 7919) % (200 * 1024));
      client.write(payload.subarray(at, at + size));
      at += size;
    }
    client.end();
    await ended;
    const echoed = Buffer.concat(received);
    expect(echoed.length).toBe(payload.length);
    expect(echoed.equals(payload)).toBe(true);
  });

  it('asks for one wake-up per direction, not one per chunk', async () => {
    const rtt = 400;
    const time = new ManualWakeups();
    const echo = await startEcho();
    const proxy = await startProxy(echo.port, rtt, time);
    const client = dial(proxy);
    await step(time, 1, 'the simulated handshake');
    await virtualRoundTrip(time, client);
    const before = time.scheduled;
    const echoed = receive(client, 300 * 4);
    // Separate writes a macrotask apart arrive at the proxy as many separate chunks. Its clock stands still, so
    // every chunk it reads waits in the queue of the one direction, behind one wake-up.
    for (let i = 0; i < 300; i++) {
      client.write('PING');
      await new Promise((resolve) => setImmediate(resolve));
    }
    await until(() => time.pending === 1, 'the chunks queued on their way up');
    expect(time.scheduled - before).toBe(1);
    await time.drive(echoed);
  });

  it('does not serialize independent connections', async () => {
    const rtt = 50;
    const time = new ManualWakeups();
    const echo = await startEcho();
    const proxy = await startProxy(echo.port, rtt, time);
    const start = time.now();
    // Eight connections at once, each sending right away: handshake + one round trip = 2 rtt each. Their eight
    // handshakes, then their eight requests and their eight replies are pending together: serialized, they never
    // would be.
    const done = Array.from({ length: 8 }, () => {
      const client = dial(proxy);
      const echoed = receive(client, 4, time.clock.now);
      client.write('ping');
      return echoed;
    });
    await step(time, 8, 'eight simulated handshakes');
    await step(time, 8, 'eight requests queued on their way up');
    await step(time, 8, 'eight replies queued on their way down');
    for (const at of await Promise.all(done)) expect(ms(at - start)).toBe(2 * rtt);
    expect(proxy.connections).toBe(8);

    // Round trips on two established connections at the same time take one rtt, not two.
    const [a, b] = [dial(proxy), dial(proxy)];
    await step(time, 2, 'two simulated handshakes');
    const pairStart = time.now();
    const pair = [receive(a, 4, time.clock.now), receive(b, 4, time.clock.now)];
    a.write('ping');
    b.write('ping');
    await step(time, 2, 'two requests queued on their way up');
    await step(time, 2, 'two replies queued on their way down');
    for (const at of await Promise.all(pair)) expect(ms(at - pairStart)).toBe(rtt);
  });

  it('keeps serving other connections while one connection is blocked by a peer that does not read', async () => {
    // On the real clock: the blocked connection's back-pressure is the real one, which virtual time cannot bring to a
    // standstill the test could wait for. Only a lower bound is sound there (see the top); that connections served
    // at once each take exactly their rtt is shown on virtual time, by the test above.
    const rtt = 20;
    const stalled: Socket[] = [];
    const echo = await startEcho((socket) => {
      socket.once('data', (chunk: Buffer) => {
        if (chunk.toString().startsWith('STALL')) {
          socket.pause();
          stalled.push(socket);
        } else {
          socket.write(chunk);
          socket.pipe(socket);
        }
      });
    });
    const proxy = await startProxy(echo.port, rtt);
    const blocked = dial(proxy);
    blocked.write('STALL');
    await until(() => stalled.length === 1, 'the server that stops reading');
    blocked.write(Buffer.alloc(32 * 1024 * 1024));
    const other = dial(proxy);
    await roundTrip(other);
    expect(await roundTrip(other)).toBeGreaterThanOrEqual(rtt);
  });

  it('applies back-pressure: it stops reading from a client whose server does not read', async () => {
    let serverSocket: Socket | null = null;
    let hash = createHash('sha256');
    let serverBytes = 0;
    const echo = await startEcho((socket) => {
      serverSocket = socket;
      socket.pause();
      socket.on('data', (chunk: Buffer) => {
        serverBytes += chunk.length;
        hash.update(chunk);
      });
    });
    const proxy = await startProxy(echo.port, 10);
    const client = dial(proxy);
    await once(client, 'connect');
    const payload = randomBytes(96 * 1024 * 1024);
    client.write(payload);
    await sleep(500);
    // Kernel buffers on both hops and the proxy's window hold a few tens of MB at most: the rest must still be
    // waiting in the client, which is only possible if the proxy stopped reading.
    expect(serverSocket).not.toBeNull();
    expect(client.writableLength).toBeGreaterThan(16 * 1024 * 1024);
    hash = createHash('sha256');
    serverBytes = 0;
    serverSocket!.resume();
    while (serverBytes < payload.length) await sleep(20);
    expect(serverBytes).toBe(payload.length);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(payload).digest('hex'));
  });

  it('close() stops listening and closes clients, including ones still in the handshake', async () => {
    const time = new ManualWakeups();
    const echo = await startEcho();
    const proxy = await startProxy(echo.port, 200, time);
    const established = dial(proxy);
    const echoed = receive(established, 4);
    established.write('ping');
    await time.drive(echoed);
    const pending = dial(proxy);
    await once(pending, 'connect');
    // Its handshake is a wake-up the clock has not reached: it is still in it.
    await until(() => time.pending === 1, "the second connection's simulated handshake");
    const closed = [once(established, 'close'), once(pending, 'close')];
    await proxy.close();
    await Promise.all(closed);
    expect(proxy.connections).toBe(2);
    // Every wake-up it had asked for is cancelled.
    expect(time.pending).toBe(0);
    const refused = connect({ host: '127.0.0.1', port: proxy.port });
    const [error] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
    // The upstream side of the established connection is closed too.
    await Promise.all(echo.sockets.filter((socket) => !socket.closed).map((socket) => once(socket, 'close')));
    // close() is idempotent.
    await proxy.close();
  });

  it('closes the client when the upstream connection is refused', async () => {
    const rtt = 20;
    const time = new ManualWakeups();
    const deadPort = await findFreePort();
    const proxy = await startProxy(deadPort, rtt, time);
    const start = time.now();
    const client = dial(proxy);
    const closedAt = once(client, 'close').then(() => time.now());
    await step(time, 1, 'the simulated handshake');
    expect(ms((await closedAt) - start)).toBe(rtt);
    expect(proxy.connections).toBe(1);
  });

  it('closes the server side when the client resets, and the client when the server goes away', async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port, 10);
    const a = dial(proxy);
    await roundTrip(a);
    a.resetAndDestroy();
    await once(echo.sockets[0]!, 'close');

    const b = dial(proxy);
    await roundTrip(b);
    echo.sockets[1]!.destroy();
    await once(b, 'close');
  });

  it('rtt 0 is a pass-through that arms no timers', async () => {
    const time = new ManualWakeups();
    const echo = await startEcho();
    const proxy = await startProxy(echo.port, 0, time);
    const client = dial(proxy);
    await once(client, 'connect');
    await roundTrip(client);
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const payload = randomBytes(1024 * 1024);
    const received: Buffer[] = [];
    client.on('data', (chunk: Buffer) => received.push(chunk));
    client.end(payload);
    await once(client, 'end');
    expect(Buffer.concat(received).equals(payload)).toBe(true);
    // No wake-up asked of its scheduler, and no timer of its own.
    expect(time.scheduled).toBe(0);
    expect(setTimeoutSpy).not.toHaveBeenCalled();
  });

  it('rejects a negative or non-finite rtt', async () => {
    await expect(startDelayProxy({ targetHost: '127.0.0.1', targetPort: 6379, rttMs: -1 })).rejects.toThrow(RangeError);
    await expect(startDelayProxy({ targetHost: '127.0.0.1', targetPort: 6379, rttMs: Number.NaN })).rejects.toThrow(
      RangeError,
    );
  });
});
