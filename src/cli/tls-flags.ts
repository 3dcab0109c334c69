import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { GROUP, groupedOption } from './help.js';
import type { RawTlsOptions } from '../redis/tls.js';

/** The TLS flags of every command that connects (bench, anatomy, observe), defined once, under TLS in --help. */
export function withTlsFlags(command: Command): Command {
  const tls = (flags: string, description: string) => groupedOption(GROUP.tls, flags, description);
  return command
    .addOption(tls('--tls-ca <file>', 'rediss://: CA certificate(s) to trust (PEM)'))
    .addOption(tls('--tls-cert <file>', 'rediss://: client certificate (PEM), with --tls-key'))
    .addOption(tls('--tls-key <file>', "rediss://: the client certificate's key (PEM)"))
    .addOption(tls('--tls-insecure', 'rediss://: accept any server certificate'));
}

/** The TLS flags mean nothing without a rediss:// URL: refused before anything connects. */
export function checkTlsFlagsNeedTls(raw: RawTlsOptions, tls: boolean): void {
  const given =
    raw.tlsCa !== undefined || raw.tlsCert !== undefined || raw.tlsKey !== undefined || raw.tlsInsecure === true;
  if (given && !tls)
    throw new UsageError(
      '--tls-ca, --tls-cert, --tls-key and --tls-insecure need a rediss:// URL (--url or REDIS_URL)',
    );
}
