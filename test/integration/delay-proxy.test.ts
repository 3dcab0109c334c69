import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDelayProxy, type DelayProxy } from '../../src/cli/delay-proxy.js';
import { ManualWakeups } from '../helpers/clock.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

/**
 * The proxy runs on virtual time (ManualWakeups): its clock jumps to the next wake-up it asked for whenever one is
 * pending, and stands still while the sockets and redis-server work. A delay is then never shorter than the proxy
 * was asked for, and longer only by the jumps taken while a chunk was still on its way, at most rtt/2 each, whatever
 * the load of the machine. On the real clock an upper bound could never be sound.
 */
const RTT = 20;

const ms = (ns: bigint): number => Number(ns) / 1e6;

describe('delay proxy in front of redis-server', () => {
  let redis: TestRedis;
  let proxy: DelayProxy;
  const time = new ManualWakeups();
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

  /** How long `run` takes on the proxy's clock, in ms, and what it returned. */
  async function timed<R>(run: () => Promise<R>): Promise<{ ms: number; value: R }> {
    const start = time.now();
    const value = await time.drive(run());
    return { ms: ms(time.now() - start), value };
  }

  beforeAll(async () => {
    redis = await startRedis();
    proxy = await startDelayProxy({ targetHost: '127.0.0.1', targetPort: redis.port, rttMs: RTT, scheduler: time });
  });

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await proxy?.close();
    await redis?.stop();
  });

  it('adds one rtt to connecting and to every command, and none per pipelined command', async () => {
    const c = client();
    // Handshake (rtt) + ioredis's INFO ready check (one round trip).
    expect((await timed(() => c.connect())).ms).toBeGreaterThanOrEqual(2 * RTT);

    // A command and its reply are one chunk each: nothing else is on its way when the clock jumps, so exactly one rtt.
    for (let i = 0; i < 3; i++) {
      const ping = await timed(() => c.ping());
      expect(ping.value).toBe('PONG');
      expect(ping.ms).toBe(RTT);
    }

    const pipeline = c.pipeline();
    for (let i = 0; i < 500; i++) pipeline.incr('delay-proxy:counter');
    const { ms: pipelineMs, value: results } = await timed(() => pipeline.exec());
    expect(results?.map(([error, value]) => (error === null ? value : error))).toEqual(
      Array.from({ length: 500 }, (_, i) => i + 1),
    );
    // One write of 20 KB, which redis-server reads 16 KB at a time, and its replies: a few chunks, each adding at
    // most rtt/2 (see the top). One rtt per pipelined command would be 500.
    expect(pipelineMs).toBeGreaterThanOrEqual(RTT);
    expect(pipelineMs).toBeLessThan(5 * RTT);
  });

  it('round-trips a large value intact', async () => {
    const c = client();
    await time.drive(c.connect());
    const value = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0; i < value.length; i++) value[i] = (i * 31 + (i >> 10)) & 0xff;
    await time.drive(c.set('delay-proxy:big', value));
    const back = await time.drive(c.getBuffer('delay-proxy:big'));
    expect(back?.equals(value)).toBe(true);
  });

  it('closing the proxy closes its clients', async () => {
    const c = client();
    await time.drive(c.connect());
    expect(proxy.connections).toBeGreaterThanOrEqual(3);
    const closed = once(c, 'close');
    await proxy.close();
    await closed;
    expect(c.status).not.toBe('ready');
  });
});
