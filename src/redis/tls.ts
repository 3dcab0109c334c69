import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { UsageError } from '../errors.js';
import type { RedisTarget, TlsFiles } from './url.js';

export interface RawTlsOptions {
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsInsecure?: boolean;
}

/** Read the TLS files named by the flags once, before anything connects. Null when no TLS flag is given. */
export function loadTlsFiles(raw: RawTlsOptions): TlsFiles | null {
  if (raw.tlsCa === undefined && raw.tlsCert === undefined && raw.tlsKey === undefined && raw.tlsInsecure !== true)
    return null;
  if ((raw.tlsCert === undefined) !== (raw.tlsKey === undefined)) {
    throw new UsageError('--tls-cert and --tls-key go together (a client certificate and its private key)');
  }
  const read = (flag: string, file: string | undefined): Buffer | undefined => {
    if (file === undefined) return undefined;
    try {
      return readFileSync(file);
    } catch (error) {
      throw new UsageError(
        `${flag} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      );
    }
  };
  return {
    ...(raw.tlsCa !== undefined ? { ca: read('--tls-ca', raw.tlsCa) } : {}),
    ...(raw.tlsCert !== undefined ? { cert: read('--tls-cert', raw.tlsCert) } : {}),
    ...(raw.tlsKey !== undefined ? { key: read('--tls-key', raw.tlsKey) } : {}),
    rejectUnauthorized: raw.tlsInsecure !== true,
  };
}

/** Node TLS options for a rediss:// target. */
export function tlsConnectionOptions(target: RedisTarget): ConnectionOptions {
  const files = target.tlsFiles ?? null;
  const servername = target.servername ?? target.host;
  return {
    // Node refuses an IP address as SNI server name; certificate checks still use the host.
    ...(/^[\d.]+$|:/.test(servername) ? {} : { servername }),
    ...(files?.ca ? { ca: files.ca } : {}),
    ...(files?.cert ? { cert: files.cert } : {}),
    ...(files?.key ? { key: files.key } : {}),
    rejectUnauthorized: files?.rejectUnauthorized ?? true,
  };
}
