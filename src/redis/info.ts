import type { ServerIdentity } from '../schema/warning.js';

/** Parse the text of Redis' INFO reply into field → value. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

export function infoNumber(fields: Map<string, string>, name: string): number {
  const value = Number(fields.get(name));
  return Number.isFinite(value) ? value : 0;
}

/** A server as INFO server tells it: its own name and version, and the Redis version it reports for compatibility. */
export interface InfoServer {
  server: ServerIdentity;
  /** redis_version: Redis' own version, and what Valkey reports for compatibility (7.2.4 on Valkey 8). */
  redisVersion: string;
}

/**
 * Which server this is, from INFO server. Valkey names itself (server_name:valkey) and gives its version in
 * `<name>_version` (valkey_version:8.0.1), while its redis_version stays at the Redis it forked from (7.2.4); Redis
 * gives no server_name. A server that names itself without a `<name>_version` is known by its redis_version.
 */
export function readInfoServer(fields: Map<string, string>): InfoServer {
  const redisVersion = fields.get('redis_version') ?? 'unknown';
  const name = fields.get('server_name')?.trim().toLowerCase() || 'redis';
  return { server: { name, version: fields.get(`${name}_version`) ?? redisVersion }, redisVersion };
}

const DISPLAY_NAMES: Record<string, string> = { redis: 'Redis', valkey: 'Valkey' };

/** The server's name as a person reads it: 'Valkey', 'Redis' (a name the tool does not know, as given). */
export function serverDisplayName(server: ServerIdentity): string {
  return DISPLAY_NAMES[server.name] ?? server.name;
}

/** The server as every output names it: 'Valkey 8.0.1', 'Redis 7.0.15'. */
export function serverLabel(server: ServerIdentity): string {
  return `${serverDisplayName(server)} ${server.version}`;
}

/** The server of a document's target; one written before `server` was recorded read Redis' redis_version only. */
export function serverOf(target: { redisVersion: string; server?: ServerIdentity | undefined }): ServerIdentity {
  return target.server ?? { name: 'redis', version: target.redisVersion };
}

/**
 * Whether the server has what came with these versions: Redis by its version; Valkey by its own where `since`
 * names one, else by the Redis version it forked from (every Valkey has what Redis 7.2.4 has); a server the tool
 * does not know by the redis_version it reports.
 */
export function serverHas(info: InfoServer, since: { redis: string; valkey?: string }): boolean {
  if (info.server.name === 'valkey' && since.valkey !== undefined)
    return versionAtLeast(info.server.version, since.valkey);
  return versionAtLeast(info.redisVersion, since.redis);
}

/** `version` (7.0.15, 8.0.0-rc1) at or above `minimum` (7.0), part by part; one without a number ('unknown') is not. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const have = (version.match(/\d+/g) ?? []).map(Number);
  if (have.length === 0) return false;
  const want = minimum.split('.').map(Number);
  for (let i = 0; i < want.length; i++) {
    const a = have[i] ?? 0;
    if (a !== want[i]) return a > want[i]!;
  }
  return true;
}
