import type { TargetError } from '../errors.js';
import { RespError, RespProtocolError } from '../redis/resp.js';
import {
  cannotUse,
  describeHangUp,
  describeRefusal,
  describeSocketError,
  describeStepError,
  describeTimeout,
} from '../redis/target-errors.js';
import type { RedisTarget } from '../redis/url.js';
import type { AnatomyPhaseName } from '../schema/anatomy.js';
import { ConnectionClosedError } from './wire.js';

/** A timed phase, the untimed close at the end, or a PING on the connection kept open for comparison. */
export type Step = AnatomyPhaseName | 'client-setname' | 'close' | 'open-ping';

const STEP_LABELS: Record<Step, string> = {
  dns: 'DNS lookup',
  tcp: 'TCP connect',
  tls: 'TLS handshake',
  auth: 'AUTH',
  select: 'SELECT',
  'client-setname': 'CLIENT SETNAME',
  'ready-check': 'ready check (INFO)',
  'first-command': 'first command (PING)',
  close: 'QUIT',
  'open-ping': 'PING on the connection kept open',
};

/** Which step of which connection went wrong, and why (an Error, or the server's error reply). */
export class StepFailure extends Error {
  constructor(
    readonly step: Step,
    readonly reason: Error | RespError,
  ) {
    super(`${STEP_LABELS[step]}: ${reason.message}`);
  }
}

/** The connection took longer than --connect-timeout. */
export class StepTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`step timed out after ${timeoutMs} ms`);
  }
}

/** The one line a user sees (exit 3): what failed, in which step, and what to check. Never the password. */
export function targetErrorFor(failure: StepFailure, target: RedisTarget): TargetError {
  return cannotUse(target, describeFailure(failure, target));
}

/** Which kind of failure it was, worded by redis/target-errors.ts as bench words its own. */
export function describeFailure({ step, reason }: StepFailure, target: RedisTarget): string {
  const label = STEP_LABELS[step];
  if (reason instanceof RespError) return describeRefusal(STEP_COMMANDS[step] ?? label, reason.message, target);
  if (reason instanceof StepTimeout) return describeTimeout(target, { timeoutMs: reason.timeoutMs, step: label });
  if (reason instanceof ConnectionClosedError) return describeHangUp(target, label);
  if (reason instanceof RespProtocolError) return describeHangUp(target, label, reason.message);
  return describeSocketError(reason, target) ?? describeStepError(reason, label, step === 'tls');
}

/** The command each step sends, as describeRefusal names it. */
const STEP_COMMANDS: Partial<Record<Step, string>> = {
  auth: 'AUTH',
  select: 'SELECT',
  'client-setname': 'CLIENT SETNAME',
  'ready-check': 'INFO',
  'first-command': 'PING',
};
