import { z } from 'zod';
import { UsageError } from '../../errors.js';
import {
  InvalidValueError,
  parseChoice,
  parseChoiceList,
  parseCountList,
  parseDuration,
  parseFraction,
  parseInteger,
  parseNumber,
  parseSize,
  parseWarmup,
  type DurationRange,
  type IntegerRange,
} from '../../values.js';
import { CLIENT_LIBRARIES, COMMAND_NAMES, STRATEGY_NAMES, WORKLOAD_COMMANDS } from '../../schema/names.js';
import { POOL_PROFILE_NAMES } from './pool-profiles.js';
import { parseThresholdFrom } from '../gates/thresholds.js';
import { parseSlo } from '../gates/slo.js';
import { RANGES } from '../../value-ranges.js';
import { shorthandCommands } from './config.js';
import { sentence, type Path } from './issue-location.js';

/**
 * A benchmark's settings, as a scenario file writes them (src/bench/config/scenario.ts) and as the flags give them:
 * one schema for both, each field read by the parser of its flag (src/values.ts), and every rule between fields
 * written once, here (brokenRules), whoever gives the values.
 *
 * A value comes from a file as YAML data, or from a flag as a Given: its text and the flag's name, which a refusal
 * names (`--think must be …`) where a file's value is named by its field and place (`x.yaml:5:10: thinkMs must be …`,
 * src/bench/config/issue-location.ts).
 */

/** A setting's value as a flag gives it: its text (true for a switch), read by the field's parser under the flag's name. */
export class Given {
  constructor(
    readonly flag: string,
    readonly text: string | boolean,
    /** A second flag that gives the same setting (--pipeline 16 and --commands-per-request 16): they must agree. */
    readonly agree?: { flag: string; text: string; why: string },
  ) {}
}

type Parse<T> = (name: string, raw: string) => T;

/** A flag's value read by `parse` under the flag's name; its refusal is the parser's own sentence. */
function fromFlag<T>(given: Given, parse: Parse<T>, ctx: z.RefinementCtx): T {
  try {
    const other = given.agree !== undefined ? parse(given.agree.flag, given.agree.text) : undefined;
    const value = parse(given.flag, String(given.text));
    if (given.agree !== undefined && other !== value) {
      const { flag, why } = given.agree;
      sentence(
        ctx,
        [],
        `${given.flag} ${String(value)} and ${flag} ${String(other)} disagree: ${why}; give one of them`,
      );
      return z.NEVER;
    }
    return value;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    sentence(ctx, [], error.message);
    return z.NEVER;
  }
}

// ---- leaf values -------------------------------------------------------------------------------------------

/**
 * A leaf read by the same parser as its flag (src/values.ts), so a file takes the flag's spellings: a YAML
 * number is read as its text, so `thinkMs: 250` and `thinkMs: "250"` are the same 250 ms. The issue message is
 * the parser's `accepted` phrase (with its hint); src/bench/config/issue-location.ts adds the field's name and what
 * was given. A flag's value is read by the same parser under the flag's name.
 */
function parsed<T>(field: string, parse: Parse<T>) {
  return z.unknown().transform((input, ctx) => {
    if (input instanceof Given) return fromFlag(input, parse, ctx);
    // Anything but a string or a number is refused by every parser as an empty text would be.
    const text = typeof input === 'string' ? input : typeof input === 'number' ? String(input) : '';
    try {
      return parse(field, text);
    } catch (error) {
      if (error instanceof InvalidValueError) {
        ctx.addIssue({ code: 'custom', message: error.accepted, params: { hint: error.hint } });
      } else if (error instanceof UsageError) {
        sentence(ctx, [], error.message);
      } else {
        throw error;
      }
      return z.NEVER;
    }
  });
}

/**
 * A leaf whose check in a file is not a flag's parser: `convert` returns the value, or undefined when the input is
 * not acceptable, and `accepted` becomes the issue message. `flag` reads the flag's text, when a flag gives it.
 */
export function leaf<T>(accepted: string, convert: (input: unknown) => T | undefined, flag?: Parse<T>) {
  return z.unknown().transform((input, ctx) => {
    if (input instanceof Given && flag !== undefined) return fromFlag(input, flag, ctx);
    const value = convert(input instanceof Given ? input.text : input);
    if (value !== undefined) return value;
    if (input instanceof Given) {
      sentence(ctx, [], `${input.flag} must be ${accepted} (got ${JSON.stringify(input.text)})`);
    } else {
      ctx.addIssue({ code: 'custom', message: accepted });
    }
    return z.NEVER;
  });
}

/** Written one way in a file (`file`) and another on the command line (`flag`): a list, or a flag's text. */
function fileOrFlag<T>(file: z.ZodType<T>, flag: Parse<T>) {
  return z.unknown().transform((input, ctx): T => {
    if (input instanceof Given) return fromFlag(input, flag, ctx);
    const result = file.safeParse(input);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue(issue as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  });
}

export const count = (field: string, range: IntegerRange) =>
  parsed(field, (name, raw) => parseInteger(name, raw, range));
const milliseconds = (field: string, range: DurationRange) =>
  parsed(field, (name, raw) => parseDuration(name, raw, range));
const valueSize = parsed('valueSize', (name, raw) => parseSize(name, raw, RANGES.valueSize));
const keyspace = count('keyspace', RANGES.keyspace);

function oneOf<const T extends string>(choices: readonly T[]) {
  return leaf(
    `one of ${choices.join(', ')}`,
    (input) => (choices.includes(input as T) ? (input as T) : undefined),
    (name, raw) => parseChoice(name, raw, choices),
  );
}

/** true or false; a flag that is a switch gives true. */
export const bool = leaf('true or false', (input) => (typeof input === 'boolean' ? input : undefined));

export const text = leaf('a string', (input) => (typeof input === 'string' ? input : undefined));

// ---- structure ---------------------------------------------------------------------------------------------

/** A mapping that refuses unknown keys; the issue message lists the keys it accepts. */
export function mapping<Shape extends z.ZodRawShape>(shape: Shape) {
  const keys = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? keys : `a mapping with the fields ${keys}`),
  });
}

/** A non-empty list whose items must all differ; `field` and `item` name them in the duplicate message. */
function list<Item extends z.ZodType>(item: Item, names: { field: string; item: string }, accepted: string) {
  return z
    .array(item, { error: accepted })
    .min(1, { error: accepted })
    .superRefine((items, ctx) => {
      items.forEach((value, index) => {
        if (items.indexOf(value) !== index) {
          const message = `${names.field} lists ${JSON.stringify(value)} twice; give each ${names.item} at most once`;
          sentence(ctx, [index], message);
        }
      });
    });
}

const command = mapping({
  command: oneOf(WORKLOAD_COMMANDS),
  weight: parsed('weight', (name, raw) => parseNumber(name, raw, { min: 0, minExclusive: true })),
  valueSize: valueSize.optional(),
  keyspace: keyspace.optional(),
  blockMs: milliseconds('blockMs', RANGES.blockMs).optional(),
}).superRefine((entry, ctx) => {
  if (entry.command === 'blpop' && entry.blockMs === undefined) {
    sentence(
      ctx,
      [],
      'blpop needs blockMs, the BLPOP timeout; set blockMs to a duration such as 2s, or a bare number of milliseconds',
    );
  }
  if (entry.command !== 'blpop' && entry.command !== undefined && entry.blockMs !== undefined) {
    sentence(ctx, ['blockMs'], `blockMs is only for blpop, not ${entry.command}; remove it or use command: blpop`);
  }
});

/** A list of { command, weight } in a file; --command get|set|mix, a shorthand for one. */
const commands = fileOrFlag(
  z.array(command, { error: 'a list of { command, weight } mappings' }).min(1, {
    error: 'a non-empty list of { command, weight } mappings',
  }),
  (name, raw) => shorthandCommands(parseChoice(name, raw, COMMAND_NAMES)),
);

const workloadFields = {
  valueSize: valueSize.optional(),
  keyspace: keyspace.optional(),
  commandsPerRequest: count('commandsPerRequest', RANGES.commandsPerRequest).optional(),
  pipeline: bool.optional(),
  autoPipelining: bool.optional(),
};

/** The workload of a scenario file, which must give its commands. */
export const fileWorkload = mapping({ commands, ...workloadFields });

const poolTimer = (field: string) => milliseconds(field, RANGES.poolTimer).optional();

const poolFields = {
  size: count('size', RANGES.poolSize).optional(),
  minIdle: count('minIdle', RANGES.minIdle).optional(),
  acquireTimeoutMs: poolTimer('acquireTimeoutMs'),
  order: oneOf(['lifo', 'fifo']).optional(),
  idleTimeoutMs: poolTimer('idleTimeoutMs'),
  evictionRunIntervalMs: poolTimer('evictionRunIntervalMs'),
  maxLifetimeMs: poolTimer('maxLifetimeMs'),
  testOnBorrow: bool.optional(),
  healthCheckIntervalMs: poolTimer('healthCheckIntervalMs'),
  failFast: bool.optional(),
  profile: oneOf(POOL_PROFILE_NAMES).optional(),
};
const pool = mapping(poolFields);

/** `poolSizes`: a YAML list [2, 4, 8], or the spellings of --pool-size: 12, "2,4,8", 2..12, 2..12:2. */
const poolSizeList = list(
  count('poolSizes', RANGES.poolSize),
  { field: 'poolSizes', item: 'size' },
  `a non-empty list of pool sizes, whole numbers from ${RANGES.poolSize.min} to ${RANGES.poolSize.max}`,
).max(RANGES.poolSizes.maxItems, { error: `a list of at most ${RANGES.poolSizes.maxItems} pool sizes` });
const poolSizeSpec = parsed('poolSizes', (name, raw) => parseCountList(name, raw, RANGES.poolSizes));
const poolSizes = listOrSpec(poolSizeList, poolSizeSpec);

/** A YAML list read by `asList`, anything else (a flag's text, a scalar) by `asSpec`: their issues kept as they are. */
function listOrSpec(asList: z.ZodType<number[]>, asSpec: z.ZodType<number[]>) {
  return z.unknown().transform((input, ctx): number[] => {
    const result = (Array.isArray(input) ? asList : asSpec).safeParse(input);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue(issue as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  });
}

/**
 * `rate`: one rate (5000, or 0.5), or the steps of a capacity curve: a list (1000,4000,16000) or a range
 * (2000..20000:2000) of whole requests per second, or a YAML list.
 */
const parseRates = (name: string, raw: string): number[] =>
  /,|\.\./.test(raw) ? parseCountList(name, raw, RANGES.rates) : [parseNumber(name, raw, RANGES.ratePerSec)];
const rateList = list(
  parsed('rate', (name, raw) => parseNumber(name, raw, RANGES.ratePerSec)),
  { field: 'rate', item: 'rate' },
  `a non-empty list of rates, requests per second up to ${RANGES.rates.max}`,
).max(RANGES.rates.maxItems, { error: `a list of at most ${RANGES.rates.maxItems} rates` });
const rates = listOrSpec(rateList, parsed('rate', parseRates));

/** A text as written (a file's string, or a flag's Given), and the flag that gave it, if a flag did. */
const givenText = (accepted: string) =>
  z.unknown().transform((input, ctx) => {
    if (input instanceof Given) return { text: String(input.text), flag: input.flag };
    if (typeof input === 'string') return { text: input, flag: undefined };
    ctx.addIssue({ code: 'custom', message: accepted });
    return z.NEVER;
  });

/**
 * A list of texts each read by `parse` where it is written: a file's as `<field>[1]`, a flag's by its flag; a
 * refusal is the parser's own sentence. The list keeps each text as `read` gives it back.
 */
function checkedTexts(
  field: string,
  accepted: { list: string; item: string },
  parse: (text: string, source: string) => unknown,
  read: (text: string) => string,
) {
  return z
    .array(givenText(accepted.item), { error: accepted.list })
    .superRefine((items, ctx) => {
      items.forEach((item, index) => {
        try {
          parse(item.text, item.flag ?? `${field}[${index}]`);
        } catch (error) {
          if (!(error instanceof UsageError)) throw error;
          sentence(ctx, [index], error.message);
        }
      });
    })
    .transform((items) => items.map((item) => read(item.text)));
}

/** Each threshold is checked where it is written, a file's as `thresholds[1]`, a flag's as --threshold. */
const thresholds = checkedTexts(
  'thresholds',
  { list: 'a list of threshold strings such as "pooled:latency:p(99)<5"', item: 'a string' },
  parseThresholdFrom,
  (text) => text,
);

/** `slo`: the capacity curve's objectives, each read by parseSlo where it is written (`slo[0]`, or --slo). */
const slo = checkedTexts(
  'slo',
  { list: 'a list of objectives such as "p99<2ms"', item: 'a string such as "p99<2ms"' },
  parseSlo,
  (text) => parseSlo(text).text,
);

/** Every setting but the workload, in the order a scenario file lists them. */
export const settingFields = {
  workers: count('workers', RANGES.workers).optional(),
  targetUtilization: parsed('targetUtilization', (name, raw) =>
    parseFraction(name, raw, RANGES.utilization),
  ).optional(),
  thinkMs: milliseconds('thinkMs', RANGES.think).optional(),
  thinkDistribution: oneOf(['exponential', 'fixed']).optional(),
  duration: milliseconds('duration', RANGES.runLength).optional(),
  requests: count('requests', RANGES.requests).optional(),
  warmup: parsed('warmup', (name, raw) => parseWarmup(name, raw)).optional(),
  rate: rates.optional(),
  strategies: fileOrFlag(
    list(
      oneOf(STRATEGY_NAMES),
      { field: 'strategies', item: 'strategy' },
      `a non-empty list of ${STRATEGY_NAMES.join(', ')}`,
    ),
    (name, raw) => parseChoiceList(name, raw, STRATEGY_NAMES),
  ).optional(),
  client: oneOf(CLIENT_LIBRARIES).optional(),
  pool: pool.optional(),
  poolSizes: poolSizes.optional(),
  thresholds: thresholds.optional(),
  slo: slo.optional(),
};

function withoutProfile<T extends { profile: unknown }>({ profile: _profile, ...rest }: T): Omit<T, 'profile'> {
  return rest;
}

/**
 * Any of the settings, from a file, the flags, or both: what brokenRules() reads. Of several flags with a wrong
 * value, the first in this order is reported (the order bench has always read them in).
 */
export const settingsSchema = mapping({
  workers: settingFields.workers,
  poolSizes: settingFields.poolSizes,
  warmup: settingFields.warmup,
  requests: settingFields.requests,
  duration: settingFields.duration,
  strategies: settingFields.strategies,
  workload: mapping({
    valueSize: workloadFields.valueSize,
    keyspace: workloadFields.keyspace,
    commands: commands.optional(),
    commandsPerRequest: workloadFields.commandsPerRequest,
    pipeline: workloadFields.pipeline,
    autoPipelining: workloadFields.autoPipelining,
  }).optional(),
  rate: settingFields.rate,
  targetUtilization: settingFields.targetUtilization,
  thinkMs: settingFields.thinkMs,
  thinkDistribution: settingFields.thinkDistribution,
  client: settingFields.client,
  // The profile first: the other pool settings go over it.
  pool: mapping({ profile: poolFields.profile, ...withoutProfile(poolFields) }).optional(),
  thresholds: settingFields.thresholds,
  slo: settingFields.slo,
});
export type Settings = z.output<typeof settingsSchema>;

// ---- the rules between settings ----------------------------------------------------------------------------

/**
 * A rule between settings that the values break. It is said in a file's words, each setting named by `name`:
 * its field (`thinkMs`), or its flag or default when a file does not give it; or, when no file gives any of them,
 * in the flags' words, each setting named by its flag (`--think`).
 */
export interface BrokenRule {
  /** The settings the rule reads; the message points at the first of them that a file gives. */
  settings: Path[];
  says(name: (path: Path) => string): string;
  saysInFlags(flag: (path: Path) => string): string;
}

const DURATION: Path = ['duration'];
const REQUESTS: Path = ['requests'];
const RATE: Path = ['rate'];
const UTILIZATION: Path = ['targetUtilization'];
const THINK: Path = ['thinkMs'];
const POOL_SIZE: Path = ['pool', 'size'];
const MIN_IDLE: Path = ['pool', 'minIdle'];
const POOL_SIZES: Path = ['poolSizes'];
const STRATEGIES: Path = ['strategies'];
const CLIENT: Path = ['client'];

/**
 * Every rule between settings, in one place: a scenario file is checked by them (what it says by itself), and so
 * are the settings a run ends with (the file's, the flags' over them, and the defaults). A rule reads only the
 * settings that are there. In the order a run reports them: the first one broken is the refusal.
 */
export function brokenRules(settings: Settings): BrokenRule[] {
  const { duration, requests, rate, targetUtilization, thinkMs, strategies } = settings;
  const broken: BrokenRule[] = [];
  if (duration !== undefined && requests !== undefined) {
    broken.push({
      settings: [REQUESTS, DURATION],
      says: (name) => `${name(DURATION)} and ${name(REQUESTS)} cannot both be set; give one of them`,
      saysInFlags: (flag) => `give ${flag(REQUESTS)} or ${flag(DURATION)}, not both`,
    });
  }
  if (targetUtilization !== undefined && thinkMs !== undefined) {
    broken.push({
      settings: [THINK, UTILIZATION],
      says: (name) => `${name(THINK)} and ${name(UTILIZATION)} cannot both be set; give one of them`,
      saysInFlags: (flag) => `give ${flag(UTILIZATION)} or ${flag(THINK)}, not both`,
    });
  }
  const closedLoop = targetUtilization !== undefined ? UTILIZATION : thinkMs !== undefined ? THINK : null;
  if (rate !== undefined && closedLoop !== null) {
    broken.push({
      settings: [RATE, closedLoop],
      says: (name) =>
        `${name(RATE)} (open loop) and ${name(closedLoop)} (closed loop) cannot both be set; choose one load model`,
      saysInFlags: (flag) =>
        `${flag(RATE)} (open loop) and ${flag(UTILIZATION)}/${flag(THINK)} (closed loop) do not go together: choose one load model`,
    });
  }
  const tooFewConnections = minIdleAboveSize(settings);
  if (tooFewConnections !== null) broken.push(tooFewConnections);
  broken.push(...nodeRedisRules(settings));
  const sweep = settings.poolSizes !== undefined && settings.poolSizes.length > 1;
  if (sweep && strategies !== undefined && !strategies.includes('pooled')) {
    broken.push({
      settings: [POOL_SIZES, STRATEGIES],
      says: (name) =>
        `${name(POOL_SIZES)} with several sizes sweeps the pooled strategy, which ${name(STRATEGIES)} leaves out; add pooled to ${name(STRATEGIES)}`,
      saysInFlags: (flag) =>
        `${flag(POOL_SIZES)} with several sizes sweeps the pooled strategy: include pooled in ${flag(STRATEGIES)}`,
    });
  }
  return broken;
}

/** The pool opens minIdle connections at the start: no more than the smallest pool it runs (its size, or a sweep's). */
function minIdleAboveSize({ pool, poolSizes }: Settings): BrokenRule | null {
  const minIdle = pool?.minIdle;
  if (minIdle === undefined) return null;
  const smallestSwept = poolSizes !== undefined ? Math.min(...poolSizes) : undefined;
  const againstSize = pool?.size !== undefined && (smallestSwept === undefined || pool.size <= smallestSwept);
  const limit = againstSize ? pool.size! : smallestSwept;
  if (limit === undefined || minIdle <= limit) return null;
  const bound = againstSize ? POOL_SIZE : POOL_SIZES;
  return {
    settings: [MIN_IDLE, bound],
    says: (name) =>
      `${name(MIN_IDLE)} (${minIdle}) is more than ${againstSize ? '' : 'the smallest of '}${name(bound)} (${limit}); use at most ${limit}`,
    saysInFlags: (flag) => `${flag(MIN_IDLE)} (${minIdle}) must not exceed ${flag(bound)} (${limit})`,
  };
}

/**
 * node-redis' pool has four settings: maximum, minimum (at least 1), acquireTimeout and cleanupDelay (after which
 * the idle clients above the minimum close; there is no "never"). The pool settings it has no counterpart for are
 * refused unless they say what it does anyway (it lends its idle clients first in, first out), and so is
 * auto-pipelining: node-redis always sends the commands of one tick in one write.
 */
function nodeRedisRules({ client, pool, workload }: Settings): BrokenRule[] {
  if (client !== 'node-redis') return [];
  const broken: BrokenRule[] = [];
  const noCounterpart = (path: Path, what: string): void => {
    broken.push({
      settings: [path, CLIENT],
      says: (name) =>
        `${name(path)} (${what}) has no counterpart in node-redis' pool (${name(CLIENT)}: node-redis takes ` +
        'pool.size, pool.minIdle, pool.acquireTimeoutMs and pool.idleTimeoutMs); remove it',
      saysInFlags: (flag) =>
        `${flag(path)} (${what}) has no counterpart in node-redis' pool: with ${flag(CLIENT)} node-redis, give ` +
        'only --pool-size, --min-idle, --acquire-timeout and --idle-timeout',
    });
  };
  if (pool?.profile !== undefined) noCounterpart(['pool', 'profile'], `${pool.profile}, which imitates a client`);
  if (pool?.order === 'lifo') noCounterpart(['pool', 'order'], 'lifo: node-redis lends first in, first out');
  if (pool?.evictionRunIntervalMs) noCounterpart(['pool', 'evictionRunIntervalMs'], 'an eviction run');
  if (pool?.maxLifetimeMs) noCounterpart(['pool', 'maxLifetimeMs'], 'a connection lifetime');
  if (pool?.testOnBorrow) noCounterpart(['pool', 'testOnBorrow'], 'a check on borrow');
  if (pool?.healthCheckIntervalMs) noCounterpart(['pool', 'healthCheckIntervalMs'], 'a health check');
  if (pool?.failFast) noCounterpart(['pool', 'failFast'], 'failing fast');
  if (pool?.minIdle === 0) {
    broken.push({
      settings: [MIN_IDLE, CLIENT],
      says: (name) =>
        `${name(MIN_IDLE)} is 0, but node-redis' pool keeps at least 1 client (minimum ≥ 1); use 1 or more`,
      saysInFlags: (flag) =>
        `${flag(MIN_IDLE)} 0: node-redis' pool keeps at least 1 client (minimum ≥ 1); give 1 or more`,
    });
  }
  const IDLE: Path = ['pool', 'idleTimeoutMs'];
  if (pool?.idleTimeoutMs === 0) {
    broken.push({
      settings: [IDLE, CLIENT],
      says: (name) =>
        `${name(IDLE)} is 0 (never), but node-redis closes the idle clients above its minimum a while after the ` +
        'last return (cleanupDelay) and has no "never"; give a duration such as 3s',
      saysInFlags: (flag) =>
        `${flag(IDLE)} 0 (never): node-redis' pool closes idle clients after cleanupDelay and has no "never"; ` +
        'give a duration such as 3s',
    });
  }
  const AUTO: Path = ['workload', 'autoPipelining'];
  if (workload?.autoPipelining === true) {
    broken.push({
      settings: [AUTO, CLIENT],
      says: (name) =>
        `${name(AUTO)} is an ioredis option; node-redis always sends the commands of one tick in one write: remove it`,
      saysInFlags: (flag) =>
        `${flag(AUTO)} is ioredis' option: node-redis always pipelines the commands of one tick; leave it out`,
    });
  }
  return broken;
}
