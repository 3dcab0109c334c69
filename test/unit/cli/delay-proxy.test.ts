import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startDelayProxy, type DelayProxy } from '../../../src/cli/delay-proxy.js';
import { findFreePort } from '../../../src/redis/free-port.js';

/**
 * Timing bounds: a queued chunk may leave up to 0.5 ms before its due time (Node timers have ~1 ms
 * granularity), so one direction takes ≥ rtt/2 − 0.5 ms and a round trip ≥ rtt − 1 ms. The connection
 * setup waits strictly ≥ rtt. Upper bounds are only generous ones, the machine may be loaded.
 */
const SLACK_MS = 0.5;

interface Upstream {
  server: Server;
  port: number;
  /** performance.now() of each accepted upstream connection. */
  acceptedAt: number[];
  sockets: Socket[];
}

const cleanups: (() => Promise<unknown> | void)[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An echo server (half-close aware: it ends after echoing everything once the client ends). */
async function startEcho(handler: (socket: Socket) => void = (socket) => socket.pipe(socket)): Promise<Upstream> {
  const upstream: Upstream = { server: createServer({ allowHalfOpen: true }), port: 0, acceptedAt: [], sockets: [] };
  upstream.server.on('connection', (socket) => {
    upstream.acceptedAt.push(performance.now());
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

async function startProxy(targetPort: number, rttMs: number): Promise<DelayProxy> {
  const proxy = await startDelayProxy({ targetHost: '127.0.0.1', targetPort, rttMs });
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

/** Resolves with the time the socket has received `bytes` bytes in total since the call. */
function receive(socket: Socket, bytes: number): Promise<number> {
  return new Promise((resolve) => {
    let got = 0;
    const onData = (chunk: Buffer): void => {
      got += chunk.length;
      if (got >= bytes) {
        socket.off('data', onData);
        resolve(performance.now());
      }
    };
    socket.on('data', onData);
  });
}

/** One request/response on an established connection, in ms. */
async function roundTrip(socket: Socket, payload = Buffer.from('ping\r\n')): Promise<number> {
  const start = performance.now();
  const done = receive(socket, payload.length);
  socket.write(payload);
  return (await done) - start;
}

describe('delay proxy', () => {
  it('delays the connection setup by one rtt and each request/response by one rtt', async () => {
    const rtt = 20;
    const echo = await startEcho();
    const proxy = await startProxy(echo.port, rtt);

    const start = performance.now();
    const client = dial(proxy);
    // Written as soon as loopback connects: the simulated handshake holds it back, then it travels rtt/2.
    const firstEcho = receive(client, 5);
    client.write('hello');
    const firstAt = await firstEcho;
    expect(echo.acceptedAt).toHaveLength(1);
    expect(echo.acceptedAt[0]! - start).toBeGreaterThanOrEqual(rtt);
    expect(firstAt - start).toBeGreaterThanOrEqual(2 * rtt - 2 * SLACK_MS);
    expect(firstAt - start).toBeLessThan(20 * rtt);

    const samples: number[] = [];
    for (let i = 0; i < 5; i++) samples.push(await roundTrip(client));
    for (const ms of samples) {
      expect(ms).toBeGreaterThanOrEqual(rtt - 2 * SLACK_MS);
      expect(ms).toBeLessThan(20 * rtt);
    }
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    expect(mean).toBeGreaterThanOrEqual(rtt);
    expect(proxy.connections).toBe(1);
  });

  it('handles a fractional rtt', async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port, 7.5);
    const client = dial(proxy);
    await once(client, 'connect');
    await roundTrip(client);
    expect(await roundTrip(client)).toBeGreaterThanOrEqual(7.5 - 2 * SLACK_MS);
  });

  it('delivers a client FIN to the server after rtt/2, and the reply and FIN back', async () => {
    const rtt = 30;
    let serverEndAt = 0;
    const echo = await startEcho((socket) => {
      socket.on('end', () => {
        serverEndAt = performance.now();
        socket.end('bye');
      });
      socket.resume();
    });
    const proxy = await startProxy(echo.port, rtt);
    const client = dial(proxy);
    await once(client, 'connect');
    await sleep(rtt + 5);
    const reply: Buffer[] = [];
    client.on('data', (chunk: Buffer) => reply.push(chunk));
    const start = performance.now();
    client.end();
    await once(client, 'end');
    const clientEndAt = performance.now();
    expect(serverEndAt - start).toBeGreaterThanOrEqual(rtt / 2 - SLACK_MS);
    expect(clientEndAt - start).toBeGreaterThanOrEqual(rtt - 2 * SLACK_MS);
    expect(Buffer.concat(reply).toString()).toBe('bye');
  });

  it('delivers a FIN the client sent during the simulated handshake', async () => {
    const echo = await startEcho((socket) => {
      socket.on('end', () => socket.end('bye'));
      socket.resume();
    });
    const proxy = await startProxy(echo.port, 30);
    const client = dial(proxy);
    await once(client, 'connect');
    const reply: Buffer[] = [];
    client.on('data', (chunk: Buffer) => reply.push(chunk));
    client.end(); // at once: the proxy has not connected upstream yet
    await once(client, 'end');
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

  it('arms one timer per direction, not one per chunk', async () => {
    const rtt = 400;
    const echo = await startEcho();
    const proxy = await startProxy(echo.port, rtt);
    const client = dial(proxy);
    await roundTrip(client);
    const timeouts = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timeouts();
    const echoed = receive(client, 300 * 4);
    // Separate writes a macrotask apart arrive at the proxy as many separate chunks within rtt/2.
    for (let i = 0; i < 300; i++) {
      client.write('PING');
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Whatever was written in the last rtt/2 is still queued in the proxy (in this process) at this point.
    const during = timeouts();
    await echoed;
    expect(during - before).toBeLessThanOrEqual(2);
  });

  it('does not serialize independent connections', async () => {
    const rtt = 50;
    const echo = await startEcho();
    const proxy = await startProxy(echo.port, rtt);
    const start = performance.now();
    // Eight connections at once, each sending right away: handshake + one round trip = 2 rtt each.
    const done = await Promise.all(
      Array.from({ length: 8 }, () => {
        const client = dial(proxy);
        const echoed = receive(client, 4);
        client.write('ping');
        return echoed;
      }),
    );
    const slowest = Math.max(...done) - start;
    expect(slowest).toBeGreaterThanOrEqual(2 * rtt - 2 * SLACK_MS);
    // Serialized handshakes alone would take ≥ 8 rtt.
    expect(slowest).toBeLessThan(6 * rtt);
    expect(proxy.connections).toBe(8);

    // Round trips on two established connections at the same time take one rtt, not two.
    const [a, b] = [dial(proxy), dial(proxy)];
    await Promise.all([roundTrip(a), roundTrip(b)]);
    const pairStart = performance.now();
    await Promise.all([roundTrip(a), roundTrip(b)]);
    const pair = performance.now() - pairStart;
    expect(pair).toBeGreaterThanOrEqual(rtt - 2 * SLACK_MS);
    expect(pair).toBeLessThan(1.9 * rtt);
  });

  it('keeps other connections at one rtt while one connection is blocked by a peer that does not read', async () => {
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
    await sleep(3 * rtt);
    blocked.write(Buffer.alloc(32 * 1024 * 1024));
    const other = dial(proxy);
    await roundTrip(other);
    const ms = await roundTrip(other);
    expect(ms).toBeGreaterThanOrEqual(rtt - 2 * SLACK_MS);
    expect(ms).toBeLessThan(10 * rtt);
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
    const echo = await startEcho();
    const proxy = await startProxy(echo.port, 200);
    const established = dial(proxy);
    const echoed = receive(established, 4);
    established.write('ping');
    await echoed;
    const pending = dial(proxy);
    await once(pending, 'connect');
    const closed = [once(established, 'close'), once(pending, 'close')];
    await proxy.close();
    await Promise.all(closed);
    expect(proxy.connections).toBe(2);
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
    const deadPort = await findFreePort();
    const proxy = await startProxy(deadPort, rtt);
    const start = performance.now();
    const client = dial(proxy);
    await once(client, 'close');
    expect(performance.now() - start).toBeGreaterThanOrEqual(rtt);
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
    const echo = await startEcho();
    const proxy = await startProxy(echo.port, 0);
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
    expect(setTimeoutSpy).not.toHaveBeenCalled();
  });

  it('rejects a negative or non-finite rtt', async () => {
    await expect(startDelayProxy({ targetHost: '127.0.0.1', targetPort: 6379, rttMs: -1 })).rejects.toThrow(RangeError);
    await expect(startDelayProxy({ targetHost: '127.0.0.1', targetPort: 6379, rttMs: Number.NaN })).rejects.toThrow(
      RangeError,
    );
  });
});
