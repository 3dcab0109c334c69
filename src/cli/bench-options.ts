import { cpus } from 'node:os';
import {
  BENCH_DEFAULTS,
  commandsFor,
  defaultBenchConfig,
  defaultLoad,
  defaultPoolConfig,
  defaultPoolSize,
} from '../bench/config/config.js';
import { POOL_PROFILE_NAMES, profileSettings, type PoolProfileName } from '../bench/config/pool-profiles.js';
import { checkFaultsInWindow, parseFault } from '../bench/faults/fault-spec.js';
import { checkThresholdsApply, parseThreshold } from '../bench/gates/thresholds.js';
import { loadScenario, type Scenario } from '../bench/config/scenario.js';
import { UsageError } from '../errors.js';
import { COMMAND_NAMES, STRATEGY_NAMES } from '../schema/names.js';
import type { BenchConfig, LoadConfig, PoolConfig, WorkloadConfig } from '../schema/bench.js';
import {
  parseChoice,
  parseChoiceList,
  parseCountList,
  parseDuration,
  parseFraction,
  parseInteger,
  parseNumber,
  parseSize,
  parseWarmup,
} from '../values.js';
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
 * defaults, the pool profile, the scenario file, the flags.
 */
export function parseBenchConfig(raw: RawBenchOptions, machineCpus = cpus().length): BenchConfig {
  return parseBench(raw, machineCpus).config;
}

/** parseBenchConfig(), and the scenario file it read (for the checks against the target, which name its lines). */
export function parseBench(
  raw: RawBenchOptions,
  machineCpus = cpus().length,
): { config: BenchConfig; scenario: Scenario | null } {
  if (raw.requests !== undefined && raw.duration !== undefined)
    throw new UsageError('give --requests or --duration, not both');
  const scenario = raw.scenario !== undefined ? loadScenario(raw.scenario) : null;
  const concurrency =
    raw.concurrency !== undefined
      ? parseInteger('--concurrency', raw.concurrency, RANGES.workers)
      : (scenario?.workers ?? BENCH_DEFAULTS.concurrency);
  const threads = raw.threads !== undefined ? parseInteger('--threads', raw.threads, RANGES.threads) : 1;
  if (threads > concurrency)
    throw new UsageError(
      `--threads ${threads} is more than the ${plural(concurrency, 'worker')} to share among them: use at most ${plural(concurrency, 'thread')}, or more --concurrency`,
    );
  // Pool settings are per thread (one service instance each): by default, as many connections as its workers.
  const workersPerThread = Math.ceil(concurrency / threads);
  const base = defaultBenchConfig({ concurrency, threads });
  const sizes = raw.poolSize !== undefined ? parsePoolSizes(raw.poolSize) : (scenario?.poolSizes ?? null);

  const config: BenchConfig = {
    ...base,
    ...runLength(raw, scenario, base),
    strategies:
      raw.strategy !== undefined
        ? parseChoiceList('--strategy', raw.strategy, STRATEGY_NAMES)
        : (scenario?.strategies ?? base.strategies),
    workload: workloadConfig(raw, scenario),
    load: loadConfig(raw, scenario),
    pool: poolConfig(
      raw,
      scenario,
      workersPerThread,
      sizes !== null && sizes.length === 1 ? sizes[0]! : undefined,
      machineCpus,
    ),
    poolSizes: sizes !== null && sizes.length > 1 ? sizes : null,
    // Checked now, so that a mistake exits 2 before anything runs.
    thresholds: [...(scenario?.thresholds ?? []), ...(raw.threshold ?? [])].map((text) => parseThreshold(text).text),
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

/** What a cluster run cannot do yet, refused before anything starts. */
function checkClusterRun(config: BenchConfig): void {
  if (config.poolSizes !== null)
    throw new UsageError(
      '--cluster and a sweep (--pool-size with several sizes) do not go together: the models size one pool, a cluster client has one per shard; give one --pool-size',
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

function runLength(
  raw: RawBenchOptions,
  scenario: Scenario | null,
  base: BenchConfig,
): Pick<BenchConfig, 'requests' | 'durationMs' | 'warmup'> {
  const warmup = raw.warmup !== undefined ? parseWarmup('--warmup', raw.warmup) : (scenario?.warmup ?? base.warmup);
  if (raw.requests !== undefined)
    return { requests: parseInteger('--requests', raw.requests, RANGES.requests), durationMs: null, warmup };
  if (raw.duration !== undefined)
    return { requests: null, durationMs: parseDuration('--duration', raw.duration, RANGES.runLength), warmup };
  if (scenario?.requests !== undefined) return { requests: scenario.requests, durationMs: null, warmup };
  return { requests: null, durationMs: scenario?.durationMs ?? base.durationMs, warmup };
}

/** "12", a list "2,4,8" or a range "2..12" / "2..12:2": a list of more than one size is a sweep. */
export function parsePoolSizes(raw: string): number[] {
  return parseCountList('--pool-size', raw, RANGES.poolSizes);
}

function workloadConfig(raw: RawBenchOptions, scenario: Scenario | null): WorkloadConfig {
  const file = scenario?.workload;
  const valueSize =
    raw.valueSize !== undefined
      ? parseSize('--value-size', raw.valueSize, RANGES.valueSize)
      : (file?.valueSize ?? BENCH_DEFAULTS.valueSize);
  const keyspace =
    raw.keyspace !== undefined
      ? parseInteger('--keyspace', raw.keyspace, RANGES.keyspace)
      : (file?.keyspace ?? BENCH_DEFAULTS.keyspace);
  const commands =
    raw.command !== undefined || !file
      ? commandsFor(
          raw.command !== undefined ? parseChoice('--command', raw.command, COMMAND_NAMES) : BENCH_DEFAULTS.command,
          valueSize,
          keyspace,
        )
      : file.commands.map((c) => ({
          command: c.command,
          weight: c.weight,
          valueSize: c.valueSize ?? valueSize,
          keyspace: c.keyspace ?? keyspace,
          blockMs: c.blockMs ?? null,
        }));
  const { commandsPerRequest, pipeline } = pipelining(raw, file?.commandsPerRequest ?? 1, file?.pipeline ?? false);
  return {
    commands,
    commandsPerRequest,
    pipeline,
    autoPipelining: raw.autoPipelining ?? file?.autoPipelining ?? false,
  };
}

/**
 * `--pipeline 16` is redis-benchmark's `-P 16`: 16 commands a request, sent as one pipeline. It is the same as
 * `--commands-per-request 16 --pipeline`; given with a different --commands-per-request, the two disagree.
 */
function pipelining(
  raw: RawBenchOptions,
  fileCount: number,
  filePipeline: boolean,
): Pick<WorkloadConfig, 'commandsPerRequest' | 'pipeline'> {
  const flagCount =
    raw.commandsPerRequest !== undefined
      ? parseInteger('--commands-per-request', raw.commandsPerRequest, RANGES.commandsPerRequest)
      : null;
  if (typeof raw.pipeline !== 'string')
    return { commandsPerRequest: flagCount ?? fileCount, pipeline: raw.pipeline ?? filePipeline };
  const depth = parseInteger('--pipeline', raw.pipeline, RANGES.commandsPerRequest);
  if (flagCount !== null && flagCount !== depth) {
    throw new UsageError(
      `--pipeline ${depth} and --commands-per-request ${flagCount} disagree: --pipeline <n> sends n commands a request; give one of them`,
    );
  }
  return { commandsPerRequest: depth, pipeline: true };
}

/**
 * The load model: the flags' (--rate, or --utilization/--think), else the scenario file's, else the default open loop
 * (BENCH_DEFAULTS.ratePerSec). --think 0 (or --utilization 100%) is the closed loop without think time.
 */
function loadConfig(raw: RawBenchOptions, scenario: Scenario | null): LoadConfig {
  const flagClosed = raw.utilization !== undefined || raw.think !== undefined;
  if (raw.utilization !== undefined && raw.think !== undefined)
    throw new UsageError('give --utilization or --think, not both');
  const given =
    raw.rate !== undefined ||
    flagClosed ||
    scenario?.rate !== undefined ||
    scenario?.targetUtilization !== undefined ||
    scenario?.thinkMs !== undefined;
  if (!given)
    return {
      ...defaultLoad(),
      thinkDistribution:
        raw.thinkDistribution !== undefined
          ? parseChoice('--think-distribution', raw.thinkDistribution, ['exponential', 'fixed'] as const)
          : (scenario?.thinkDistribution ?? 'exponential'),
    };
  const rate =
    raw.rate !== undefined
      ? parseNumber('--rate', raw.rate, RANGES.ratePerSec)
      : flagClosed
        ? null
        : (scenario?.rate ?? null);
  const fromFile = raw.rate === undefined && !flagClosed;
  const load: LoadConfig = {
    ratePerSec: rate,
    targetUtilization:
      raw.utilization !== undefined
        ? parseFraction('--utilization', raw.utilization, RANGES.utilization)
        : fromFile
          ? (scenario?.targetUtilization ?? null)
          : null,
    thinkMs:
      raw.think !== undefined
        ? parseDuration('--think', raw.think, RANGES.think)
        : fromFile
          ? (scenario?.thinkMs ?? null)
          : null,
    thinkDistribution:
      raw.thinkDistribution !== undefined
        ? parseChoice('--think-distribution', raw.thinkDistribution, ['exponential', 'fixed'] as const)
        : (scenario?.thinkDistribution ?? 'exponential'),
  };
  if (load.ratePerSec !== null && (load.targetUtilization !== null || load.thinkMs !== null)) {
    throw new UsageError(
      '--rate (open loop) and --utilization/--think (closed loop) do not go together: choose one load model',
    );
  }
  return load;
}

function poolConfig(
  raw: RawBenchOptions,
  scenario: Scenario | null,
  concurrency: number,
  flagSize: number | undefined,
  machineCpus: number,
): PoolConfig {
  const filePool = scenario?.pool;
  const profileName: PoolProfileName | undefined =
    raw.poolProfile !== undefined
      ? parseChoice('--pool-profile', raw.poolProfile, POOL_PROFILE_NAMES)
      : filePool?.profile;
  const base: PoolConfig = profileName
    ? { ...profileSettings(profileName, machineCpus, concurrency), profile: profileName }
    : defaultPoolConfig(defaultPoolSize(concurrency));
  const ms = (flag: string, value: string | undefined): number | undefined =>
    value === undefined ? undefined : parseDuration(flag, value, RANGES.poolTimer);
  const pick = <K extends keyof PoolConfig>(key: K, flagValue: PoolConfig[K] | undefined): PoolConfig[K] =>
    flagValue ?? (filePool?.[key as keyof typeof filePool] as PoolConfig[K] | undefined) ?? base[key];
  return {
    size: pick('size', flagSize),
    minIdle: pick(
      'minIdle',
      raw.minIdle !== undefined ? parseInteger('--min-idle', raw.minIdle, RANGES.minIdle) : undefined,
    ),
    acquireTimeoutMs: pick('acquireTimeoutMs', ms('--acquire-timeout', raw.acquireTimeout)),
    order: pick(
      'order',
      raw.poolOrder !== undefined ? parseChoice('--pool-order', raw.poolOrder, ['lifo', 'fifo'] as const) : undefined,
    ),
    idleTimeoutMs: pick('idleTimeoutMs', ms('--idle-timeout', raw.idleTimeout)),
    evictionRunIntervalMs: pick('evictionRunIntervalMs', ms('--eviction-interval', raw.evictionInterval)),
    maxLifetimeMs: pick('maxLifetimeMs', ms('--max-lifetime', raw.maxLifetime)),
    testOnBorrow: pick('testOnBorrow', raw.testOnBorrow),
    healthCheckIntervalMs: pick('healthCheckIntervalMs', ms('--health-check-interval', raw.healthCheckInterval)),
    failFast: pick('failFast', raw.failFast),
    profile: profileName ?? null,
  };
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
  const smallest = Math.min(config.pool.size, ...(config.poolSizes ?? []));
  if (config.pool.minIdle > smallest) {
    throw new UsageError(`--min-idle (${config.pool.minIdle}) must not exceed --pool-size (${smallest})`);
  }
  if (config.poolSizes !== null && !config.strategies.includes('pooled')) {
    throw new UsageError('--pool-size with several sizes sweeps the pooled strategy: include pooled in --strategy');
  }
  const blocking = config.workload.commands.find((c) => c.blockMs !== null);
  if (blocking && config.commandTimeoutMs > 0 && config.commandTimeoutMs <= blocking.blockMs!) {
    throw new UsageError(
      `--command-timeout (${config.commandTimeoutMs} ms) must be longer than BLPOP's block time (${blocking.blockMs} ms)`,
    );
  }
}
