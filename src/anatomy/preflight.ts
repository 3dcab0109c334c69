import type { RedisTarget } from '../redis/url.js';
import { Interrupted } from './deadline.js';
import { StepFailure, targetErrorFor } from './failure.js';
import { openConnection } from './open-connection.js';
import { planPhases } from './plan.js';

export interface PreflightOptions {
  timeoutMs: number;
  /** The CLIENT SETNAME the real clients will send, so that an ACL that refuses it is found now. */
  connectionName: string;
  signal?: AbortSignal;
}

/**
 * One connection set up by hand exactly as bench's clients will set theirs up (TCP, TLS, AUTH, SELECT, CLIENT
 * SETNAME, the ready check), then closed, before anything else connects: a target that refuses any step fails
 * here, in anatomy's words (exit 3), before a single key is written. Returns quietly when interrupted.
 */
export async function preflight(target: RedisTarget, options: PreflightOptions): Promise<void> {
  try {
    const connection = await openConnection(target, planPhases(target), options);
    await connection.close();
  } catch (error) {
    if (error instanceof Interrupted) return;
    throw error instanceof StepFailure ? targetErrorFor(error, target) : error;
  }
}
