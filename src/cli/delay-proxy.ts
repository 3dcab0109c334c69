import { connect, createServer, type Server, type Socket } from 'node:net';
import { sharedScheduler, type Scheduled, type Wakeups } from '../scheduler.js';

/**
 * A loopback TCP proxy that makes loopback look like a real network (`redis-pool bench --rtt <ms>`):
 * every connection pays one round trip to be set up, and every byte pays half a round trip each way.
 */
export interface DelayProxyOptions {
  targetHost: string;
  targetPort: number;
  /** Simulated round-trip time in milliseconds: ≥ 0, may be fractional. 0 is a plain pass-through with no timers. */
  rttMs: number;
  /**
   * The clock every delay is measured on and the wake-ups that end them: the process's shared scheduler (on the real
   * clock) unless a test passes a fake on virtual time.
   */
  scheduler?: Wakeups;
}

export interface DelayProxy {
  host: '127.0.0.1';
  port: number;
  /** Client connections accepted so far. */
  readonly connections: number;
  /** Stop listening, destroy every live socket, clear every timer; resolves once the server is closed. */
  close(): Promise<void>;
}

/**
 * At most this many bytes wait in one direction's delay queue before the source is paused, like a TCP
 * window: without it a fast writer could make the proxy hold (rate × rtt/2) bytes in memory.
 */
const WINDOW_BYTES = 16 * 1024 * 1024;

export function startDelayProxy(options: DelayProxyOptions): Promise<DelayProxy> {
  const { targetHost, targetPort, rttMs, scheduler = sharedScheduler } = options;
  if (!Number.isFinite(rttMs) || rttMs < 0) {
    return Promise.reject(new RangeError(`rttMs must be a finite number ≥ 0, got ${rttMs}`));
  }
  if (!Number.isInteger(targetPort) || targetPort < 1 || targetPort > 65535) {
    return Promise.reject(new RangeError(`targetPort must be an integer from 1 to 65535, got ${targetPort}`));
  }

  const live = new Set<ProxiedConnection>();
  let accepted = 0;
  let closing: Promise<void> | null = null;

  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    accepted++;
    if (closing !== null) {
      client.on('error', ignore);
      client.destroy();
      return;
    }
    const conn = new ProxiedConnection(client, targetHost, targetPort, rttMs, scheduler, () => live.delete(conn));
    live.add(conn);
  });

  return new Promise<DelayProxy>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      // Errors after listening (e.g. EMFILE on accept) must not crash the process.
      server.on('error', ignore);
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({
        host: '127.0.0.1',
        port,
        get connections() {
          return accepted;
        },
        close() {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            for (const conn of live) conn.destroy();
            live.clear();
          });
          return closing;
        },
      });
    });
  });
}

function ignore(): void {}

/** One client connection and its upstream connection. */
class ProxiedConnection {
  private upstream: Socket | null = null;
  private handshakeTimer: Scheduled | null = null;
  private pipes: [DelayedPipe, DelayedPipe] | null = null;
  private clientClosed = false;
  private upstreamClosed = false;
  private finished = false;

  constructor(
    private readonly client: Socket,
    private readonly targetHost: string,
    private readonly targetPort: number,
    private readonly rttMs: number,
    private readonly scheduler: Wakeups,
    private readonly onFinished: () => void,
  ) {
    client.on('error', ignore);
    client.setNoDelay(true);
    // Nothing the client sends is read until the upstream connection exists (it stays in the kernel buffer).
    client.pause();
    client.once('close', () => {
      this.clientClosed = true;
      if (this.pipes === null) {
        // Gone during the simulated handshake or while connecting upstream.
        this.clearHandshake();
        this.upstream?.destroy();
      }
      this.maybeFinish();
    });

    if (rttMs === 0) {
      this.connectUpstream();
    } else {
      // The simulated TCP handshake: on a real network the client could not send its first byte until
      // SYN / SYN-ACK had made one full round trip. Loopback connects at once, so the proxy waits one rtt
      // before it connects upstream and before it reads anything from the client. A request written right
      // after connect therefore reaches the server after rtt + rtt/2 and its reply returns at 2 × rtt,
      // as it would over a network.
      this.waitUntil(scheduler.now() + BigInt(Math.round(rttMs * 1e6)), () => this.connectUpstream());
    }
  }

  /** The precise scheduler: a delay of 0.3 ms is 0.3 ms, not a millisecond timer. */
  private waitUntil(dueNs: bigint, then: () => void): void {
    this.handshakeTimer = this.scheduler.at(dueNs, () => {
      this.handshakeTimer = null;
      then();
    });
  }

  private clearHandshake(): void {
    this.handshakeTimer?.cancel();
    this.handshakeTimer = null;
  }

  private connectUpstream(): void {
    if (this.clientClosed || this.finished) return;
    const upstream = connect({ host: this.targetHost, port: this.targetPort, allowHalfOpen: true });
    this.upstream = upstream;
    let connected = false;
    upstream.on('error', ignore);
    upstream.once('connect', () => {
      connected = true;
      upstream.setNoDelay(true);
      if (this.clientClosed || this.finished) {
        upstream.destroy();
        return;
      }
      const halfRttNs = BigInt(Math.round((this.rttMs / 2) * 1e6));
      const up = new DelayedPipe(this.client, upstream, halfRttNs, this.scheduler);
      const down = new DelayedPipe(upstream, this.client, halfRttNs, this.scheduler);
      up.partner = down;
      down.partner = up;
      this.pipes = [up, down];
      up.start();
      down.start();
    });
    upstream.once('close', () => {
      this.upstreamClosed = true;
      // Refused, unreachable or reset before connecting: the client must not hang on a dead proxy connection.
      if (!connected) this.client.destroy();
      this.maybeFinish();
    });
  }

  private maybeFinish(): void {
    if (this.finished || !this.clientClosed) return;
    if (this.upstream !== null && !this.upstreamClosed) return;
    this.finished = true;
    this.clearHandshake();
    if (this.pipes !== null) for (const pipe of this.pipes) pipe.stop();
    this.onFinished();
  }

  /** close(): drop everything now. */
  destroy(): void {
    this.finished = true;
    this.clearHandshake();
    if (this.pipes !== null) for (const pipe of this.pipes) pipe.stop();
    this.client.destroy();
    this.upstream?.destroy();
  }
}

/** A chunk of bytes, or the source's FIN ('end') or its closing ('close'), due at releaseAtNs. */
interface Queued {
  releaseAtNs: bigint;
  chunk: Buffer | 'end' | 'close';
}

/**
 * One direction of a connection: bytes read from `source` are written to `dest` `delayNs` later, in order.
 * The queue is a FIFO of (releaseAtNs, chunk) with one wake-up of the scheduler for its head, so a high
 * request rate costs one wake-up per direction instead of one per chunk. A delay of 0 writes straight through.
 */
class DelayedPipe {
  partner: DelayedPipe | null = null;
  private queue: Queued[] = [];
  private head = 0;
  private queuedBytes = 0;
  private timer: Scheduled | null = null;
  private waitingForDrain = false;
  /** `dest` is gone: nothing can be delivered any more, whatever `source` still sends is discarded. */
  private destGone = false;
  private stopped = false;

  constructor(
    private readonly source: Socket,
    private readonly dest: Socket,
    private readonly delayNs: bigint,
    private readonly scheduler: Wakeups,
  ) {}

  start(): void {
    this.source.on('data', (chunk: Buffer) => this.enqueue(chunk, chunk.length));
    // With allowHalfOpen a FIN only ends this direction; it reaches the other side after the same delay.
    // A client may have sent its FIN during the simulated handshake, before this pipe existed.
    if (this.source.readableEnded) this.enqueue('end', 0);
    else this.source.once('end', () => this.enqueue('end', 0));
    this.source.once('close', () => {
      // Whatever is queued is still delivered, then the other side is ended and destroyed.
      this.enqueue('close', 0);
      this.partner?.markDestGone();
    });
    this.updateFlow();
  }

  /** The connection is finished or the proxy is closing: no more timers, no more writes. */
  stop(): void {
    this.stopped = true;
    this.markDestGone();
  }

  private markDestGone(): void {
    this.destGone = true;
    this.timer?.cancel();
    this.timer = null;
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
    this.waitingForDrain = false;
    this.updateFlow();
  }

  private enqueue(chunk: Buffer | 'end' | 'close', bytes: number): void {
    if (this.destGone) return;
    if (this.delayNs === 0n) {
      this.deliver(chunk);
      return;
    }
    this.queue.push({ releaseAtNs: this.scheduler.now() + this.delayNs, chunk });
    this.queuedBytes += bytes;
    if (this.queuedBytes >= WINDOW_BYTES) this.updateFlow();
    this.arm();
  }

  private arm(): void {
    if (this.timer !== null || this.stopped) return;
    const next = this.queue[this.head];
    if (next === undefined) return;
    this.timer = this.scheduler.at(next.releaseAtNs, () => this.release());
  }

  private release(): void {
    this.timer = null;
    const limit = this.scheduler.now();
    // Everything released by one firing goes out in one writev; the byte stream is unchanged.
    this.dest.cork();
    try {
      for (
        let next = this.queue[this.head];
        next !== undefined && next.releaseAtNs <= limit;
        next = this.queue[this.head]
      ) {
        this.head++;
        if (typeof next.chunk !== 'string') this.queuedBytes -= next.chunk.length;
        this.deliver(next.chunk);
        if (this.destGone) return;
      }
    } finally {
      this.dest.uncork();
    }
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.updateFlow();
    this.arm();
  }

  private deliver(chunk: Buffer | 'end' | 'close'): void {
    const dest = this.dest;
    if (this.destGone || dest.destroyed) return;
    if (chunk === 'end') {
      if (!dest.writableEnded) dest.end();
    } else if (chunk === 'close') {
      // Ends the socket if still writable and destroys it once what it buffered is flushed.
      dest.destroySoon();
    } else if (!dest.writableEnded && !dest.write(chunk) && !this.waitingForDrain) {
      this.waitingForDrain = true;
      this.updateFlow();
      dest.once('drain', () => {
        this.waitingForDrain = false;
        this.updateFlow();
      });
    }
  }

  /** Back-pressure: `source` is read only while `dest` accepts writes and the delay queue is under the window. */
  private updateFlow(): void {
    const source = this.source;
    if (source.destroyed) return;
    const pause = !this.destGone && (this.waitingForDrain || this.queuedBytes >= WINDOW_BYTES);
    if (pause && !source.isPaused()) source.pause();
    else if (!pause && source.isPaused()) source.resume();
  }
}
