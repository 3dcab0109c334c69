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
  /** Where the URL came from, so that a message can say what to fix; absent for a server redis-pool started. */
  urlSource?: UrlSource;
}

/** The flag or the environment variable a URL was given in. */
export type UrlSource = '--url' | 'REDIS_URL';

export interface TlsFiles {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** --tls-insecure: do not verify the server's certificate. */
  rejectUnauthorized: boolean;
}

const ACCEPTED = 'redis://[user:password@]host:port[/db] or rediss://… for TLS';

/** The URL to use: --url, else a non-empty REDIS_URL, else null (a throwaway server), with where it came from. */
export function targetFromUrlOptions(
  flagValue: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): RedisTarget | null {
  if (flagValue !== undefined) return parseRedisUrl(flagValue, '--url');
  const fromEnv = env.REDIS_URL;
  return fromEnv !== undefined && fromEnv !== '' ? parseRedisUrl(fromEnv, 'REDIS_URL') : null;
}

/** Where to fix the URL of a target, for messages: the flag or variable it came from. */
export function urlSourceOf(target: RedisTarget): string {
  return target.urlSource ?? '--url or REDIS_URL';
}

/**
 * Parse a Redis URL; every mistake is a UsageError that names where the URL came from (`source`) and never
 * contains the password.
 */
export function parseRedisUrl(raw: string, source: UrlSource = '--url'): RedisTarget {
  const text = raw.trim();
  const shown = JSON.stringify(redactUrlText(text));
  // host:port without a scheme parses as a URL whose scheme is the host name: say what was meant instead.
  if (!text.includes('://') && /^[\w.-]+(:\d+)?(\/\d*)?$/.test(text)) {
    throw new UsageError(`${source} has no scheme (got ${shown}): write redis://${text} (or rediss://${text} for TLS)`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${source} is not a valid URL (got ${shown}); expected ${ACCEPTED}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new UsageError(
      `${source} must use the redis:// or rediss:// scheme (got ${JSON.stringify(url.protocol)}); expected ${ACCEPTED}`,
    );
  }
  if (url.hostname === '') throw new UsageError(`${source} has no host; expected ${ACCEPTED}`);
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText)) {
    throw new UsageError(`${source} database must be a whole number such as /0 (got ${JSON.stringify(`/${dbText}`)})`);
  }
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    username: url.username === '' ? null : decodeURIComponent(url.username),
    password: url.password === '' ? null : decodeURIComponent(url.password),
    db: dbText === '' ? 0 : Number(dbText),
    tls: url.protocol === 'rediss:',
    urlSource: source,
  };
}

/**
 * The target as a URL safe to print: the password (if any) shown as ***, or as `passwordShownAs` (a placeholder
 * such as PASSWORD in a URL to fill in; null for none). The password itself is never shown.
 */
export function formatTarget(
  target: RedisTarget,
  passwordShownAs: string | null = target.password !== null ? '***' : null,
): string {
  const scheme = target.tls ? 'rediss' : 'redis';
  const user = target.username ?? '';
  const credentials = passwordShownAs !== null ? `${user}:${passwordShownAs}@` : user !== '' ? `${user}@` : '';
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${scheme}://${credentials}${host}:${target.port}/${target.db}`;
}

/** Best-effort redaction of any text that may hold a URL with a password (for error messages). */
export function redactUrlText(text: string): string {
  return text.replace(/(rediss?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@');
}
