import type { Redis } from 'ioredis';
import type { Histogram } from 'hdr-histogram-js';
import { CheckedRedis } from './checked-redis.js';
import { clientOptions, type ClientTimeouts } from './client-options.js';
import { connectReady } from './connect.js';
import type { RedisTarget } from './url.js';

/** Client-side connection counts: every socket this factory's clients opened and closed. */
export interface ConnectionCounts {
  opened: number;
  closed: number;
  peakOpen: number;
  connectErrors: number;
}

/**
 * Opens ioredis connections for one strategy and counts them. A socket counts as opened when it connects and as
 * closed when it closes, so reconnects and broken connections are counted as what they are.
 */
export class ClientFactory {
  readonly counts: ConnectionCounts = { opened: 0, closed: 0, peakOpen: 0, connectErrors: 0 };
  private open = 0;

  constructor(
    private readonly target: RedisTarget,
    private readonly timeouts: ClientTimeouts,
    /** Connection name shown by CLIENT LIST, so the tool's own connections can be told apart. */
    private readonly connectionName: string,
    /** Socket opened → connection ready, integer µs; null when not recorded (warm-up). */
    public connectHistogram: Histogram | null,
    /** The same split in two: socket (TCP + TLS) and setup (AUTH, SELECT, ready check). */
    public phaseHistograms: { socket: Histogram; setup: Histogram } | null = null,
  ) {}

  get openNow(): number {
    return this.open;
  }

  /** Start measuring the peak afresh (after a warm-up), from the connections open now. */
  resetPeak(): void {
    this.counts.peakOpen = this.open;
  }

  /** A new connection, ready for commands (the full setup a client does). */
  async connect(): Promise<Redis> {
    const client = new CheckedRedis(clientOptions(this.target, this.timeouts, this.connectionName));
    this.track(client);
    const start = process.hrtime.bigint();
    let socketAt = start;
    if (this.phaseHistograms) client.once('connect', () => (socketAt = process.hrtime.bigint()));
    try {
      await connectReady(client);
    } catch (error) {
      this.counts.connectErrors++;
      client.disconnect();
      throw error;
    }
    const ready = process.hrtime.bigint();
    this.connectHistogram?.recordValue(Number((ready - start) / 1000n));
    this.phaseHistograms?.socket.recordValue(Number((socketAt - start) / 1000n));
    this.phaseHistograms?.setup.recordValue(Number((ready - socketAt) / 1000n));
    return client;
  }

  /**
   * Close gracefully (QUIT, so the server closes first and the TIME_WAIT lands on its side), or drop it if broken,
   * and wait until the socket is really closed, as a client's close() does before the caller moves on.
   */
  async close(client: Redis): Promise<void> {
    if (client.status === 'end') return;
    const ended = new Promise<void>((resolve) => client.once('end', resolve));
    if (client.status === 'ready') {
      await client.quit().catch(() => client.disconnect());
    } else {
      client.disconnect();
    }
    await ended;
  }

  private track(client: Redis): void {
    let connected = false;
    client.on('connect', () => {
      connected = true;
      this.counts.opened++;
      this.open++;
      if (this.open > this.counts.peakOpen) this.counts.peakOpen = this.open;
    });
    client.on('close', () => {
      if (!connected) return;
      connected = false;
      this.counts.closed++;
      this.open--;
    });
    // Errors surface through the commands that fail; an unhandled 'error' event would crash the process.
    client.on('error', () => {});
  }
}
