import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Pool,
  PoolClosedError,
  PoolExhaustedError,
  PoolTimeoutError,
  type PoolFactory,
  type PoolOptions,
} from '../../../src/pool/pool.js';
import { POOL_COUNTERS } from '../../../src/schema/names.js';
import type { Clock } from '../../../src/clock.js';
import { FakeClock } from '../../helpers/clock.js';

// Captured before any test installs fake timers, so tick() always runs for real.
const realSetImmediate = setImmediate;
const realSetTimeout = setTimeout;

/** Lets every pending promise callback run (setImmediate comes after the microtask queue). */
async function tick(times = 3): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise<void>((resolve) => realSetImmediate(resolve));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}

/** Fails the test instead of letting it hang until the 60 s test timeout. */
function within<R>(promise: Promise<R>, ms = 5_000): Promise<R> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => realSetTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms)),
  ]);
}

interface Deferred {
  promise: Promise<void>;
  open: () => void;
}

function deferred(): Deferred {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

interface Conn {
  readonly id: number;
}

/** In-memory factory: creations can be slow, held at a gate, or made to fail. */
class FakeFactory implements PoolFactory<Conn> {
  readonly live = new Set<Conn>();
  readonly destroyedIds: number[] = [];
  /** Ids validate() reports as stale. */
  readonly staleIds = new Set<number>();
  createCalls = 0;
  /** Highest number of resources alive or being created at once. */
  peakInUse = 0;
  createDelayMs = 0;
  /** The next N calls to create() reject. */
  failCreates = 0;
  failDestroys = false;
  validateRejects = false;
  private inFlight = 0;
  private nextId = 1;
  private gate: Deferred | undefined;

  /** Holds every create() started from now on until openGate(). */
  closeGate(): void {
    this.gate = deferred();
  }

  openGate(): void {
    this.gate?.open();
    this.gate = undefined;
  }

  async create(): Promise<Conn> {
    this.createCalls++;
    const fail = this.failCreates > 0;
    if (fail) this.failCreates--;
    this.inFlight++;
    this.peakInUse = Math.max(this.peakInUse, this.inFlight + this.live.size);
    try {
      if (this.createDelayMs > 0) await sleep(this.createDelayMs);
      if (this.gate !== undefined) await this.gate.promise;
      if (fail) throw new Error('connect ECONNREFUSED');
      const conn = { id: this.nextId++ };
      this.live.add(conn);
      return conn;
    } finally {
      this.inFlight--;
    }
  }

  async destroy(conn: Conn): Promise<void> {
    this.live.delete(conn);
    this.destroyedIds.push(conn.id);
    if (this.failDestroys) throw new Error('destroy failed');
  }

  async validate(conn: Conn): Promise<boolean> {
    if (this.validateRejects) throw new Error('PING failed');
    return !this.staleIds.has(conn.id);
  }
}

/** `clock`: the pool's, the real one unless a test hands it a FakeClock to move. */
function makePool(
  options: PoolOptions,
  factory = new FakeFactory(),
  clock?: Clock,
): { pool: Pool<Conn>; factory: FakeFactory } {
  return { pool: new Pool(factory, options, clock), factory };
}

/**
 * vitest's fake timers, the timers only: the pool's timeouts and intervals are faked, while its clock is the one it
 * is handed (never a faked performance.now or process.hrtime).
 */
const TIMERS_ONLY: Parameters<typeof vi.useFakeTimers>[0] = {
  toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'],
};

/** Moves the pool's clock and the fake timers on together, a step at a time: each timer fires at its time on the clock. */
async function elapse(clock: FakeClock, ms: number, stepMs: number): Promise<void> {
  for (let done = 0; done < ms; done += stepMs) {
    clock.advanceMs(stepMs);
    await vi.advanceTimersByTimeAsync(stepMs);
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Pool: bounds and queueing', () => {
  it('never creates more than max resources for 100 concurrent acquires, and serves them all', async () => {
    const { pool, factory } = makePool({ max: 5 });
    factory.createDelayMs = 5;
    const served: number[] = [];
    const worker = async (): Promise<void> => {
      const conn = await pool.acquire();
      served.push(conn.id);
      await tick(1);
      pool.release(conn);
    };
    await within(Promise.all(Array.from({ length: 100 }, worker)));

    expect(served).toHaveLength(100);
    expect(factory.createCalls).toBe(5);
    expect(factory.peakInUse).toBe(5);
    const stats = pool.stats();
    expect(stats).toMatchObject({ misses: 5, hits: 95, waitCount: 95, pending: 0, totalConns: 5, peakTotal: 5 });
    expect(stats.idleConns).toBe(5);
  });

  it('serves waiters first in, first out, handing the released resource over directly', async () => {
    const { pool } = makePool({ max: 1 });
    const first = await pool.acquire();
    const order: string[] = [];
    const waiters = ['a', 'b', 'c'].map((name) =>
      pool.acquire().then((conn) => {
        order.push(name);
        return conn;
      }),
    );
    expect(pool.stats().pending).toBe(3);

    pool.release(first);
    const a = await within(waiters[0]!);
    expect(a).toBe(first);
    expect(pool.stats().idleConns).toBe(0);
    pool.release(a);
    pool.release(await within(waiters[1]!));
    pool.release(await within(waiters[2]!));

    expect(order).toEqual(['a', 'b', 'c']);
    expect(pool.stats()).toMatchObject({ pending: 0, waitCount: 3, hits: 3, misses: 1, idleConns: 1 });
  });

  it('times out a queued acquire with PoolTimeoutError, removes it from the queue and counts it', async () => {
    const { pool } = makePool({ max: 1, acquireTimeoutMs: 50 });
    const held = await pool.acquire();
    const startedAt = performance.now();
    const error = await within(pool.acquire()).catch((e: unknown) => e);
    const waitedMs = performance.now() - startedAt;

    expect(error).toBeInstanceOf(PoolTimeoutError);
    expect((error as PoolTimeoutError).code).toBe('POOL_TIMEOUT');
    expect((error as Error).message).toBe('pool acquire timed out after 50 ms (1 of 1 connections in use, 1 waiting)');
    expect(waitedMs).toBeGreaterThanOrEqual(40);
    expect(pool.stats()).toMatchObject({ timeouts: 1, pending: 0, waitCount: 1 });

    // The timed-out waiter must not swallow the next release.
    pool.release(held);
    expect(pool.stats().idleConns).toBe(1);
    await expect(pool.acquire()).resolves.toBe(held);
  });

  it('creates a timer only for a queued acquire, never on the hit path', async () => {
    vi.useFakeTimers(TIMERS_ONLY);
    const { pool } = makePool({ max: 1, acquireTimeoutMs: 1_000 });
    pool.release(await pool.acquire());
    const hit = await pool.acquire();
    expect(pool.stats().hits).toBe(1);
    expect(vi.getTimerCount()).toBe(0);

    const waiter = pool.acquire();
    expect(vi.getTimerCount()).toBe(1);
    pool.release(hit);
    await expect(waiter).resolves.toBe(hit);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects at once with PoolExhaustedError when failFast is on', async () => {
    const { pool } = makePool({ max: 2, failFast: true });
    await pool.acquire();
    await pool.acquire();
    const error = await pool.acquire().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PoolExhaustedError);
    expect((error as PoolExhaustedError).code).toBe('POOL_EXHAUSTED');
    expect((error as Error).message).toMatch(/^Too many connections/);
    expect(pool.stats()).toMatchObject({ exhausted: 1, waitCount: 0, pending: 0, totalConns: 2 });
  });

  it('counts resources still being created as in use for failFast', async () => {
    const { pool, factory } = makePool({ max: 1, failFast: true });
    factory.closeGate();
    const creating = pool.acquire();
    await expect(within(pool.acquire())).rejects.toBeInstanceOf(PoolExhaustedError);
    factory.openGate();
    await expect(within(creating)).resolves.toMatchObject({ id: 1 });
  });
});

describe('Pool: reuse order and counters', () => {
  async function reuseAfterReleasing(order: 'lifo' | 'fifo'): Promise<number> {
    const { pool } = makePool({ max: 3, order });
    const conns = [await pool.acquire(), await pool.acquire(), await pool.acquire()];
    for (const conn of conns) pool.release(conn); // released 1, 2, 3
    return (await pool.acquire()).id;
  }

  it('reuses the most recently released resource first with lifo (the default)', async () => {
    expect(await reuseAfterReleasing('lifo')).toBe(3);
    const { pool } = makePool({ max: 2 });
    const a = await pool.acquire();
    const b = await pool.acquire();
    pool.release(a);
    pool.release(b);
    expect(await pool.acquire()).toBe(b);
  });

  it('acquireIdle lends an idle resource synchronously, counted as a hit, and leaves everything else to acquire()', async () => {
    const { pool } = makePool({ max: 2 });
    expect(pool.acquireIdle()).toBeUndefined();
    const a = await pool.acquire();
    pool.release(a);
    expect(pool.acquireIdle()).toBe(a);
    expect(pool.borrowedCount).toBe(1);
    expect(pool.stats().hits).toBe(1);
    expect(pool.acquireIdle()).toBeUndefined();
    const checked = makePool({ max: 1, testOnBorrow: true }).pool;
    checked.release(await checked.acquire());
    expect(checked.acquireIdle()).toBeUndefined();
    expect(checked.stats().idleConns).toBe(1);
  });

  it('reuses the least recently released resource first with fifo', async () => {
    expect(await reuseAfterReleasing('fifo')).toBe(1);
  });

  it('counts hits, misses, waits and the time spent queued', async () => {
    const clock = new FakeClock();
    const { pool } = makePool({ max: 1 }, undefined, clock);
    const conn = await pool.acquire();
    expect(pool.stats()).toMatchObject({ misses: 1, hits: 0, totalConns: 1, idleConns: 0, created: 1 });
    pool.release(conn);
    expect(pool.stats()).toMatchObject({ totalConns: 1, idleConns: 1 });

    const again = await pool.acquire();
    expect(pool.stats()).toMatchObject({ misses: 1, hits: 1, waitCount: 0, waitDurationUs: 0 });

    const waiter = pool.acquire();
    expect(pool.stats()).toMatchObject({ waitCount: 1, pending: 1 });
    clock.advanceMs(30.0004);
    pool.release(again);
    await within(waiter);

    const stats = pool.stats();
    expect(stats).toMatchObject({ pending: 0, hits: 2, misses: 1, waitCount: 1, max: 1, minIdle: 0 });
    // Queued for 30.0004 ms on the pool's clock: whole microseconds.
    expect(stats.waitDurationUs).toBe(30_000);
  });

  it('starts every counter of the one list at zero, then the gauges', () => {
    const { pool } = makePool({ max: 4, minIdle: 0 });
    const stats = pool.stats();
    for (const counter of POOL_COUNTERS) expect(stats[counter], counter).toBe(0);
    expect(
      Object.keys(stats)
        .filter((key) => !(POOL_COUNTERS as readonly string[]).includes(key))
        .sort(),
    ).toEqual(['idleConns', 'max', 'minIdle', 'peakTotal', 'pending', 'totalConns']);
  });
});

describe('Pool: creation failures never hang an acquire', () => {
  it('settles every acquire when create fails N times and then succeeds', async () => {
    const { pool, factory } = makePool({ max: 3 });
    factory.failCreates = 7;
    factory.createDelayMs = 2;
    const useOnce = (): Promise<Conn> =>
      pool.acquire().then((conn) => {
        pool.release(conn);
        return conn;
      });
    const results = await within(Promise.allSettled(Array.from({ length: 20 }, useOnce)));

    const rejected = results.filter((r) => r.status === 'rejected');
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    expect(rejected).toHaveLength(7);
    expect(fulfilled).toHaveLength(13);
    for (const r of rejected) expect((r.reason as Error).message).toBe('connect ECONNREFUSED');
    expect(factory.peakInUse).toBeLessThanOrEqual(3);
    expect(pool.stats()).toMatchObject({ createErrors: 7, created: 3, pending: 0, totalConns: 3 });
  });

  it('rejects every waiter with the factory error when create always fails, without a timeout', async () => {
    const { pool, factory } = makePool({ max: 2 });
    factory.failCreates = Number.MAX_SAFE_INTEGER;
    const results = await within(Promise.allSettled(Array.from({ length: 10 }, () => pool.acquire())));

    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(factory.createCalls).toBe(10);
    expect(pool.stats()).toMatchObject({ createErrors: 10, pending: 0, totalConns: 0, waitCount: 8 });
  });

  it('starts a creation for the next waiter when a creation fails', async () => {
    const { pool, factory } = makePool({ max: 1 });
    factory.failCreates = 1;
    factory.closeGate();
    const first = pool.acquire();
    const second = pool.acquire();
    expect(pool.stats().pending).toBe(1);
    factory.openGate();

    await expect(within(first)).rejects.toThrow('connect ECONNREFUSED');
    await expect(within(second)).resolves.toMatchObject({ id: 1 });
    expect(factory.createCalls).toBe(2);
  });

  it('gives a resource whose waiter timed out during creation to the next waiter', async () => {
    const { pool, factory } = makePool({ max: 1, acquireTimeoutMs: 40 });
    const held = await pool.acquire();
    factory.closeGate();
    const late = pool.acquire();
    pool.destroy(held); // frees the slot: a creation starts for `late`, held at the gate
    await expect(within(late)).rejects.toBeInstanceOf(PoolTimeoutError);

    const next = pool.acquire();
    factory.openGate();
    await expect(within(next)).resolves.toMatchObject({ id: 2 });
    expect(factory.createCalls).toBe(2);
    expect(pool.stats()).toMatchObject({ timeouts: 1, totalConns: 1, pending: 0 });
  });
});

describe('Pool: minIdle, validation, lifetime and eviction', () => {
  it('pre-warms minIdle resources in start() so the first acquires are hits', async () => {
    const { pool, factory } = makePool({ max: 5, minIdle: 3 });
    await pool.start();
    expect(factory.createCalls).toBe(3);
    expect(pool.stats()).toMatchObject({ idleConns: 3, totalConns: 3, created: 3 });

    await pool.acquire();
    await pool.acquire();
    expect(pool.stats()).toMatchObject({ hits: 2, misses: 0 });
  });

  it('rejects start() with the creation error', async () => {
    const { pool, factory } = makePool({ max: 2, minIdle: 2 });
    factory.failCreates = 1;
    await expect(pool.start()).rejects.toThrow('connect ECONNREFUSED');
    expect(pool.stats().createErrors).toBe(1);
  });

  it('tops minIdle up after a destroy, never above max', async () => {
    const { pool, factory } = makePool({ max: 2, minIdle: 2 });
    await pool.start();
    const a = await pool.acquire();
    await pool.acquire();
    pool.destroy(a);
    await tick();

    expect(factory.createCalls).toBe(3);
    expect(pool.stats()).toMatchObject({ idleConns: 1, totalConns: 2, destroyed: 1 });
  });

  it('with testOnBorrow destroys stale idle resources, counts them and hands out the next one', async () => {
    const { pool, factory } = makePool({ max: 3, testOnBorrow: true });
    const conns = [await pool.acquire(), await pool.acquire(), await pool.acquire()];
    for (const conn of conns) pool.release(conn);
    factory.staleIds.add(3).add(2);

    const conn = await pool.acquire();
    expect(conn.id).toBe(1);
    expect(factory.destroyedIds).toEqual([3, 2]);
    expect(pool.stats()).toMatchObject({ staleConns: 2, destroyed: 2, totalConns: 1, hits: 1, misses: 3 });
  });

  it('with testOnBorrow treats a rejecting validate() as stale and creates a fresh resource', async () => {
    const { pool, factory } = makePool({ max: 1, testOnBorrow: true });
    pool.release(await pool.acquire());
    factory.validateRejects = true;

    const conn = await pool.acquire();
    expect(conn.id).toBe(2);
    expect(pool.stats()).toMatchObject({ staleConns: 1, misses: 2, totalConns: 1 });
  });

  it('destroys a resource past maxLifetimeMs on borrow and on release instead of reusing it', async () => {
    const clock = new FakeClock();
    const { pool, factory } = makePool({ max: 2, maxLifetimeMs: 1_000 }, undefined, clock);
    const first = await pool.acquire();
    pool.release(first);
    clock.advanceMs(500);
    expect(await pool.acquire()).toBe(first); // still young: reused
    pool.release(first);

    clock.advanceMs(600);
    const second = await pool.acquire();
    expect(second.id).toBe(2);
    expect(factory.destroyedIds).toEqual([1]);

    clock.advanceMs(1_001);
    pool.release(second);
    await tick();
    expect(factory.destroyedIds).toEqual([1, 2]);
    expect(pool.stats()).toMatchObject({ staleConns: 2, totalConns: 0, idleConns: 0 });
  });

  it('evicts resources idle longer than idleTimeoutMs on the eviction timer, keeping minIdle', async () => {
    vi.useFakeTimers(TIMERS_ONLY);
    const clock = new FakeClock();
    const options = { max: 4, minIdle: 1, idleTimeoutMs: 1_000, evictionRunIntervalMs: 500 };
    const { pool, factory } = makePool(options, undefined, clock);
    const conns = [await pool.acquire(), await pool.acquire(), await pool.acquire()];
    for (const conn of conns) pool.release(conn); // idle order: 1, 2, 3

    await elapse(clock, 1_000, 500); // runs at 500 and 1000: nothing idle longer than 1000 ms
    expect(pool.stats()).toMatchObject({ evicted: 0, idleConns: 3 });

    await elapse(clock, 500, 500);
    expect(pool.stats()).toMatchObject({ evicted: 2, idleConns: 1, totalConns: 1 });
    expect(factory.destroyedIds).toEqual([1, 2]);
    expect(await pool.acquire()).toMatchObject({ id: 3 });
  });

  it('evicts nothing while resources are in use, and evictIdle() can be called directly', async () => {
    const clock = new FakeClock();
    const { pool } = makePool({ max: 2, idleTimeoutMs: 100 }, undefined, clock);
    const a = await pool.acquire();
    const b = await pool.acquire();
    clock.advanceMs(1_000);
    expect(pool.evictIdle()).toBe(0);

    pool.release(a);
    pool.release(b);
    clock.advanceMs(50);
    expect(pool.evictIdle()).toBe(0);
    clock.advanceMs(100);
    expect(pool.evictIdle()).toBe(2);
    expect(pool.stats()).toMatchObject({ evicted: 2, totalConns: 0 });
  });
});

describe('Pool: destroy and close', () => {
  it('destroy() frees the slot so a waiter gets a fresh resource', async () => {
    const { pool, factory } = makePool({ max: 1 });
    const broken = await pool.acquire();
    const waiter = pool.acquire();
    pool.destroy(broken);

    const fresh = await within(waiter);
    expect(fresh.id).toBe(2);
    expect(factory.destroyedIds).toEqual([1]);
    expect(pool.stats()).toMatchObject({ destroyed: 1, misses: 2, totalConns: 1, pending: 0 });
  });

  it('counts destroy errors without rejecting anything', async () => {
    const { pool, factory } = makePool({ max: 1 });
    factory.failDestroys = true;
    pool.destroy(await pool.acquire());
    await tick();
    expect(pool.stats()).toMatchObject({ destroyed: 1, destroyErrors: 1, totalConns: 0 });
  });

  it('throws when releasing or destroying a resource that is not borrowed', async () => {
    const { pool } = makePool({ max: 1 });
    expect(() => pool.release({ id: 99 })).toThrow(/not borrowed from this pool/);
    const conn = await pool.acquire();
    pool.release(conn);
    expect(() => pool.release(conn)).toThrow(/not borrowed from this pool/);
    expect(() => pool.destroy(conn)).toThrow(/not borrowed from this pool/);
  });

  it('close() rejects waiters, destroys idle and returned resources, then resolves', async () => {
    const { pool, factory } = makePool({ max: 3 });
    const a = await pool.acquire();
    const b = await pool.acquire();
    const c = await pool.acquire();
    pool.release(c);
    const waiter = pool.acquire(); // served by c (idle), so take one more to queue
    const queued = [pool.acquire(), pool.acquire()];
    expect(pool.stats().pending).toBe(2);
    const servedByIdle = await waiter;

    let closed = false;
    const closing = pool.close().then(() => {
      closed = true;
    });
    for (const q of queued) await expect(within(q)).rejects.toBeInstanceOf(PoolClosedError);
    await expect(pool.acquire()).rejects.toMatchObject({ code: 'POOL_CLOSED' });

    pool.release(a);
    pool.destroy(b);
    await tick();
    expect(closed).toBe(false); // servedByIdle is still out
    pool.release(servedByIdle);
    await within(closing);

    expect(factory.live.size).toBe(0);
    expect(pool.stats()).toMatchObject({ totalConns: 0, idleConns: 0, pending: 0, destroyed: 3 });
  });

  it('close() destroys idle resources and resources still being created', async () => {
    const { pool, factory } = makePool({ max: 3 });
    pool.release(await pool.acquire());
    const idleAgain = await pool.acquire(); // a hit on resource 1
    factory.closeGate();
    const creating = pool.acquire(); // resource 2, held at the gate
    pool.release(idleAgain);
    const closing = pool.close();
    await tick();
    expect(factory.destroyedIds).toEqual([1]);

    factory.openGate();
    await expect(within(creating)).rejects.toBeInstanceOf(PoolClosedError);
    await within(closing);
    expect(factory.live.size).toBe(0);
    expect(factory.destroyedIds).toEqual([1, 2]);
    await expect(pool.start()).rejects.toBeInstanceOf(PoolClosedError);
  });
});

describe('Pool: options', () => {
  const factory = new FakeFactory();
  it.each<[string, PoolOptions]>([
    ['max 0', { max: 0 }],
    ['fractional max', { max: 1.5 }],
    ['minIdle above max', { max: 2, minIdle: 3 }],
    ['negative minIdle', { max: 2, minIdle: -1 }],
    ['negative acquireTimeoutMs', { max: 2, acquireTimeoutMs: -1 }],
    ['acquireTimeoutMs beyond a timer', { max: 2, acquireTimeoutMs: 2 ** 31 }],
    ['NaN idleTimeoutMs', { max: 2, idleTimeoutMs: Number.NaN }],
    ['unknown order', { max: 2, order: 'random' as 'lifo' }],
  ])('throws RangeError for %s', (_, options) => {
    expect(() => new Pool(factory, options)).toThrow(RangeError);
  });

  it('needs validate() for testOnBorrow', () => {
    const noValidate: PoolFactory<Conn> = { create: () => factory.create(), destroy: (c) => factory.destroy(c) };
    expect(() => new Pool(noValidate, { max: 1, testOnBorrow: true })).toThrow(/validate/);
    expect(() => new Pool(noValidate, { max: 1 })).not.toThrow();
  });

  it('names the option and what is accepted', () => {
    expect(() => new Pool(factory, { max: 2, minIdle: 3 })).toThrow(
      'pool option minIdle must be an integer from 0 to 2, got 3',
    );
  });
});

describe('Pool: periodic health check', () => {
  it('validates idle resources, keeps healthy ones, replaces stale ones up to minIdle', async () => {
    const { pool, factory } = makePool({ max: 4, minIdle: 3 });
    await pool.start();
    factory.staleIds.add(2);
    expect(await pool.checkIdleHealth()).toBe(1);
    await tick();
    expect(factory.destroyedIds).toEqual([2]);
    expect(pool.stats()).toMatchObject({
      healthChecks: 3,
      healthCheckFailures: 1,
      staleConns: 1,
      idleConns: 3,
      totalConns: 3,
    });
    expect([...factory.live].map((conn) => conn.id)).not.toContain(2);
  });

  it('does not lend a resource while it is being checked', async () => {
    const { pool, factory } = makePool({ max: 1 });
    pool.release(await pool.acquire());
    const checking = pool.checkIdleHealth();
    let got: Conn | undefined;
    const acquiring = pool.acquire().then((conn) => (got = conn));
    expect(got).toBeUndefined();
    await checking;
    await within(acquiring);
    expect(got!.id).toBe(1);
    expect(factory.createCalls).toBe(1);
  });

  it('runs on its own timer', async () => {
    vi.useFakeTimers(TIMERS_ONLY);
    const { pool, factory } = makePool({ max: 2, healthCheckIntervalMs: 1_000 });
    pool.release(await pool.acquire());
    factory.staleIds.add(1);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(pool.stats()).toMatchObject({ healthChecks: 1, healthCheckFailures: 1, totalConns: 0 });
    await pool.close();
  });
});
