import type { Redis } from 'ioredis';
import type { Histogram } from '../histograms.js';
import { CheckedRedis } from './checked-redis.js';
import { clientOptions, type ClientSettings } from './client-options.js';
import { connectReady } from './connect.js';
import type { RedisTarget } from './url.js';

/** Client-side connection counts over the factory's whole life: every socket its clients opened and closed. */
export interface ConnectionCounts {
  opened: number;
  closed: number;
  /** Most sockets open at once since the factory was made. */
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
  private peakSinceMark = 0;

  constructor(
    private readonly target: RedisTarget,
    private readonly settings: ClientSettings,
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

  /** Start a second peak afresh (at the start of the measured window), from the connections open now. */
  markPeak(): void {
    this.peakSinceMark = this.open;
  }

  /** Most sockets open at once since markPeak(); counts.peakOpen keeps the peak over the whole life. */
  get peakOpenSinceMark(): number {
    return this.peakSinceMark;
  }

  /** A new connection, ready for commands (the full setup a client does). */
  async connect(): Promise<Redis> {
    const client = new CheckedRedis(clientOptions(this.target, this.settings, this.connectionName));
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
      if (this.open > this.peakSinceMark) this.peakSinceMark = this.open;
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
