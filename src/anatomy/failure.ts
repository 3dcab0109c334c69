import { TargetError } from '../errors.js';
import { RespError, RespProtocolError } from '../redis/resp.js';
import { describeTlsError, describeTlsFailure, opensslReason } from '../redis/tls-errors.js';
import { formatTarget, redactUrlText, urlSourceOf, type RedisTarget } from '../redis/url.js';
import type { AnatomyPhaseName } from '../report/anatomy-schema.js';
import { ConnectionClosedError } from './wire.js';

/** A timed phase, the untimed close at the end, or a PING on the connection kept open for comparison. */
export type Step = AnatomyPhaseName | 'close' | 'open-ping';

const STEP_LABELS: Record<Step, string> = {
  dns: 'DNS lookup',
  tcp: 'TCP connect',
  tls: 'TLS handshake',
  auth: 'AUTH',
  select: 'SELECT',
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
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** The one line a user sees (exit 3): what failed, in which step, and what to check. Never the password. */
export function targetErrorFor(failure: StepFailure, target: RedisTarget): TargetError {
  const line = `cannot use ${formatTarget(target)}: ${describeFailure(failure, target)}`.replace(/\s*\n\s*/g, ' ');
  return new TargetError(redactUrlText(line));
}

export function describeFailure({ step, reason }: StepFailure, target: RedisTarget): string {
  const label = STEP_LABELS[step];
  if (reason instanceof RespError) return describeErrorReply(step, reason, target);
  if (reason instanceof StepTimeout) return `${reason.message} during the ${label}; check the host, port and firewall, or raise --connect-timeout`;
  if (reason instanceof ConnectionClosedError) return `the server closed the connection during the ${label}${target.tls ? '' : '; if it serves TLS, use rediss://'}`;
  if (reason instanceof RespProtocolError) return `${reason.message} (during the ${label})${target.tls ? '' : '; if the port serves TLS, use rediss://'}`;
  const code = (reason as NodeJS.ErrnoException).code ?? '';
  if (code === 'ECONNREFUSED') return `connection refused; is redis-server running there? check ${urlSourceOf(target)}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found; check the host name in ${urlSourceOf(target)}`;
  if (step === 'tls') return describeTlsError(code, opensslReason(reason.message));
  return describeTlsFailure(reason) ?? `${label} failed: ${reason.message}`;
}

function describeErrorReply(step: Step, reply: RespError, target: RedisTarget): string {
  if (reply.code === 'WRONGPASS' || /invalid (username-)?password/i.test(reply.message)) {
    return `authentication refused (${reply.message}); check the user and password in ${urlSourceOf(target)}`;
  }
  if (reply.code === 'NOAUTH') return `the server requires a password (${reply.message}); add the password (and user, for an ACL user) to ${urlSourceOf(target)}`;
  if (step === 'select') return `SELECT ${target.db} refused (${reply.message}); check the database number at the end of ${urlSourceOf(target)}`;
  return `${STEP_LABELS[step]} refused: ${reply.message}`;
}
