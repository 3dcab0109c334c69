/**
 * Why a target cannot be used, in the words `bench` and `anatomy` both print (exit 3): what failed, and the
 * flag or setting that fixes it. Never the password. Every sentence about a failed connection is written here
 * (TLS ones in tls-errors.ts): bench's ioredis errors and anatomy's failed steps are both worded by it.
 */
import { TargetError } from '../errors.js';
import { ServerFullError, SetupRefusedError } from './checked-redis.js';
import { isServerFullReply } from './resp.js';
import { PlainRespPortError } from './resp-probe.js';
import { describeTlsError, describeTlsFailure, opensslReason } from './tls-errors.js';
import { formatTarget, redactUrlText, urlSourceOf, type RedisTarget } from './url.js';

/** `cannot use <url>: <why>` as one line. */
export function cannotUse(target: RedisTarget, why: string): TargetError {
  return new TargetError(redactUrlText(`cannot use ${formatTarget(target)}: ${why}`.replace(/\s*\n\s*/g, ' ')));
}

/** Any failure to open a connection (an ioredis one or a raw socket) as a TargetError. */
export function connectFailure(error: unknown, target: RedisTarget): TargetError {
  return cannotUse(target, describeConnectError(error, target));
}

export function describeConnectError(error: unknown, target: RedisTarget): string {
  if (error instanceof SetupRefusedError) return describeRefusal(error.command, error.reply, target);
  if (error instanceof ServerFullError) return describeRefusal('the connection', error.reply, target);
  if (!(error instanceof Error)) return String(error);
  const known = describeSocketError(error, target);
  if (known !== null) return known;
  // ioredis' own wording when the ready check fails or a reply arrives outside our setup check.
  const reply = /^(?:Ready check failed: )?((?:ERR|WRONGPASS|NOAUTH|NOPERM)\b.*)$/.exec(error.message)?.[1];
  if (reply !== undefined) return describeRefusal('INFO', reply, target);
  if (/ETIMEDOUT|timed out/i.test(error.message)) return describeTimeout(target);
  return error.message;
}

/**
 * No answer in time: `connection timed out`, or, when the step is known (anatomy's raw connections), how long it
 * waited and in which step.
 */
export function describeTimeout(target: RedisTarget, during?: { timeoutMs: number; step: string }): string {
  const what = during ? `no answer within ${during.timeoutMs} ms during the ${during.step}` : 'connection timed out';
  return `${what}; check the host and port in ${urlSourceOf(target)}, and the firewall, or raise --connect-timeout`;
}

/** The server hung up during a step, or answered it with something that is not RESP: a TLS port spoken to in plain text, often. */
export function describeHangUp(target: RedisTarget, step: string, protocolError?: string): string {
  const what =
    protocolError === undefined
      ? `the server closed the connection during the ${step}`
      : `${protocolError} (during the ${step})`;
  return `${what}${target.tls ? '' : '; if it serves TLS, use rediss://'}`;
}

/** Any other failure of a step: a TLS handshake's in the TLS wording, any other as it came. */
export function describeStepError(error: Error, step: string, tlsHandshake: boolean): string {
  if (tlsHandshake) return describeTlsError((error as NodeJS.ErrnoException).code ?? '', opensslReason(error.message));
  return `${step} failed: ${error.message}`;
}

/** Errors of the socket itself (before any reply): refused, unknown host, TLS, a plain port asked for TLS. Null otherwise. */
export function describeSocketError(error: Error, target: RedisTarget): string | null {
  if (error instanceof PlainRespPortError)
    return "no TLS answer on a port that speaks plain RESP: use redis:// (or the server's TLS port) instead of rediss://";
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code === 'ECONNREFUSED') return `connection refused; is redis-server running there? check ${urlSourceOf(target)}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `host not found; check the host name in ${urlSourceOf(target)}`;
  return describeTlsFailure(error);
}

/** The server's error reply to `command` (AUTH, SELECT, CLIENT SETNAME, …) during the connection's setup. */
export function describeRefusal(command: string, reply: string, target: RedisTarget): string {
  const code = reply.split(' ', 1)[0] ?? '';
  if (isServerFullReply(reply)) {
    return `the server is at its maxclients limit (${reply}): it refuses every new connection; wait for clients to leave, or raise maxclients on the server`;
  }
  const source = urlSourceOf(target);
  if (code === 'WRONGPASS' || /invalid (username-)?password/i.test(reply))
    return `authentication refused (${reply}); check the user and password in ${source}`;
  if (code === 'NOAUTH')
    return `the server requires a password (${reply}); add the password (and user, for an ACL user) to ${source}`;
  if (command === 'AUTH' && /no password is set|without any password configured/i.test(reply)) {
    return `the server has no password, but ${source} gives one (${reply}); remove the password from ${source}, or check that it points to the right server`;
  }
  if (command === 'SELECT')
    return `SELECT ${target.db} refused (${reply}); check the database number at the end of ${source}`;
  if (command === 'CLIENT SETNAME') {
    return (
      `CLIENT SETNAME refused (${reply}); redis-pool names its connections (redis-pool:<runId>:…) ` +
      `to tell them apart: allow it to the user (ACL SETUSER <user> +client|setname)`
    );
  }
  return `${command === 'INFO' ? 'the ready check (INFO)' : command} refused: ${reply}`;
}
