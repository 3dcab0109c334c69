/** One line of CLIENT LIST, the fields observe reads (every Redis since 2.8; lib-name/lib-ver 7.2+, tot-cmds 8.2+ and Valkey 8). */
export interface ClientEntry {
  id: string;
  /** The client's host (IPv6 without brackets; "unix" for a Unix socket), and its port. */
  host: string;
  addr: string;
  name: string;
  /** Seconds since the connection was made, and since its last command. */
  age: number;
  idle: number;
  flags: string;
  db: number;
  /** The last command it ran, as `get` or `client|list`. */
  cmd: string;
  libName: string | null;
  libVer: string | null;
  /** Commands it ran in all (Redis 8.2+, Valkey 8+); null where the server does not count them. */
  totCmds: number | null;
}

/** `host:port` or `[v6]:port` → the host; a Unix socket's client (`/tmp/redis.sock:0`) → "unix". */
function hostOf(addr: string, flags: string): string {
  if (flags.includes('U')) return 'unix';
  const colon = addr.lastIndexOf(':');
  const host = colon < 0 ? addr : addr.slice(0, colon);
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * The reply of CLIENT LIST, one entry per line. A field is `key=value` up to the next space; a name never holds
 * a space (CLIENT SETNAME refuses one), so splitting on spaces is exact.
 */
export function parseClientList(reply: string): ClientEntry[] {
  return reply
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const fields = new Map<string, string>();
      for (const part of line.trim().split(' ')) {
        const eq = part.indexOf('=');
        if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
      }
      const flags = fields.get('flags') ?? '';
      const addr = fields.get('addr') ?? '';
      const tot = fields.get('tot-cmds');
      return {
        id: fields.get('id') ?? '',
        host: hostOf(addr, flags),
        addr,
        name: fields.get('name') ?? '',
        age: Number(fields.get('age') ?? 0),
        idle: Number(fields.get('idle') ?? 0),
        flags,
        db: Number(fields.get('db') ?? 0),
        cmd: fields.get('cmd') ?? '',
        libName: nonEmpty(fields.get('lib-name')),
        libVer: nonEmpty(fields.get('lib-ver')),
        totCmds: tot !== undefined ? Number(tot) : null,
      };
    });
}

const nonEmpty = (value: string | undefined): string | null => (value === undefined || value === '' ? null : value);
