import { UsageError } from '../errors.js';

/** Where and how to connect: the parts of a redis:// or rediss:// URL that a client uses. */
export interface RedisTarget {
  host: string;
  port: number;
  username: string | null;
  password: string | null;
  db: number;
  tls: boolean;
  /** Certificates for rediss:// (loaded from --tls-ca/--tls-cert/--tls-key); null = the system's CAs. */
  tlsFiles?: TlsFiles | null;
  /** TLS server name when the host connected to is not the server's name (e.g. through the --rtt proxy). */
  servername?: string;
}

export interface TlsFiles {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** --tls-insecure: do not verify the server's certificate. */
  rejectUnauthorized: boolean;
}

const ACCEPTED = 'redis://[user:password@]host:port[/db] or rediss://… for TLS';

/** Parse a Redis URL; every mistake is a UsageError whose message never contains the password. */
export function parseRedisUrl(raw: string): RedisTarget {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UsageError(`--url is not a valid URL (got ${JSON.stringify(redactUrlText(raw))}); expected ${ACCEPTED}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new UsageError(`--url must use the redis:// or rediss:// scheme (got ${JSON.stringify(url.protocol)}); expected ${ACCEPTED}`);
  }
  if (url.hostname === '') throw new UsageError(`--url has no host; expected ${ACCEPTED}`);
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText)) {
    throw new UsageError(`--url database must be a whole number such as /0 (got ${JSON.stringify(`/${dbText}`)})`);
  }
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    username: url.username === '' ? null : decodeURIComponent(url.username),
    password: url.password === '' ? null : decodeURIComponent(url.password),
    db: dbText === '' ? 0 : Number(dbText),
    tls: url.protocol === 'rediss:',
  };
}

/** The target as a URL safe to print: the password (if any) shown as ***. */
export function formatTarget(target: RedisTarget): string {
  const scheme = target.tls ? 'rediss' : 'redis';
  const user = target.username ?? '';
  const credentials = target.password !== null ? `${user}:***@` : user !== '' ? `${user}@` : '';
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${scheme}://${credentials}${host}:${target.port}/${target.db}`;
}

/** Best-effort redaction of any text that may hold a URL with a password (for error messages). */
export function redactUrlText(text: string): string {
  return text.replace(/(rediss?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@');
}
