import { SetupRefusedError } from '../../redis/checked-redis.js';
import { isServerFullReply } from '../../redis/resp.js';
import { isNodeRedisErrorReply } from '../../redis/reply-errors.js';

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

const NODE_REDIS_CONNECTION_ERRORS = new Set([
  'The client is closed',
  'The client is offline',
  'Socket closed unexpectedly',
  'Connection timeout',
  'Disconnects client',
]);

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

export function classifyError(error: unknown): ErrorKind {
  if (!(error instanceof Error)) return 'other';
  const code = (error as { code?: unknown }).code;
  // node-redis' pool: "Timeout waiting for a client after 3000ms".
  if (code === 'POOL_TIMEOUT' || error.message.startsWith('Timeout waiting for a client')) return 'acquire-timeout';
  if (code === 'POOL_EXHAUSTED') return 'pool-exhausted';
  if (error.message === 'Command timed out' || error.message.startsWith('Command timed out after'))
    return 'command-timeout';
  if (error.message.startsWith('Socket timeout')) return 'socket-timeout';
  // Every local port is taken, most of them by closed connections in TIME_WAIT: the per-request signature.
  if (code === 'EADDRNOTAVAIL' || error.message.includes('EADDRNOTAVAIL')) return 'ephemeral-ports';
  // The server accepted the socket, then refused it: "ERR max number of clients reached".
  if (isServerFullReply(error.message)) return 'maxclients';
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return 'connection';
  if (/Connection is closed|Stream isn't writeable|connect ETIMEDOUT|enableOfflineQueue/i.test(error.message))
    return 'connection';
  // node-redis' words for the same.
  if (NODE_REDIS_CONNECTION_ERRORS.has(error.message)) return 'connection';
  if (error.name === 'ReplyError' || isNodeRedisErrorReply(error)) return 'reply';
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
