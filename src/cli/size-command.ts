import { Command } from 'commander';
import { renderSizeTable } from '../report/size-terminal.js';
import {
  REQUEST_RATE_RANGE,
  resolveSizeInputs,
  SIZE_DEFAULTS,
  withMeasured,
  type SizeFlags,
} from '../sizing/inputs.js';
import { SIZE_PRESET_NAMES } from '../sizing/presets.js';
import { recommendPoolSize } from '../sizing/recommend.js';
import { sizeFlagsFromBench } from '../sizing/from-bench.js';
import { sizeFlagsFromObserve } from '../sizing/from-observe.js';
import { UsageError } from '../errors.js';
import { stdoutStyle, writeStdout } from './output.js';
import { GROUP } from './help.js';
import { terminalLayout, withTerminalFlags, type RawTerminalOptions } from './terminal-flags.js';
import { parseChoice, parseDuration, parseFraction, parseInteger, parseNumber } from '../values.js';

/** Raw option strings as commander hands them over; all validation happens in parseSizeFlags. */
export interface RawSizeOptions extends RawTerminalOptions {
  preset?: string;
  threads?: string;
  utilization?: string;
  rate?: string;
  peakRate?: string;
  holdMs?: string;
  buffer?: string;
  targetWait?: string;
  instances?: string;
  shards?: string;
  maxclients?: string;
  fdLimit?: string;
  from?: string;
  group?: string;
  json?: boolean;
  /** false with --no-color. */
  color?: boolean;
}

export function parseSizeFlags(raw: RawSizeOptions): SizeFlags {
  const flags: SizeFlags = {};
  if (raw.preset !== undefined) flags.preset = parseChoice('--preset', raw.preset, SIZE_PRESET_NAMES);
  if (raw.threads !== undefined) flags.threads = parseInteger('--threads', raw.threads, { min: 1, max: 10_000_000 });
  if (raw.utilization !== undefined) flags.utilization = parseFraction('--utilization', raw.utilization);
  if (raw.rate !== undefined) flags.ratePerSec = parseNumber('--rate', raw.rate, REQUEST_RATE_RANGE);
  if (raw.peakRate !== undefined) flags.peakRatePerSec = parsePeakRate(raw.peakRate);
  if (raw.holdMs !== undefined)
    flags.holdMs = parseDuration('--hold-ms', raw.holdMs, { bare: 'ms', min: 0, minExclusive: true, max: 3_600_000 });
  if (raw.buffer !== undefined) flags.buffer = parseInteger('--buffer', raw.buffer, { min: 0, max: 1_000_000 });
  if (raw.targetWait !== undefined)
    flags.targetWait = parseFraction('--target-wait', raw.targetWait, { allowMax: false });
  if (raw.instances !== undefined)
    flags.instances = parseInteger('--instances', raw.instances, { min: 1, max: 1_000_000 });
  if (raw.shards !== undefined) flags.shards = parseInteger('--shards', raw.shards, { min: 1, max: 16384 });
  if (raw.maxclients !== undefined) flags.maxclients = parseInteger('--maxclients', raw.maxclients, { min: 1 });
  if (raw.fdLimit !== undefined) flags.fdLimit = parseInteger('--fd-limit', raw.fdLimit, { min: 1 });
  return flags;
}

/** --peak-rate of size and report: the whole fleet's requests per second. */
export function parsePeakRate(raw: string): number {
  return parseNumber('--peak-rate', raw, REQUEST_RATE_RANGE);
}

/** size --from: a bench result's measured load, or an observe document's estimate for one group. */
async function measuredFlags(file: string, group: string | undefined): Promise<SizeFlags> {
  // Loaded only here: the validators (zod) are not needed to size from flags.
  const { readMeasuredDocument } = await import('./files.js');
  const document = readMeasuredDocument('--from', file);
  if (document.kind === 'observe') return sizeFlagsFromObserve(document.result, file, group);
  if (group !== undefined)
    throw new UsageError(`--group picks a client group of an observe document; ${file} is a bench result`);
  return sizeFlagsFromBench(document.result, file);
}

export function sizeCommand(): Command {
  return withTerminalFlags(
    new Command('size')
      .description(
        'recommend a pool size: the rule of thumb ceil(threads × utilization) + buffer, and queueing models of how often a request waits',
      )
      .summary('recommend a pool size, and how often a request waits')
      .optionsGroup(GROUP.load)
      .option(
        '--preset <name>',
        `the tutorial's examples: ${SIZE_PRESET_NAMES.join('|')} (flags override their values)`,
      )
      .option('--threads <n>', 'threads, workers or coroutines sharing one pool (integer ≥ 1)')
      .option('--utilization <share>', 'share of its time a thread holds a connection: 10% or 0.1')
      .option('--rate <per-second>', 'the load as an arrival rate instead (requests/s; needs --hold-ms)')
      .option('--hold-ms <ms>', 'mean time a request holds a connection (ms, or with a unit: 1.5ms, 0.2s)')
      .option(
        '--peak-rate <per-second>',
        "the whole fleet's peak (requests/s), shared evenly by its instances: --instances, " +
          'or as many as the knee of a --from capacity curve says',
      )
      .optionsGroup(GROUP.pool)
      .option('--buffer <n>', `connections added for bursts (integer ≥ 0, default ${SIZE_DEFAULTS.buffer})`)
      .option(
        '--target-wait <share>',
        `acceptable share of requests that wait for a connection: 1% or 0.01 (default ${SIZE_DEFAULTS.targetWait * 100}%)`,
      )
      .optionsGroup(GROUP.fleet)
      .option(
        '--instances <n>',
        `service instances, each with its own pool (default ${SIZE_DEFAULTS.instances}; ` +
          'with --peak-rate and a knee, ceil(peak ÷ knee))',
      )
      .option(
        '--shards <n>',
        `Redis Cluster primaries; a cluster client keeps a pool per shard (default ${SIZE_DEFAULTS.shards})`,
      )
      .option('--maxclients <n>', `the server's maxclients (default ${SIZE_DEFAULTS.maxclients})`)
      .option('--fd-limit <n>', `file-descriptor limit of one service process (default ${SIZE_DEFAULTS.fdLimit})`)
      .optionsGroup(GROUP.input)
      .option(
        '--from <result.json>',
        'take threads, utilization and hold time (or rate and hold time) measured by a bench run, ' +
          "or a client group's rate and hold time estimated by observe; flags override them",
      )
      .option(
        '--group <name>',
        'with --from observed.json: the client group (its key "host / name", or its client name)',
      )
      .optionsGroup(GROUP.output)
      .option('--json', `print one redis-pool.size/v1 JSON document on stdout (and nothing else; warnings are in it)`)
      .option('--no-color', 'no colour whatever the terminal (as NO_COLOR=1)'),
  ).action(async (raw: RawSizeOptions) => {
    const given = parseSizeFlags(raw);
    if (raw.group !== undefined && raw.from === undefined)
      throw new UsageError('--group picks a client group of an observe document: give it with --from observed.json');
    const measured = raw.from !== undefined ? await measuredFlags(raw.from, raw.group) : {};
    const result = recommendPoolSize(resolveSizeInputs(withMeasured(measured, given)));
    writeStdout(
      raw.json
        ? JSON.stringify(result, null, 2)
        : renderSizeTable(result, stdoutStyle(false, raw.color !== false), terminalLayout(raw)),
    );
  });
}
