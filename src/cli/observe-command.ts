import { Command } from 'commander';
import { GROUP } from './help.js';
import { terminalLayout, withTerminalFlags, type RawTerminalOptions } from './terminal-flags.js';
import { checkTlsFlagsNeedTls, withTlsFlags } from './tls-flags.js';
import { UsageError } from '../errors.js';
import { loadTlsFiles, type RawTlsOptions } from '../redis/tls.js';
import { targetFromUrlOptions } from '../redis/url.js';
import { RANGES } from '../value-ranges.js';
import { parseDuration } from '../values.js';
import type { ObserveFlags } from './observe-run.js';

export const OBSERVE_DEFAULTS = { durationMs: 30_000, intervalMs: 1_000, connectTimeoutMs: 5_000 } as const;

/** The sampling interval: at most two samples a second (about four commands: the server is someone's production), at most a minute. */
const INTERVAL_RANGE = { bare: 'refused', min: 500, max: 60_000 } as const;

export interface RawObserveOptions extends RawTlsOptions, RawTerminalOptions {
  url?: string;
  duration?: string;
  interval?: string;
  connectTimeout?: string;
  json?: boolean;
  markdown?: string;
  output?: string;
  quiet?: boolean;
  /** false with --no-color. */
  color?: boolean;
}

/** Every flag checked before anything connects: observe needs a server of yours (--url or REDIS_URL). */
export function parseObserveFlags(raw: RawObserveOptions, env: NodeJS.ProcessEnv = process.env): ObserveFlags {
  const durationMs =
    raw.duration !== undefined
      ? parseDuration('--duration', raw.duration, RANGES.runLength)
      : OBSERVE_DEFAULTS.durationMs;
  const intervalMs =
    raw.interval !== undefined
      ? parseDuration('--interval', raw.interval, INTERVAL_RANGE)
      : OBSERVE_DEFAULTS.intervalMs;
  if (intervalMs > durationMs)
    throw new UsageError(
      `--interval (${intervalMs} ms) is longer than --duration (${durationMs} ms): observe needs two samples at least`,
    );
  const connectTimeoutMs =
    raw.connectTimeout !== undefined
      ? parseDuration('--connect-timeout', raw.connectTimeout, RANGES.connectTimeout)
      : OBSERVE_DEFAULTS.connectTimeoutMs;
  const parsed = targetFromUrlOptions(raw.url, env);
  if (parsed === null)
    throw new UsageError(
      'observe reads a live server: give it with --url redis://host:port (or REDIS_URL); it never starts one of its own',
    );
  checkTlsFlagsNeedTls(raw, parsed.tls);
  return {
    target: { ...parsed, tlsFiles: loadTlsFiles(raw) },
    durationMs,
    intervalMs,
    connectTimeoutMs,
    json: raw.json === true,
    markdown: raw.markdown,
    output: raw.output,
    quiet: raw.quiet === true,
    colour: raw.color !== false,
    layout: terminalLayout(raw),
  };
}

export function observeCommand(): Command {
  return withTerminalFlags(
    withTlsFlags(
      new Command('observe')
        .description(
          'read a live Redis, read-only, for a while: how its clients connect (churn, idle pools, pools at their ceiling, blocking), and the inputs of size',
        )
        .summary('watch a live Redis read-only: how its clients connect')
        .optionsGroup(GROUP.target)
        .option(
          '--url <redis-url>',
          'redis://[user:password@]host:port or rediss://; default $REDIS_URL (required: observe never starts a server)',
        )
        .option(
          '--connect-timeout <ms>',
          `connection setup timeout (ms, or 2s; default ${OBSERVE_DEFAULTS.connectTimeoutMs})`,
        )
        .optionsGroup(GROUP.sampling)
        .option(
          '-d, --duration <time>',
          `how long to observe, with a unit: 30s, 5m (default ${OBSERVE_DEFAULTS.durationMs / 1000}s)`,
        )
        .option(
          '--interval <time>',
          `time between two samples, with a unit: 1s, 500ms; 500ms to 1m (default ${OBSERVE_DEFAULTS.intervalMs / 1000}s)`,
        )
        .optionsGroup(GROUP.output)
        .option('--json', 'print the redis-pool.observe/v1 document on stdout (and nothing else)')
        .option(
          '--output <file>',
          'also write the redis-pool.observe/v1 document to this file (what size --from reads)',
        )
        .option('--markdown <file>', 'also write a Markdown report')
        .option('-q, --quiet', 'no progress line on stderr')
        .option('--no-color', 'no colour whatever the terminal (as NO_COLOR=1)'),
    ),
  ).action(async (raw: RawObserveOptions) => {
    const { runObserveCommand } = await import('./observe-run.js');
    await runObserveCommand(parseObserveFlags(raw));
  });
}
