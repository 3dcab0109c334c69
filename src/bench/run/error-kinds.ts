import { SetupRefusedError } from '../../redis/checked-redis.js';
import { isServerFullReply } from '../../redis/resp.js';

/**
 * Failed requests are counted by kind, so a report can tell pool exhaustion from a dead server.
 */
export type ErrorKind =
  | 'acquire-timeout'
  | 'pool-exhausted'
  | 'command-timeout'
  | 'socket-timeout'
  | 'ephemeral-ports'
  | 'maxclients'
  | 'connection'
  | 'reply'
  | 'other';

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

export function classifyError(error: unknown): ErrorKind {
  if (!(error instanceof Error)) return 'other';
  const code = (error as { code?: unknown }).code;
  if (code === 'POOL_TIMEOUT') return 'acquire-timeout';
  if (code === 'POOL_EXHAUSTED') return 'pool-exhausted';
  if (error.message === 'Command timed out') return 'command-timeout';
  if (error.message.startsWith('Socket timeout')) return 'socket-timeout';
  // Every local port is taken, most of them by closed connections in TIME_WAIT: the per-request signature.
  if (code === 'EADDRNOTAVAIL' || error.message.includes('EADDRNOTAVAIL')) return 'ephemeral-ports';
  // The server accepted the socket, then refused it: "ERR max number of clients reached".
  if (isServerFullReply(error.message)) return 'maxclients';
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return 'connection';
  if (/Connection is closed|Stream isn't writeable|connect ETIMEDOUT|enableOfflineQueue/i.test(error.message))
    return 'connection';
  if (error.name === 'ReplyError') return 'reply';
  return 'other';
}

/** After these, the connection cannot be trusted and must not go back to a pool. */
export function breaksConnection(kind: ErrorKind): boolean {
  return (
    kind === 'connection' ||
    kind === 'command-timeout' ||
    kind === 'socket-timeout' ||
    kind === 'ephemeral-ports' ||
    kind === 'maxclients'
  );
}

/**
 * Not a failed request but a target that cannot be used as asked (a refused SELECT, AUTH or CLIENT SETNAME):
 * going on would count the same refusal over and over, or worse run somewhere else than asked. It ends the run.
 */
export function endsTheRun(error: unknown): boolean {
  return error instanceof SetupRefusedError;
}
