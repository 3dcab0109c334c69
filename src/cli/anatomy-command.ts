import { Command } from 'commander';
import { GROUP } from './help.js';
import { terminalLayout, withTerminalFlags, type RawTerminalOptions } from './terminal-flags.js';
import { checkTlsFlagsNeedTls, withTlsFlags } from './tls-flags.js';
import { loadTlsFiles, type RawTlsOptions } from '../redis/tls.js';
import { targetFromUrlOptions } from '../redis/url.js';
import type { AnatomyFlags } from './anatomy-run.js';
import { RANGES } from '../value-ranges.js';
import { parseDuration, parseInteger } from '../values.js';

export const ANATOMY_DEFAULTS = { samples: 20, connectTimeoutMs: 5000 } as const;

/** Raw option strings as commander hands them over. */
export interface RawAnatomyOptions extends RawTlsOptions, RawTerminalOptions {
  url?: string;
  samples?: string;
  connectTimeout?: string;
  json?: boolean;
  /** false with --no-color. */
  color?: boolean;
}

/** Every flag is checked before anything connects. */
export function parseAnatomyFlags(raw: RawAnatomyOptions, env: NodeJS.ProcessEnv = process.env): AnatomyFlags {
  const samples =
    raw.samples !== undefined
      ? parseInteger('--samples', raw.samples, { min: 1, max: 10_000 })
      : ANATOMY_DEFAULTS.samples;
  const connectTimeoutMs =
    raw.connectTimeout !== undefined
      ? parseDuration('--connect-timeout', raw.connectTimeout, RANGES.connectTimeout)
      : ANATOMY_DEFAULTS.connectTimeoutMs;
  const parsed = targetFromUrlOptions(raw.url, env);
  checkTlsFlagsNeedTls(raw, parsed?.tls === true);
  const external = parsed !== null ? { ...parsed, tlsFiles: loadTlsFiles(raw) } : null;
  return {
    samples,
    connectTimeoutMs,
    json: raw.json === true,
    colour: raw.color !== false,
    layout: terminalLayout(raw),
    external,
  };
}

export function anatomyCommand(): Command {
  return withTerminalFlags(
    withTlsFlags(
      new Command('anatomy')
        .description(
          'time each phase of opening a connection: DNS, TCP, TLS, AUTH, SELECT, the ready check, the first command',
        )
        .summary('time each phase of opening one connection')
        .optionsGroup(GROUP.target)
        .option(
          '--url <redis-url>',
          'redis://[user:password@]host:port[/db] or rediss://; default $REDIS_URL, else a throwaway redis-server',
        )
        .option(
          '--connect-timeout <ms>',
          `longest time one connection may take, lookup to first reply (ms, or 2s; default ${ANATOMY_DEFAULTS.connectTimeoutMs})`,
        )
        .optionsGroup(GROUP.sampling)
        .option(
          '--samples <n>',
          `connections to open, one after another (1 to 10000, default ${ANATOMY_DEFAULTS.samples})`,
        )
        .optionsGroup(GROUP.output)
        .option('--json', 'print the redis-pool.anatomy/v1 document on stdout (and nothing else; warnings are in it)')
        .option('--no-color', 'no colour whatever the terminal (as NO_COLOR=1)'),
    ),
  ).action(async (raw: RawAnatomyOptions) => {
    const { runAnatomyCommand } = await import('./anatomy-run.js');
    await runAnatomyCommand(parseAnatomyFlags(raw));
  });
}
