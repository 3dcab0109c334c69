import { UsageError } from '../../errors.js';
import { jsonPath } from '../../documents.js';
import type { BenchConfig, PoolConfig } from '../../schema/bench.js';
import { BENCH_DEFAULTS, defaultPoolConfig, defaultPoolSize, shorthandCommands } from './config.js';
import { profileSettings } from './pool-profiles.js';
import { clientVersion, NODE_REDIS_POOL_DEFAULTS } from './client-library.js';
import { parseThreshold } from '../gates/thresholds.js';
import { brokenRules, Given, settingsSchema, type BrokenRule, type Settings } from './settings.js';
import type { Path, YamlFile } from './issue-location.js';

/**
 * The settings a bench runs with, from three layers, each over the one before: the defaults (with a pool profile's),
 * the scenario file, the flags. The flags are a partial scenario, the shape of a scenario file's settings whose
 * values are Givens (src/cli/bench-options.ts makes it); it goes over the file's, the result is read by the one
 * settings schema (src/bench/config/settings.ts), the defaults fill in the rest, and the rules between settings are
 * checked on what the run will use. A refusal names where each value came from: the flag, the file's
 * `<file>:<line>:<column>` and field, or the default.
 */

/** A partial scenario: the settings of a scenario file (workload and pool as mappings), each value a Given. */
export type SettingsLayer = Record<string, unknown>;

export interface SettingsContext {
  /** --threads: pool settings are per thread, by default as many connections as a thread's workers. */
  threads: number;
  /** The CPU count a pool profile sizes by (go-redis). */
  machineCpus: number;
  /** The flag that gives a setting: a default is named by it when no file is involved (`--pool-size (50)`). */
  flagOf(path: Path): string;
}

/** What the settings decide of a bench's configuration. */
export type ResolvedSettings = Pick<
  BenchConfig,
  | 'concurrency'
  | 'requests'
  | 'durationMs'
  | 'warmup'
  | 'strategies'
  | 'workload'
  | 'load'
  | 'pool'
  | 'poolSizes'
  | 'thresholds'
  | 'client'
  | 'rates'
  | 'slo'
>;

/**
 * Settings that go together: a layer that gives one of them gives the whole group, so that the flags' load model
 * (--rate, or --utilization or --think) replaces the file's, and --duration or --requests the file's run length.
 */
const GROUPS: readonly (readonly string[])[] = [
  ['rate', 'targetUtilization', 'thinkMs'],
  ['duration', 'requests'],
];

/**
 * The file's settings (already checked by themselves when it was read) with the flags over them, checked and
 * completed; throws a one-line UsageError naming the flag, the file's place or the default each value came from.
 */
export function resolveSettings(
  file: YamlFile | null,
  flags: SettingsLayer,
  context: SettingsContext,
): ResolvedSettings {
  const layered = overlay(fileSettings(file), flags);
  const sources = new Sources(layered, file, context);
  const schema = settingsSchema
    .transform((settings) => withDefaults(settings, context))
    .superRefine((resolved, ctx) => {
      const [broken] = brokenRules(resolved.settings);
      if (broken !== undefined) {
        ctx.addIssue({ code: 'custom', message: sources.say(broken, resolved), params: { said: true } });
      }
    });
  const result = schema.safeParse(layered);
  if (!result.success) throw new UsageError(sources.problem(result.error.issues[0]!));
  return toConfig(result.data.settings);
}

/** The settings of a scenario file: everything but its name, description and target. */
function fileSettings(file: YamlFile | null): SettingsLayer {
  if (file === null) return {};
  const { name: _name, description: _description, target: _target, ...settings } = file.data as SettingsLayer;
  return settings;
}

function isMapping(value: unknown): value is SettingsLayer {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Given);
}

/** `upper` over `lower`: a value replaces, a mapping (workload, pool) is gone over field by field, thresholds add up. */
export function overlay(lower: SettingsLayer, upper: SettingsLayer): SettingsLayer {
  const merged: SettingsLayer = { ...lower };
  for (const group of GROUPS) {
    if (group.some((field) => upper[field] !== undefined)) for (const field of group) delete merged[field];
  }
  for (const [field, value] of Object.entries(upper)) {
    if (value === undefined) continue;
    const below = merged[field];
    if (field === 'thresholds' || field === 'slo')
      merged[field] = [...(Array.isArray(below) ? (below as unknown[]) : []), ...(value as unknown[])];
    else if (isMapping(value) && isMapping(below)) merged[field] = { ...below, ...value };
    else merged[field] = value;
  }
  return merged;
}

// ---- defaults ----------------------------------------------------------------------------------------------

type Commands = NonNullable<NonNullable<Settings['workload']>['commands']>;

/** Every setting a run needs; and whether the pool's size is the one size of poolSizes (over pool.size). */
type Resolved = ReturnType<typeof withDefaults>;

/** The defaults (config.ts), and a pool profile's, where neither the file nor the flags give a setting. */
function withDefaults(settings: Settings, { threads, machineCpus }: SettingsContext) {
  const workers = settings.workers ?? BENCH_DEFAULTS.concurrency;
  // Pool settings are per thread (one service instance each): by default, as many connections as its workers.
  const workersPerThread = Math.ceil(workers / threads);
  const { pool = {}, workload = {}, poolSizes } = settings;
  const base: Omit<PoolConfig, 'profile'> = pool.profile
    ? profileSettings(pool.profile, machineCpus, workersPerThread)
    : settings.client === 'node-redis'
      ? NODE_REDIS_POOL_DEFAULTS
      : defaultPoolConfig(defaultPoolSize(workersPerThread));
  const single = poolSizes?.length === 1 ? poolSizes[0] : undefined;
  const defaultCommands: Commands = shorthandCommands(BENCH_DEFAULTS.command);
  const loadGiven =
    settings.rate !== undefined || settings.targetUtilization !== undefined || settings.thinkMs !== undefined;
  const lengthGiven = settings.duration !== undefined || settings.requests !== undefined;
  return {
    settings: {
      ...settings,
      workers,
      ...(!loadGiven && { rate: [BENCH_DEFAULTS.ratePerSec] }),
      thinkDistribution: settings.thinkDistribution ?? 'exponential',
      ...(!lengthGiven && { duration: BENCH_DEFAULTS.durationMs }),
      warmup: settings.warmup ?? { requests: null, durationMs: BENCH_DEFAULTS.warmupMs },
      strategies: settings.strategies ?? [...BENCH_DEFAULTS.strategies],
      workload: {
        commands: workload.commands ?? defaultCommands,
        valueSize: workload.valueSize ?? BENCH_DEFAULTS.valueSize,
        keyspace: workload.keyspace ?? BENCH_DEFAULTS.keyspace,
        commandsPerRequest: workload.commandsPerRequest ?? 1,
        pipeline: workload.pipeline ?? false,
        autoPipelining: workload.autoPipelining ?? false,
      },
      pool: {
        size: single ?? pool.size ?? base.size,
        minIdle: pool.minIdle ?? base.minIdle,
        acquireTimeoutMs: pool.acquireTimeoutMs ?? base.acquireTimeoutMs,
        order: pool.order ?? base.order,
        idleTimeoutMs: pool.idleTimeoutMs ?? base.idleTimeoutMs,
        evictionRunIntervalMs: pool.evictionRunIntervalMs ?? base.evictionRunIntervalMs,
        maxLifetimeMs: pool.maxLifetimeMs ?? base.maxLifetimeMs,
        testOnBorrow: pool.testOnBorrow ?? base.testOnBorrow,
        healthCheckIntervalMs: pool.healthCheckIntervalMs ?? base.healthCheckIntervalMs,
        failFast: pool.failFast ?? base.failFast,
        profile: pool.profile,
      },
      poolSizes: single !== undefined ? undefined : poolSizes,
      thresholds: settings.thresholds ?? [],
      client: settings.client ?? 'ioredis',
    } satisfies Settings,
    sizeFromPoolSizes: single !== undefined,
  };
}

function toConfig({ workload, pool, ...settings }: Resolved['settings']): ResolvedSettings {
  return {
    concurrency: settings.workers,
    requests: settings.requests ?? null,
    durationMs: settings.requests !== undefined ? null : (settings.duration ?? null),
    warmup: settings.warmup,
    strategies: settings.strategies,
    workload: {
      commands: workload.commands.map((c) => ({
        command: c.command,
        weight: c.weight,
        valueSize: c.valueSize ?? workload.valueSize,
        keyspace: c.keyspace ?? workload.keyspace,
        blockMs: c.blockMs ?? null,
      })),
      commandsPerRequest: workload.commandsPerRequest,
      pipeline: workload.pipeline,
      autoPipelining: workload.autoPipelining,
    },
    load: {
      ratePerSec: settings.rate?.[0] ?? null,
      targetUtilization: settings.targetUtilization ?? null,
      thinkMs: settings.thinkMs ?? null,
      thinkDistribution: settings.thinkDistribution,
    },
    pool: { ...pool, profile: pool.profile ?? null },
    poolSizes: settings.poolSizes ?? null,
    thresholds: settings.thresholds.map((text) => parseThreshold(text).text),
    client: { name: settings.client, version: clientVersion(settings.client) },
    rates: settings.rate !== undefined && settings.rate.length > 1 ? settings.rate : null,
    slo: settings.slo ?? [],
  };
}

// ---- where each value comes from ---------------------------------------------------------------------------

type Source =
  | { kind: 'flag'; flag: string }
  | { kind: 'file'; path: Path }
  | { kind: 'default'; path: Path; profile: string | undefined };

class Sources {
  constructor(
    private readonly layered: SettingsLayer,
    private readonly file: YamlFile | null,
    private readonly context: SettingsContext,
  ) {}

  /** Who gives the value at `path`: a flag (a Given on the way), the file (a value there), or else a default. */
  private at(path: Path, profile?: string): Source {
    let value: unknown = this.layered;
    for (const segment of path) {
      if (value instanceof Given) break;
      value = isMapping(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[segment] : undefined;
    }
    if (value instanceof Given) return { kind: 'flag', flag: value.flag };
    if (value !== undefined && this.file !== null) return { kind: 'file', path };
    return { kind: 'default', path, profile };
  }

  /** A rule broken by the settings a run would use, said in the file's words if a file gives any of its values. */
  say(rule: BrokenRule, resolved: Resolved): string {
    const profile = resolved.settings.pool?.profile;
    const sourceOf = (path: Path): Source =>
      resolved.sizeFromPoolSizes && jsonPath(path) === 'pool.size' ? this.at(['poolSizes']) : this.at(path, profile);
    const inFile = rule.settings.map(sourceOf).find((source) => source.kind === 'file');
    if (inFile === undefined) {
      return rule.saysInFlags((path) => {
        const source = sourceOf(path);
        return source.kind === 'flag' ? source.flag : this.context.flagOf(path);
      });
    }
    return `${this.file!.where(inFile.path)}: ${rule.says((path) => nameOf(sourceOf(path)))}`;
  }

  /** One line for an issue of the settings schema: a flag's value is refused in its parser's words. */
  problem(issue: Parameters<YamlFile['problem']>[0][number]): string {
    if (issue.code === 'custom' && issue.params?.['said']) return issue.message;
    const source = this.at(issue.path);
    if (source.kind === 'flag' || this.file === null) return issue.message;
    // The file was checked by itself when it was read, so this is not expected; said as a problem of the file.
    return this.file.problem([issue], 'the scenario');
  }
}

/** A setting as a message in a file's words names it: its field in the file, its flag, or its default. */
function nameOf(source: Source): string {
  switch (source.kind) {
    case 'flag':
      return source.flag;
    case 'file':
      return jsonPath(source.path);
    case 'default': {
      const field = jsonPath(source.path);
      return source.profile !== undefined && source.path[0] === 'pool'
        ? `the ${source.profile} profile's ${field}`
        : `the default ${field}`;
    }
  }
}
