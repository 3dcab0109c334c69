import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { RawTlsOptions } from '../redis/tls.js';

/** The TLS flags of every command that connects (bench, anatomy, observe), defined once. */
export function withTlsFlags(command: Command): Command {
  return command
    .option('--tls-ca <file>', 'rediss://: CA certificate(s) to trust (PEM)')
    .option('--tls-cert <file>', 'rediss://: client certificate (PEM), with --tls-key')
    .option('--tls-key <file>', "rediss://: the client certificate's private key (PEM)")
    .option('--tls-insecure', "rediss://: do not verify the server's certificate");
}

/** The TLS flags mean nothing without a rediss:// URL: refused before anything connects. */
export function checkTlsFlagsNeedTls(raw: RawTlsOptions, tls: boolean): void {
  const given = raw.tlsCa !== undefined || raw.tlsCert !== undefined || raw.tlsKey !== undefined || raw.tlsInsecure === true;
  if (given && !tls) throw new UsageError('--tls-ca, --tls-cert, --tls-key and --tls-insecure need a rediss:// URL (--url or REDIS_URL)');
}
