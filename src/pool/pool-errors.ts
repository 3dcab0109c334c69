/** Base of the pool's errors: `code` is stable for callers that branch on it, the message is for people. */
export class PoolError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A queued acquire waited longer than acquireTimeoutMs. */
export class PoolTimeoutError extends PoolError {
  constructor(
    readonly timeoutMs: number,
    readonly inUse: number,
    readonly max: number,
    readonly waiting: number,
  ) {
    super(
      'POOL_TIMEOUT',
      `pool acquire timed out after ${timeoutMs} ms (${inUse} of ${max} connections in use, ${waiting} waiting)`,
    );
  }
}

/** failFast is on and every connection is in use (redis-py's "Too many connections"). */
export class PoolExhaustedError extends PoolError {
  constructor(readonly max: number) {
    super('POOL_EXHAUSTED', `Too many connections: all ${max} pool connections are in use and failFast is on`);
  }
}

/** The pool is closed, or was closed while this acquire was waiting. */
export class PoolClosedError extends PoolError {
  constructor() {
    super('POOL_CLOSED', 'pool is closed: acquire() is not possible after close()');
  }
}
