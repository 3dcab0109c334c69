/**
 * A small, instrumented, generic resource pool (it replaces generic-pool).
 *
 * Guarantee: no acquire hangs on the pool itself. Every acquire settles with a resource, a
 * PoolTimeoutError, a PoolExhaustedError, a PoolClosedError or the factory's own error. A failed
 * creation rejects the acquire it was started for, frees its slot, and starts the next creation
 * for the next waiter. (A factory.create() or validate() that never settles is the factory's
 * bug; queued acquires are still rescued by acquireTimeoutMs.)
 */
import { PoolClosedError, PoolExhaustedError, PoolTimeoutError } from './pool-errors.js';
import { POOL_COUNTERS } from '../schema/names.js';
import type { PoolCounter, PoolStats } from '../schema/bench.js';
import { realClock, type Clock } from '../clock.js';

export { PoolClosedError, PoolError, PoolExhaustedError, PoolTimeoutError } from './pool-errors.js';

export interface PoolFactory<T> {
  create(): Promise<T>;
  destroy(resource: T): Promise<void>;
  /** Optional health check used by testOnBorrow; resolve false (or reject) = stale. */
  validate?(resource: T): Promise<boolean>;
}

export interface PoolOptions {
  /** Integer ≥ 1: bounded number of resources (idle + borrowed + being created). */
  max: number;
  /** Default 0: idle resources pre-warmed by start() and topped up after destroys (never above max). */
  minIdle?: number;
  /** Default 0 = wait forever; > 0: a queued acquire waiting longer rejects with PoolTimeoutError. */
  acquireTimeoutMs?: number;
  /** Reuse order of idle resources, default 'lifo' (most recently released first). */
  order?: 'lifo' | 'fifo';
  /** Default 0 = never; idle longer than this -> destroyed by evictIdle() (which keeps minIdle). */
  idleTimeoutMs?: number;
  /** Default 0 = no eviction timer; > 0: an unref'd timer runs evictIdle(). */
  evictionRunIntervalMs?: number;
  /** Default 0 = unlimited; an older resource is destroyed on release/borrow/eviction instead of reused. */
  maxLifetimeMs?: number;
  /** Default false: validate() an idle resource before handing it out; stale ones are destroyed. */
  testOnBorrow?: boolean;
  /** Default false: when exhausted, reject at once with PoolExhaustedError instead of queueing. */
  failFast?: boolean;
  /** Default 0 = off; > 0: an unref'd timer validate()s every idle resource this often; stale ones are destroyed. */
  healthCheckIntervalMs?: number;
}

/** One resource and its timestamps (the clock's nowMs, performance.now()); reused for the resource's whole life. */
interface Slot<T> {
  readonly resource: T;
  readonly createdAt: number;
  /** When it last became idle; kept only with an idle timeout, the one reader (a clock read saved per release). */
  idleSince: number;
  /** Lent out, or claimed while testOnBorrow or a health check validates it. */
  borrowed: boolean;
}

/** An acquire that was not served on the hot path. */
interface Request<T> {
  readonly resolve: (resource: T) => void;
  readonly reject: (error: unknown) => void;
  /** The clock's now (process.hrtime.bigint()) when it joined the wait queue. */
  queuedAt: bigint;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
}

/** What the pool tallies as it goes: every counter but the wait time (summed in ns, waitDurationNs), and the peak. */
type Counter = Exclude<PoolCounter, 'waitDurationUs'> | 'peakTotal';

const newCounts = (): Record<Counter, number> =>
  Object.fromEntries(
    [...POOL_COUNTERS.filter((counter) => counter !== 'waitDurationUs'), 'peakTotal'].map((counter) => [counter, 0]),
  ) as Record<Counter, number>;

interface Settings {
  max: number;
  minIdle: number;
  acquireTimeoutMs: number;
  lifo: boolean;
  idleTimeoutMs: number;
  evictionRunIntervalMs: number;
  maxLifetimeMs: number;
  testOnBorrow: boolean;
  failFast: boolean;
  healthCheckIntervalMs: number;
}

/** setTimeout/setInterval fire after 1 ms for larger delays. */
const MAX_TIMER_MS = 2_147_483_647;

export class Pool<T> {
  private readonly settings: Settings;
  private readonly idle: Slot<T>[] = [];
  /**
   * Every resource the pool holds, idle or borrowed, from its creation to its destruction: a borrow and a return
   * flip the slot's flag and a count, and change no map (a Map's set and delete cost some 300 instructions a request).
   */
  private readonly slots = new Map<T, Slot<T>>();
  /** Borrowed resources, and idle ones claimed while testOnBorrow or a health check validates them. */
  private borrowed = 0;
  /** FIFO wait queue: a Set keeps insertion order and drops a timed-out waiter in O(1). */
  private readonly waiters = new Set<Request<T>>();
  private readonly destroying = new Set<Promise<void>>();
  private creating = 0;
  /** Creations no acquire is waiting for (pre-warm and top-up), so top-up does not overshoot. */
  private creatingSpare = 0;
  private waitDurationNs = 0n;
  private readonly counts = newCounts();
  private readonly evictionTimer: NodeJS.Timeout | undefined;
  private readonly healthCheckTimer: NodeJS.Timeout | undefined;
  private refillScheduled = false;
  private closing = false;
  private closed: Promise<void> | undefined;
  private resolveClosed: (() => void) | undefined;
  private readonly now: () => bigint;
  private readonly nowMs: () => number;

  /** `clock`: where the wait times and the resources' ages are read, the real one unless a test passes a fake. */
  constructor(
    private readonly factory: PoolFactory<T>,
    options: PoolOptions,
    clock: Clock = realClock,
  ) {
    this.now = clock.now;
    this.nowMs = clock.nowMs;
    this.settings = resolveOptions(options, factory);
    if (this.settings.evictionRunIntervalMs > 0) {
      this.evictionTimer = setInterval(() => this.evictIdle(), this.settings.evictionRunIntervalMs);
      this.evictionTimer.unref();
    }
    if (this.settings.healthCheckIntervalMs > 0) {
      this.healthCheckTimer = setInterval(() => void this.checkIdleHealth(), this.settings.healthCheckIntervalMs);
      this.healthCheckTimer.unref();
    }
  }

  /** Creates resources up to minIdle; resolves when they exist, rejects with the first creation error. */
  start(): Promise<void> {
    if (this.closing) return Promise.reject(new PoolClosedError());
    return Promise.all(this.topUp()).then(() => undefined);
  }

  acquire(): Promise<T> {
    const resource = this.acquireIdle();
    if (resource !== undefined) return Promise.resolve(resource);
    return new Promise<T>((resolve, reject) => {
      this.dispatch({ resolve, reject, queuedAt: 0n, timer: undefined, settled: false });
    });
  }

  /**
   * The hot path of acquire(), synchronous: an idle resource that needs no asynchronous check, lent at once (no
   * timer, no closure, no promise), or undefined when acquire() has to do more (create, check, or queue).
   */
  acquireIdle(): T | undefined {
    if (this.idle.length === 0 || this.settings.testOnBorrow) return undefined;
    const slot = this.takeIdle();
    if (slot === undefined) return undefined;
    this.claim(slot);
    this.counts.hits++;
    return slot.resource;
  }

  /** Resources lent out now (or claimed for a check before lending): what a new borrower finds busy. */
  get borrowedCount(): number {
    return this.borrowed;
  }

  /** Returns a borrowed resource: to the oldest waiter if there is one, else to the idle list. */
  release(resource: T): void {
    const slot = this.borrowedSlot(resource, 'release');
    if (this.closing) {
      this.discard(slot);
    } else if (this.isExpired(slot)) {
      this.counts.staleConns++;
      this.discard(slot);
    } else {
      this.unclaim(slot);
      this.makeAvailable(slot);
    }
  }

  /** Destroys a broken borrowed resource; its slot goes to the next waiter. */
  destroy(resource: T): void {
    this.discard(this.borrowedSlot(resource, 'destroy'));
  }

  /**
   * Rejects every waiter, destroys idle resources now and borrowed ones when they come back.
   * Resolves when every resource is destroyed.
   */
  close(): Promise<void> {
    if (this.closed === undefined) {
      this.closing = true;
      clearInterval(this.evictionTimer);
      clearInterval(this.healthCheckTimer);
      this.closed = new Promise<void>((resolve) => {
        this.resolveClosed = resolve;
      });
      for (const waiter of this.waiters) {
        this.leaveQueue(waiter);
        this.fail(waiter, new PoolClosedError());
      }
      for (const slot of this.idle.splice(0)) this.destroyResource(slot.resource);
      this.checkClosed();
    }
    return this.closed;
  }

  /**
   * Destroys idle resources idle longer than idleTimeoutMs (always keeping the minIdle most
   * recently used) and idle resources past maxLifetimeMs. Returns how many were destroyed.
   */
  evictIdle(): number {
    if (this.closing || this.idle.length === 0) return 0;
    const destroyed = this.evictExpired() + this.evictIdleTimedOut();
    if (destroyed > 0) this.afterSlotFreed();
    return destroyed;
  }

  /**
   * Validates every idle resource (the periodic health check). They are claimed while checked, so no acquire
   * gets one mid-check; healthy ones become available again, stale ones are destroyed and replaced.
   * Resolves with how many failed.
   */
  async checkIdleHealth(): Promise<number> {
    if (this.closing || this.idle.length === 0 || this.factory.validate === undefined) return 0;
    const slots = this.idle.splice(0);
    for (const slot of slots) this.claim(slot);
    const results = await Promise.all(slots.map((slot) => this.isValid(slot.resource)));
    let failed = 0;
    slots.forEach((slot, i) => {
      this.counts.healthChecks++;
      if (this.closing) {
        this.retire(slot);
      } else if (results[i]) {
        this.unclaim(slot);
        this.makeAvailable(slot);
      } else {
        failed++;
        this.counts.healthCheckFailures++;
        this.counts.staleConns++;
        this.retire(slot);
      }
    });
    this.afterSlotFreed();
    return failed;
  }

  stats(): PoolStats {
    return {
      ...this.counts,
      waitDurationUs: Number(this.waitDurationNs / 1000n),
      pending: this.waiters.size,
      totalConns: this.totalConns(),
      idleConns: this.idle.length,
      max: this.settings.max,
      minIdle: this.settings.minIdle,
    };
  }

  // --- acquiring ---------------------------------------------------------------------------

  /** Serves an acquire that missed the hot path: idle resource, new resource, failFast or queue. */
  private dispatch(request: Request<T>): void {
    if (this.closing) {
      this.fail(request, new PoolClosedError());
      return;
    }
    if (this.idle.length > 0) {
      if (this.settings.testOnBorrow) {
        this.borrowValidated(request);
        return;
      }
      const slot = this.takeIdle();
      if (slot !== undefined) {
        this.counts.hits++;
        this.lend(request, slot);
        return;
      }
    }
    if (this.totalConns() < this.settings.max) {
      this.counts.misses++;
      background(this.create(request));
    } else if (this.settings.failFast) {
      this.counts.exhausted++;
      this.fail(request, new PoolExhaustedError(this.settings.max));
    } else {
      this.enqueue(request);
    }
  }

  private borrowValidated(request: Request<T>): void {
    const slot = this.takeIdle();
    if (slot === undefined) {
      // Every idle resource was past maxLifetime; the idle list is empty now, so this cannot loop.
      this.dispatch(request);
      return;
    }
    this.claim(slot); // so that it still counts in totalConns meanwhile
    void this.isValid(slot.resource).then((valid) => {
      if (this.closing) {
        this.discard(slot);
        this.fail(request, new PoolClosedError());
      } else if (valid) {
        this.counts.hits++;
        this.lend(request, slot);
      } else {
        this.counts.staleConns++;
        this.retire(slot);
        this.dispatch(request); // before afterSlotFreed(), so this acquire may use the freed slot
        this.afterSlotFreed();
      }
    });
  }

  private isValid(resource: T): Promise<boolean> {
    return invoke(() => this.factory.validate?.(resource) ?? Promise.resolve(true)).then(
      (valid) => valid === true,
      () => false,
    );
  }

  /** Next idle resource in reuse order; those past maxLifetime are destroyed on the way. */
  private takeIdle(): Slot<T> | undefined {
    let slot = this.popIdle();
    while (slot !== undefined && this.isExpired(slot)) {
      this.counts.staleConns++;
      this.destroyResource(slot.resource);
      this.scheduleRefill();
      slot = this.popIdle();
    }
    return slot;
  }

  private popIdle(): Slot<T> | undefined {
    return this.settings.lifo ? this.idle.pop() : this.idle.shift();
  }

  private enqueue(request: Request<T>): void {
    this.counts.waitCount++;
    request.queuedAt = this.now();
    this.waiters.add(request);
    if (this.settings.acquireTimeoutMs > 0) {
      request.timer = setTimeout(() => this.timeOut(request), this.settings.acquireTimeoutMs);
    }
  }

  /** The timer keeps running after a waiter leaves the queue for a creation: it bounds that too. */
  private timeOut(request: Request<T>): void {
    if (request.settled) return;
    const waiting = this.waiters.size;
    if (this.waiters.has(request)) this.leaveQueue(request);
    this.counts.timeouts++;
    const { acquireTimeoutMs, max } = this.settings;
    this.fail(request, new PoolTimeoutError(acquireTimeoutMs, this.borrowed, max, waiting));
  }

  private nextWaiter(): Request<T> | undefined {
    for (const waiter of this.waiters) {
      this.leaveQueue(waiter);
      return waiter;
    }
    return undefined;
  }

  private leaveQueue(request: Request<T>): void {
    this.waiters.delete(request);
    this.waitDurationNs += this.now() - request.queuedAt;
  }

  private lend(request: Request<T>, slot: Slot<T>): void {
    this.claim(slot);
    request.settled = true;
    clearTimeout(request.timer);
    request.resolve(slot.resource);
  }

  private fail(request: Request<T>, error: unknown): void {
    if (request.settled) return;
    request.settled = true;
    clearTimeout(request.timer);
    request.reject(error);
  }

  // --- creating ----------------------------------------------------------------------------

  /**
   * Creates one resource for `owner` (an acquire), or for the idle list when there is none.
   * Rejects with the factory's error; callers that do not wait for it pass it to background().
   */
  private create(owner: Request<T> | undefined): Promise<void> {
    this.creating++;
    if (owner === undefined) this.creatingSpare++;
    this.counts.peakTotal = Math.max(this.counts.peakTotal, this.totalConns());
    return invoke(() => this.factory.create()).then(
      (resource) => {
        this.endCreate(owner);
        this.counts.created++;
        this.placeCreated({ resource, createdAt: this.nowMs(), idleSince: 0, borrowed: false }, owner);
      },
      (error: unknown) => {
        this.endCreate(owner);
        this.counts.createErrors++;
        if (owner !== undefined) this.fail(owner, error);
        // Only waiters get a retry: a top-up retry loop against a dead server would never end.
        if (this.closing) this.checkClosed();
        else this.serveWaiters();
        throw error;
      },
    );
  }

  private endCreate(owner: Request<T> | undefined): void {
    this.creating--;
    if (owner === undefined) this.creatingSpare--;
  }

  private placeCreated(slot: Slot<T>, owner: Request<T> | undefined): void {
    if (this.closing) {
      this.destroyResource(slot.resource);
      if (owner !== undefined) this.fail(owner, new PoolClosedError());
      return;
    }
    this.slots.set(slot.resource, slot);
    if (owner !== undefined && !owner.settled) {
      this.lend(owner, slot);
    } else {
      this.makeAvailable(slot); // its acquire timed out meanwhile: the next waiter gets it
    }
  }

  /** A resource nobody holds: straight to the oldest waiter, else onto the idle list. */
  private makeAvailable(slot: Slot<T>): void {
    const waiter = this.nextWaiter();
    if (waiter !== undefined) {
      this.counts.hits++;
      this.lend(waiter, slot);
      return;
    }
    if (this.settings.idleTimeoutMs > 0) slot.idleSince = this.nowMs();
    this.idle.push(slot);
  }

  /** Starts a creation for each waiter that fits under max. */
  private serveWaiters(): void {
    while (this.totalConns() < this.settings.max) {
      const waiter = this.nextWaiter();
      if (waiter === undefined) return;
      this.counts.misses++;
      background(this.create(waiter));
    }
  }

  /** Starts creations until minIdle resources are idle or on their way (never above max). */
  private topUp(): Promise<void>[] {
    const creations: Promise<void>[] = [];
    const { minIdle, max } = this.settings;
    while (this.idle.length + this.creatingSpare < minIdle && this.totalConns() < max) {
      creations.push(this.create(undefined));
    }
    return creations;
  }

  // --- destroying --------------------------------------------------------------------------

  private discard(slot: Slot<T>): void {
    this.retire(slot);
    this.afterSlotFreed();
  }

  private retire(slot: Slot<T>): void {
    this.unclaim(slot);
    this.destroyResource(slot.resource);
  }

  private afterSlotFreed(): void {
    if (this.closing) {
      this.checkClosed();
      return;
    }
    this.serveWaiters();
    this.topUp().forEach(background);
  }

  /** Deferred so the acquire that found expired idle resources uses a freed slot before top-up does. */
  private scheduleRefill(): void {
    if (this.refillScheduled) return;
    this.refillScheduled = true;
    queueMicrotask(() => {
      this.refillScheduled = false;
      this.afterSlotFreed();
    });
  }

  private destroyResource(resource: T): void {
    this.slots.delete(resource);
    this.counts.destroyed++;
    const done: Promise<void> = invoke(() => this.factory.destroy(resource))
      .then(
        () => undefined,
        () => {
          this.counts.destroyErrors++;
        },
      )
      .then(() => {
        this.destroying.delete(done);
        this.checkClosed();
      });
    this.destroying.add(done);
  }

  private evictExpired(): number {
    if (this.settings.maxLifetimeMs === 0) return 0;
    let kept = 0;
    for (const slot of this.idle) {
      if (this.isExpired(slot)) {
        this.counts.staleConns++;
        this.destroyResource(slot.resource);
      } else {
        this.idle[kept++] = slot;
      }
    }
    const destroyed = this.idle.length - kept;
    this.idle.length = kept;
    return destroyed;
  }

  /** Both orders push at the end and take from an end, so idle[0] has been idle the longest. */
  private evictIdleTimedOut(): number {
    const { idleTimeoutMs, minIdle } = this.settings;
    if (idleTimeoutMs === 0) return 0;
    const now = this.nowMs();
    let destroyed = 0;
    for (let oldest = this.idle[0]; oldest !== undefined; oldest = this.idle[0]) {
      if (this.idle.length <= minIdle || now - oldest.idleSince <= idleTimeoutMs) break;
      this.idle.shift();
      this.counts.evicted++;
      this.destroyResource(oldest.resource);
      destroyed++;
    }
    return destroyed;
  }

  private checkClosed(): void {
    if (this.closing && this.totalConns() === 0 && this.destroying.size === 0) this.resolveClosed?.();
  }

  // --- helpers -----------------------------------------------------------------------------

  private totalConns(): number {
    return this.idle.length + this.borrowed + this.creating;
  }

  /** Marks a slot borrowed (or claimed); one already marked (claimed for testOnBorrow, then lent) stays counted once. */
  private claim(slot: Slot<T>): void {
    if (slot.borrowed) return;
    slot.borrowed = true;
    this.borrowed++;
  }

  private unclaim(slot: Slot<T>): void {
    if (!slot.borrowed) return;
    slot.borrowed = false;
    this.borrowed--;
  }

  private isExpired(slot: Slot<T>): boolean {
    const { maxLifetimeMs } = this.settings;
    return maxLifetimeMs > 0 && this.nowMs() - slot.createdAt > maxLifetimeMs;
  }

  private borrowedSlot(resource: T, method: string): Slot<T> {
    const slot = this.slots.get(resource);
    if (!slot?.borrowed) {
      throw new Error(
        `Pool.${method}(): the resource is not borrowed from this pool (released twice, or never acquired)`,
      );
    }
    return slot;
  }
}

/** Calls a factory method, turning a synchronous throw (or a non-promise result) into a promise. */
function invoke<R>(call: () => R | Promise<R>): Promise<R> {
  try {
    return Promise.resolve(call());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** For promises nobody awaits: their errors are already counted and delivered. */
function background(promise: Promise<void>): void {
  promise.catch(() => undefined);
}

function resolveOptions<T>(options: PoolOptions, factory: PoolFactory<T>): Settings {
  const max = integerOption('max', options.max, 1, Number.MAX_SAFE_INTEGER);
  const order = options.order ?? 'lifo';
  if (order !== 'lifo' && order !== 'fifo') {
    throw new RangeError(`pool option order must be 'lifo' or 'fifo', got ${String(order)}`);
  }
  const testOnBorrow = booleanOption('testOnBorrow', options.testOnBorrow);
  if (testOnBorrow && typeof factory.validate !== 'function') {
    throw new RangeError('pool option testOnBorrow needs a factory with a validate() method');
  }
  return {
    max,
    minIdle: integerOption('minIdle', options.minIdle ?? 0, 0, max),
    acquireTimeoutMs: integerOption('acquireTimeoutMs', options.acquireTimeoutMs ?? 0, 0, MAX_TIMER_MS),
    lifo: order === 'lifo',
    idleTimeoutMs: integerOption('idleTimeoutMs', options.idleTimeoutMs ?? 0, 0, Number.MAX_SAFE_INTEGER),
    evictionRunIntervalMs: integerOption('evictionRunIntervalMs', options.evictionRunIntervalMs ?? 0, 0, MAX_TIMER_MS),
    maxLifetimeMs: integerOption('maxLifetimeMs', options.maxLifetimeMs ?? 0, 0, Number.MAX_SAFE_INTEGER),
    testOnBorrow,
    failFast: booleanOption('failFast', options.failFast),
    healthCheckIntervalMs: integerOption('healthCheckIntervalMs', options.healthCheckIntervalMs ?? 0, 0, MAX_TIMER_MS),
  };
}

function integerOption(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`pool option ${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function booleanOption(name: string, value: unknown): boolean {
  if (value !== undefined && typeof value !== 'boolean') {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- whatever a caller passed, shown as it is
    throw new RangeError(`pool option ${name} must be true or false, got ${String(value)}`);
  }
  return value === true;
}
