/**
 * Typed errors carry the process exit code from DESIGN.md; only src/cli turns them into exits.
 * Every message is one line that says what was wrong and what is accepted.
 */
export class RedisPoolError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A bad flag, value or file: exit 2. */
export class UsageError extends RedisPoolError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** The target cannot be used (unreachable, auth refused, TLS failure, no redis-server): exit 3. */
export class TargetError extends RedisPoolError {
  constructor(message: string) {
    super(message, 3);
  }
}

export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  target: 3,
  thresholdFailed: 99,
  interrupted: 130,
} as const;
