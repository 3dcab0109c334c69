import type { Redis } from 'ioredis';
import type { StrategyResult } from '../../schema/bench.js';
import { formatCount } from '../../format.js';
import type { Warning } from '../../schema/warning.js';

/** The server's maxclients, read with CONFIG GET (read-only); null where the ACL or the server refuses it. */
export async function readMaxclients(monitor: Redis): Promise<number | null> {
  try {
    const reply = await monitor.call('CONFIG', 'GET', 'maxclients');
    const value = Array.isArray(reply) ? Number(reply[1]) : NaN;
    return Number.isInteger(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * Connections refused at the limit: the server's own count, or the failures whose refusal the client could read
 * (most cannot: the server closes with the client's first command unread, which resets the connection first).
 */
export function refusedForMaxclients(result: StrategyResult): number {
  return Math.max(result.connections.serverRejected ?? 0, result.errorsByKind.maxclients ?? 0);
}

/** One warning per run whose connections the server refused at its maxclients limit, naming that limit when known. */
export function maxclientsWarnings(results: StrategyResult[], maxclients: number | null): Warning[] {
  return results
    .filter((r) => refusedForMaxclients(r) > 0)
    .map((result) => ({
      code: 'maxclients-reached',
      message: `${result.label}: the server refused ${formatCount(refusedForMaxclients(result))} connections ("ERR max number of clients reached"): ${
        maxclients !== null
          ? `it is at its maxclients limit of ${formatCount(maxclients)}, which counts every client of the server (this run's, its monitor, and anyone else's)`
          : 'it is at its maxclients limit (CONFIG GET maxclients was refused, so the limit itself is not known)'
      }`,
      remedy:
        'open fewer connections (a smaller --pool-size, fewer --concurrency workers), ' +
        'or raise maxclients on the server; redis-pool size --maxclients checks a whole fleet against it',
    }));
}
