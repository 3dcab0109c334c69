import { cpus } from 'node:os';
import { defaultBenchConfig } from '../bench/config/config.js';
import { checkFaultsInWindow, parseFault } from '../bench/faults/fault-spec.js';
import { checkThresholdsApply } from '../bench/gates/thresholds.js';
import { loadScenarioFile, type Scenario } from '../bench/config/scenario.js';
import { resolveSettings, type SettingsLayer } from '../bench/config/resolve-settings.js';
import { Given } from '../bench/config/settings.js';
import type { Path } from '../bench/config/issue-location.js';
import { UsageError } from '../errors.js';
import type { BenchConfig } from '../schema/bench.js';
import { parseDuration, parseInteger } from '../values.js';
import { RANGES } from '../value-ranges.js';
import type { RawOutputOptions } from './output-flags.js';
import { plural } from '../format.js';

/** Raw option strings of `bench`, as commander hands them over. */
export interface RawBenchOptions extends RawOutputOptions {
  url?: string;
  scenario?: string;
  strategy?: string;
  concurrency?: string;
  requests?: string;
  duration?: string;
  warmup?: string;
  command?: string;
  valueSize?: string;
  keyspace?: string;
  commandsPerRequest?: string;
  /** --pipeline alone (true), or with a count: that many commands per request, as one pipeline. */
  pipeline?: boolean | string;
  autoPipelining?: boolean;
  rate?: string;
  utilization?: string;
  think?: string;
  thinkDistribution?: string;
  poolSize?: string;
  poolProfile?: string;
  client?: string;
  minIdle?: string;
  acquireTimeout?: string;
  poolOrder?: string;
  idleTimeout?: string;
  evictionInterval?: string;
  maxLifetime?: string;
  testOnBorrow?: boolean;
  healthCheckInterval?: string;
  failFast?: boolean;
  connectTimeout?: string;
  commandTimeout?: string;
  socketTimeout?: string;
  fault?: string[];
  threshold?: string[];
  slo?: string[];
  rtt?: string;
  runId?: string;
  startAt?: string;
  threads?: string;
  cluster?: boolean;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsInsecure?: boolean;
  /** -q: no progress line. */
  quiet?: boolean;
  baseline?: string;
  maxRegression?: string;
}

/**
 * Every value checked and reconciled before anything connects anywhere. Layers, each overriding the one before:
 * defaults, the pool profile, the scenario file, the flags (src/bench/config/resolve-settings.ts).
 */
export function parseBenchConfig(raw: RawBenchOptions, machineCpus = cpus().length): BenchConfig {
  return parseBench(raw, machineCpus).config;
}

/** parseBenchConfig(), and the scenario file it read (for the checks against the target, which name its lines). */
export function parseBench(
  raw: RawBenchOptions,
  machineCpus = cpus().length,
): { config: BenchConfig; scenario: Scenario | null } {
  const file = raw.scenario !== undefined ? loadScenarioFile(raw.scenario) : null;
  const threads = raw.threads !== undefined ? parseInteger('--threads', raw.threads, RANGES.threads) : 1;
  const settings = resolveSettings(file?.yaml ?? null, flagSettings(raw), { threads, machineCpus, flagOf });
  const { concurrency } = settings;
  if (threads > concurrency)
    throw new UsageError(
      `--threads ${threads} is more than the ${plural(concurrency, 'worker')} to share among them: ` +
        `use at most ${plural(concurrency, 'thread')}, or more --concurrency`,
    );
  const scenario = file?.scenario ?? null;
  const base = defaultBenchConfig({ concurrency, threads });
  const config: BenchConfig = {
    ...base,
    ...settings,
    scenario: scenario
      ? {
          name: scenario.name,
          description: scenario.description,
          file: raw.scenario!,
          ...(scenario.target && { target: scenario.target }),
        }
      : null,
    faults: (raw.fault ?? []).map(parseFault),
    rttMs: raw.rtt !== undefined ? parseDuration('--rtt', raw.rtt, RANGES.rtt) : 0,
    runId: raw.runId !== undefined ? parseRunId(raw.runId) : null,
    ...(raw.cluster ? { cluster: true } : {}),
    connectTimeoutMs:
      raw.connectTimeout !== undefined
        ? parseDuration('--connect-timeout', raw.connectTimeout, RANGES.connectTimeout)
        : base.connectTimeoutMs,
    commandTimeoutMs:
      raw.commandTimeout !== undefined
        ? parseDuration('--command-timeout', raw.commandTimeout, RANGES.ioTimeout)
        : base.commandTimeoutMs,
    socketTimeoutMs:
      raw.socketTimeout !== undefined
        ? parseDuration('--socket-timeout', raw.socketTimeout, RANGES.ioTimeout)
        : base.socketTimeoutMs,
  };
  checkConsistency(config);
  checkThresholdsApply(config, scenario?.thresholdSources);
  checkFaultsInWindow(config.faults, config.durationMs);
  return { config, scenario };
}

type SettingOption = {
  [K in keyof RawBenchOptions]-?: NonNullable<RawBenchOptions[K]> extends string | boolean ? K : never;
}[keyof RawBenchOptions];

/** Each flag that gives a setting of a scenario file, and that setting's place in the file. */
const SETTING_FLAGS: readonly (readonly [option: SettingOption, flag: string, path: Path])[] = [
  ['concurrency', '--concurrency', ['workers']],
  ['requests', '--requests', ['requests']],
  ['duration', '--duration', ['duration']],
  ['warmup', '--warmup', ['warmup']],
  ['strategy', '--strategy', ['strategies']],
  ['command', '--command', ['workload', 'commands']],
  ['valueSize', '--value-size', ['workload', 'valueSize']],
  ['keyspace', '--keyspace', ['workload', 'keyspace']],
  ['commandsPerRequest', '--commands-per-request', ['workload', 'commandsPerRequest']],
  ['pipeline', '--pipeline', ['workload', 'pipeline']],
  ['autoPipelining', '--auto-pipelining', ['workload', 'autoPipelining']],
  ['rate', '--rate', ['rate']],
  ['utilization', '--utilization', ['targetUtilization']],
  ['think', '--think', ['thinkMs']],
  ['thinkDistribution', '--think-distribution', ['thinkDistribution']],
  ['poolSize', '--pool-size', ['poolSizes']],
  ['client', '--client', ['client']],
  ['poolProfile', '--pool-profile', ['pool', 'profile']],
  ['minIdle', '--min-idle', ['pool', 'minIdle']],
  ['acquireTimeout', '--acquire-timeout', ['pool', 'acquireTimeoutMs']],
  ['poolOrder', '--pool-order', ['pool', 'order']],
  ['idleTimeout', '--idle-timeout', ['pool', 'idleTimeoutMs']],
  ['evictionInterval', '--eviction-interval', ['pool', 'evictionRunIntervalMs']],
  ['maxLifetime', '--max-lifetime', ['pool', 'maxLifetimeMs']],
  ['testOnBorrow', '--test-on-borrow', ['pool', 'testOnBorrow']],
  ['healthCheckInterval', '--health-check-interval', ['pool', 'healthCheckIntervalMs']],
  ['failFast', '--fail-fast', ['pool', 'failFast']],
];

/** The flag that gives a setting; one --pool-size is the pool's size. */
function flagOf(path: Path): string {
  const key = path.join('.');
  if (key === 'pool.size') return '--pool-size';
  if (key === 'thresholds') return '--threshold';
  if (key === 'slo') return '--slo';
  return SETTING_FLAGS.find(([, , at]) => at.join('.') === key)?.[1] ?? key;
}

/** The flags as a partial scenario: each given flag's text at its setting's place, read by the settings schema. */
function flagSettings(raw: RawBenchOptions): SettingsLayer {
  const layer: SettingsLayer = {};
  const set = (path: Path, given: Given): void => {
    const [head, leaf] = path as [string, string?];
    if (leaf === undefined) layer[head] = given;
    else layer[head] = { ...(layer[head] as SettingsLayer | undefined), [leaf]: given };
  };
  for (const [option, flag, path] of SETTING_FLAGS) {
    const value = raw[option];
    if (value !== undefined) set(path, new Given(flag, value));
  }
  // --pipeline 16 is redis-benchmark's -P 16: 16 commands a request, as one pipeline (--commands-per-request 16
  // --pipeline); given with a different --commands-per-request, the two disagree.
  if (typeof raw.pipeline === 'string') {
    set(['workload', 'pipeline'], new Given('--pipeline', true));
    const perRequest = raw.commandsPerRequest;
    const why = '--pipeline <n> sends n commands a request';
    set(
      ['workload', 'commandsPerRequest'],
      new Given(
        '--pipeline',
        raw.pipeline,
        perRequest !== undefined ? { flag: '--commands-per-request', text: perRequest, why } : undefined,
      ),
    );
  }
  if (raw.threshold !== undefined) layer['thresholds'] = raw.threshold.map((text) => new Given('--threshold', text));
  if (raw.slo !== undefined) layer['slo'] = raw.slo.map((text) => new Given('--slo', text));
  return layer;
}

/** What a cluster run cannot do yet, refused before anything starts. */
function checkClusterRun(config: BenchConfig): void {
  if (config.client?.name === 'node-redis')
    throw new UsageError(
      '--client node-redis and --cluster do not go together yet: a cluster is run with ioredis (its Cluster client and a pool per shard)',
    );
  if (config.poolSizes !== null)
    throw new UsageError(
      '--cluster and a sweep (--pool-size with several sizes) do not go together: ' +
        'the models size one pool, a cluster client has one per shard; give one --pool-size',
    );
  if (config.faults.length > 0)
    throw new UsageError('--fault and --cluster do not go together: faults act on one server');
  if (config.rttMs > 0)
    throw new UsageError(
      '--rtt and --cluster do not go together: the proxy stands in front of one server, and cluster nodes announce their own addresses',
    );
}

/** --run-id: it names the result, the same on every machine of one run; it never names keys or connections. */
function parseRunId(raw: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(raw)) return raw;
  throw new UsageError(
    `--run-id ${JSON.stringify(raw)}: expected 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. nightly-42)`,
  );
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
/** A start a little late (a slow machine) still starts; one this much in the past is a mistake. */
const START_AT_PAST_MS = 1000;
const START_AT_AHEAD_MS = 24 * 3600 * 1000;

/**
 * --start-at: the wall-clock time (ms) at which the run begins, checked against `nowMs`: an ISO 8601 time with
 * its zone (machines in other zones must agree on it), not more than a second in the past, at most a day ahead.
 */
export function parseStartAt(raw: string, nowMs: number = Date.now()): number {
  const at = ISO_WITH_ZONE.test(raw) ? Date.parse(raw) : Number.NaN;
  const accepted = 'an ISO 8601 time with its zone, such as 2026-12-01T12:00:00Z or 2026-12-01T13:00:00+01:00';
  if (Number.isNaN(at)) throw new UsageError(`--start-at ${JSON.stringify(raw)}: expected ${accepted}`);
  if (at < nowMs - START_AT_PAST_MS)
    throw new UsageError(
      `--start-at ${raw} is in the past (now ${new Date(nowMs).toISOString()}): give a time ahead, ${accepted}`,
    );
  if (at > nowMs + START_AT_AHEAD_MS)
    throw new UsageError(`--start-at ${raw} is more than a day ahead (now ${new Date(nowMs).toISOString()})`);
  return at;
}

/** What a capacity curve (--rate with several rates) cannot be run with, and --slo without one. */
function checkCapacityCurve(config: BenchConfig): void {
  const curve = config.rates !== null && config.rates !== undefined;
  if (!curve && (config.slo ?? []).length > 0)
    throw new UsageError(
      '--slo is the objective of a capacity curve: give --rate several rates (1000,4000,16000 or 2000..20000:2000)',
    );
  if (!curve) return;
  if (config.poolSizes !== null)
    throw new UsageError(
      '--rate with several rates and --pool-size with several sizes do not go together: a capacity curve runs one pool size; give one of them',
    );
}

function checkConsistency(config: BenchConfig): void {
  if (config.cluster) checkClusterRun(config);
  if ((config.threads ?? 1) > 1) {
    if (config.faults.length > 0)
      throw new UsageError(
        "--fault and --threads do not go together: a fault hits every thread's connections at once, and each recovers on its own; run faults with one thread",
      );
    if (config.poolSizes !== null)
      throw new UsageError(
        '--threads and a sweep (--pool-size with several sizes) do not go together yet: the sweep compares one pool with the models; sweep with one thread',
      );
  }
  checkCapacityCurve(config);
  const blocking = config.workload.commands.find((c) => c.blockMs !== null);
  if (blocking && config.commandTimeoutMs > 0 && config.commandTimeoutMs <= blocking.blockMs!) {
    throw new UsageError(
      `--command-timeout (${config.commandTimeoutMs} ms) must be longer than BLPOP's block time (${blocking.blockMs} ms)`,
    );
  }
}
