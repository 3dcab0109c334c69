import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDelayProxy, type DelayProxy } from '../../src/cli/delay-proxy.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

/** A forwarded chunk may leave up to 0.5 ms early (timer granularity): a round trip takes ≥ rtt − 1 ms. */
const RTT = 20;
const ROUND_TRIP_FLOOR = RTT - 1;

describe('delay proxy in front of redis-server', () => {
  let redis: TestRedis;
  let proxy: DelayProxy;
  const clients: Redis[] = [];

  const client = (): Redis => {
    const c = new Redis({
      host: proxy.host,
      port: proxy.port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    c.on('error', () => {});
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    redis = await startRedis();
    proxy = await startDelayProxy({ targetHost: '127.0.0.1', targetPort: redis.port, rttMs: RTT });
  });

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await proxy?.close();
    await redis?.stop();
  });

  it('adds one rtt to connecting and to every command, and none per pipelined command', async () => {
    const c = client();
    const start = performance.now();
    await c.connect();
    // Handshake (rtt) + ioredis's INFO ready check (one round trip).
    expect(performance.now() - start).toBeGreaterThanOrEqual(RTT + ROUND_TRIP_FLOOR);

    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      expect(await c.ping()).toBe('PONG');
      const ms = performance.now() - t;
      expect(ms).toBeGreaterThanOrEqual(ROUND_TRIP_FLOOR);
      expect(ms).toBeLessThan(20 * RTT);
    }

    const t = performance.now();
    const pipeline = c.pipeline();
    for (let i = 0; i < 500; i++) pipeline.incr('delay-proxy:counter');
    const results = await pipeline.exec();
    const ms = performance.now() - t;
    expect(results?.map(([error, value]) => (error === null ? value : error))).toEqual(
      Array.from({ length: 500 }, (_, i) => i + 1),
    );
    expect(ms).toBeGreaterThanOrEqual(ROUND_TRIP_FLOOR);
    expect(ms).toBeLessThan(20 * RTT);
  });

  it('round-trips a large value intact', async () => {
    const c = client();
    await c.connect();
    const value = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0; i < value.length; i++) value[i] = (i * 31 + (i >> 10)) & 0xff;
    await c.set('delay-proxy:big', value);
    const back = await c.getBuffer('delay-proxy:big');
    expect(back?.equals(value)).toBe(true);
  });

  it('closing the proxy closes its clients', async () => {
    const c = client();
    await c.connect();
    expect(proxy.connections).toBeGreaterThanOrEqual(3);
    const closed = once(c, 'close');
    await proxy.close();
    await closed;
    expect(c.status).not.toBe('ready');
  });
});
