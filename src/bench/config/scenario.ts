import { readFileSync } from 'node:fs';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../../errors.js';
import { jsonPath } from '../../documents.js';
import {
  InvalidValueError,
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
import { STRATEGY_NAMES, WORKLOAD_COMMANDS } from '../../schema/names.js';
import type { PoolConfig, ScenarioTarget } from '../../schema/bench.js';
import { POOL_PROFILE_NAMES, type PoolProfileName } from './pool-profiles.js';
import { closestMatch } from '../../did-you-mean.js';
import { parseThresholdFrom } from '../gates/thresholds.js';
import { RANGES } from '../../value-ranges.js';

/**
 * Scenario files: a YAML description of one benchmark (workload, load shape, strategies, pool settings).
 * Every field takes the spellings of its flag (one parser for both, src/values.ts). Every problem becomes one
 * UsageError line `<file>:<line>:<column>: <field and what is wrong>`, pointing at the value, the unknown key
 * or (for a missing field) the mapping that lacks it.
 */

export interface ScenarioCommand {
  command: (typeof WORKLOAD_COMMANDS)[number];
  weight: number;
  valueSize?: number;
  keyspace?: number;
  /** blpop only: the BLPOP timeout in ms. */
  blockMs?: number;
}

/** Any of the bench's pool settings, and a client profile to start from. */
export type ScenarioPool = Partial<Omit<PoolConfig, 'profile'>> & { profile?: PoolProfileName };

export interface Scenario {
  name: string;
  description: string;
  target?: ScenarioTarget;
  workload: {
    commands: ScenarioCommand[];
    valueSize?: number;
    keyspace?: number;
    commandsPerRequest?: number;
    pipeline?: boolean;
    autoPipelining?: boolean;
  };
  workers?: number;
  targetUtilization?: number;
  thinkMs?: number;
  thinkDistribution?: 'exponential' | 'fixed';
  durationMs?: number;
  requests?: number;
  warmup?: { requests: number | null; durationMs: number | null };
  rate?: number;
  strategies?: (typeof STRATEGY_NAMES)[number][];
  pool?: ScenarioPool;
  poolSizes?: number[];
  thresholds?: string[];
  /**
   * Where each of `thresholds` is written, in the same order: `<file>:<line>:<column>: thresholds[<i>]`, so that a
   * check made after the file was read (does the threshold name a run of this benchmark?) points at it too.
   */
  thresholdSources?: string[];
  /** Where each field of `target` is written (`<file>:<line>:<column>: target.tls`), for the checks made against the URL. */
  targetSources?: TargetSources;
}

export type TargetSources = { [Field in keyof ScenarioTarget]?: string };

// ---- leaf values -------------------------------------------------------------------------------------------

/**
 * A leaf read by the same parser as its flag (src/values.ts), so a file takes the flag's spellings: a YAML
 * number is read as its text, so `thinkMs: 250` and `thinkMs: "250"` are the same 250 ms. The issue message is
 * the parser's `accepted` phrase (with its hint); describeIssue() adds the field's name and what was given.
 */
function parsed<T>(field: string, parse: (raw: string) => T) {
  return z.unknown().transform((input, ctx) => {
    // Anything but a string or a number is refused by every parser as an empty text would be.
    const text = typeof input === 'string' ? input : typeof input === 'number' ? String(input) : '';
    try {
      return parse(text);
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
 * A leaf whose check is not a flag's parser: `convert` returns the value, or undefined when the input is not
 * acceptable, and `accepted` becomes the issue message.
 */
function leaf<T>(accepted: string, convert: (input: unknown) => T | undefined) {
  return z.unknown().transform((input, ctx) => {
    const value = convert(input);
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: accepted });
      return z.NEVER;
    }
    return value;
  });
}

const count = (field: string, range: IntegerRange) => parsed(field, (raw) => parseInteger(field, raw, range));
const milliseconds = (field: string, range: DurationRange) => parsed(field, (raw) => parseDuration(field, raw, range));
const valueSize = parsed('valueSize', (raw) => parseSize('valueSize', raw, RANGES.valueSize));
const keyspace = count('keyspace', RANGES.keyspace);

function oneOf<const T extends string>(choices: readonly T[]) {
  return leaf(`one of ${choices.join(', ')}`, (input) => (choices.includes(input as T) ? (input as T) : undefined));
}

const bool = leaf('true or false', (input) => (typeof input === 'boolean' ? input : undefined));

const nonEmptyText = leaf('a non-empty string', (input) =>
  typeof input === 'string' && input.trim() !== '' ? input : undefined,
);
const text = leaf('a string', (input) => (typeof input === 'string' ? input : undefined));

// ---- structure ---------------------------------------------------------------------------------------------

/** A mapping that refuses unknown keys; the issue message lists the keys it accepts. */
function mapping<Shape extends z.ZodRawShape>(shape: Shape) {
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

/** An issue whose message is already a full sentence (not an accepted phrase to decorate). */
function sentence(ctx: z.RefinementCtx, path: PropertyKey[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message, params: { sentence: true } });
}

const command = mapping({
  command: oneOf(WORKLOAD_COMMANDS),
  weight: parsed('weight', (raw) => parseNumber('weight', raw, { min: 0, minExclusive: true })),
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

const workload = mapping({
  commands: z.array(command, { error: 'a list of { command, weight } mappings' }).min(1, {
    error: 'a non-empty list of { command, weight } mappings',
  }),
  valueSize: valueSize.optional(),
  keyspace: keyspace.optional(),
  commandsPerRequest: count('commandsPerRequest', RANGES.commandsPerRequest).optional(),
  pipeline: bool.optional(),
  autoPipelining: bool.optional(),
});

const poolTimer = (field: string) => milliseconds(field, RANGES.poolTimer).optional();

const pool = mapping({
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
}).superRefine((settings, ctx) => {
  if (settings.size !== undefined && settings.minIdle !== undefined && settings.minIdle > settings.size) {
    const { minIdle, size } = settings;
    sentence(ctx, ['minIdle'], `pool.minIdle (${minIdle}) is more than pool.size (${size}); use at most ${size}`);
  }
});

/** An ACL user name as a URL and an ACL file can carry it; `default` is left out, as a URL without a user means it. */
const aclUser = leaf('an ACL user name of letters, digits, ".", "_", "-" and "@", other than default', (input) =>
  typeof input === 'string' && /^[\w.@-]{1,128}$/.test(input) && input !== 'default' ? input : undefined,
);

/** What the server must be: a URL must meet it, a throwaway server is made to (src/bench/scenario-target.ts). */
const target = mapping({
  tls: bool.optional(),
  user: aclUser.optional(),
  db: count('db', RANGES.database).optional(),
});

/** `poolSizes`: a YAML list [2, 4, 8], or the spellings of --pool-size: 12, "2,4,8", 2..12, 2..12:2. */
const poolSizeList = list(
  count('poolSizes', RANGES.poolSize),
  { field: 'poolSizes', item: 'size' },
  `a non-empty list of pool sizes, whole numbers from ${RANGES.poolSize.min} to ${RANGES.poolSize.max}`,
).max(RANGES.poolSizes.maxItems, { error: `a list of at most ${RANGES.poolSizes.maxItems} pool sizes` });
const poolSizeSpec = parsed('poolSizes', (raw) => parseCountList('poolSizes', raw, RANGES.poolSizes));
const poolSizes = z.unknown().transform((input, ctx): number[] => {
  const result = (Array.isArray(input) ? poolSizeList : poolSizeSpec).safeParse(input);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue(issue as Parameters<typeof ctx.addIssue>[0]);
  return z.NEVER;
});

/** Each threshold is checked where it is written, as --threshold checks its own. */
const thresholds = z
  .array(text, { error: 'a list of threshold strings such as "pooled:latency:p(99)<5"' })
  .superRefine((items, ctx) => {
    items.forEach((item, index) => {
      try {
        parseThresholdFrom(item, `thresholds[${index}]`);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        sentence(ctx, [index], error.message);
      }
    });
  });

/** The file as written; toScenario() renames `duration` and fills in the description. */
const scenarioFile = mapping({
  name: nonEmptyText,
  description: text.optional(),
  target: target.optional(),
  workload,
  workers: count('workers', RANGES.workers).optional(),
  targetUtilization: parsed('targetUtilization', (raw) =>
    parseFraction('targetUtilization', raw, RANGES.utilization),
  ).optional(),
  thinkMs: milliseconds('thinkMs', RANGES.think).optional(),
  thinkDistribution: oneOf(['exponential', 'fixed']).optional(),
  duration: milliseconds('duration', RANGES.runLength).optional(),
  requests: count('requests', RANGES.requests).optional(),
  warmup: parsed('warmup', (raw) => parseWarmup('warmup', raw)).optional(),
  rate: parsed('rate', (raw) => parseNumber('rate', raw, RANGES.ratePerSec)).optional(),
  strategies: list(
    oneOf(STRATEGY_NAMES),
    { field: 'strategies', item: 'strategy' },
    `a non-empty list of ${STRATEGY_NAMES.join(', ')}`,
  ).optional(),
  pool: pool.optional(),
  poolSizes: poolSizes.optional(),
  thresholds: thresholds.optional(),
}).superRefine((file, ctx) => {
  if (file.targetUtilization !== undefined && file.thinkMs !== undefined) {
    sentence(ctx, ['thinkMs'], 'thinkMs and targetUtilization cannot both be set; give one of them');
  }
  const closedLoop =
    file.targetUtilization !== undefined ? 'targetUtilization' : file.thinkMs !== undefined ? 'thinkMs' : null;
  if (file.rate !== undefined && closedLoop !== null) {
    sentence(
      ctx,
      ['rate'],
      `rate (open loop) and ${closedLoop} (closed loop) cannot both be set; choose one load model`,
    );
  }
  if (file.duration !== undefined && file.requests !== undefined) {
    sentence(ctx, ['requests'], 'duration and requests cannot both be set; give one of them');
  }
  const sweep = file.poolSizes !== undefined && file.poolSizes.length > 1;
  if (sweep && file.strategies !== undefined && !file.strategies.includes('pooled')) {
    sentence(
      ctx,
      ['poolSizes'],
      'poolSizes with several sizes sweeps the pooled strategy, which strategies leaves out; add pooled to strategies',
    );
  }
  const smallest = file.poolSizes !== undefined ? Math.min(...file.poolSizes) : undefined;
  if (smallest !== undefined && file.pool?.minIdle !== undefined && file.pool.minIdle > smallest) {
    const { minIdle } = file.pool;
    sentence(
      ctx,
      ['pool', 'minIdle'],
      `pool.minIdle (${minIdle}) is more than the smallest of poolSizes (${smallest}); use at most ${smallest}`,
    );
  }
});

function toScenario({ name, description, duration: durationMs, ...rest }: z.output<typeof scenarioFile>): Scenario {
  return { name, description: description ?? '', ...rest, ...(durationMs !== undefined && { durationMs }) };
}

// ---- locating problems in the file -------------------------------------------------------------------------

type Path = readonly PropertyKey[];

interface Located {
  /** Deepest node on the path; `found` says whether the whole path exists. */
  node: Node | null;
  found: boolean;
}

/**
 * Follows `path` through the YAML nodes; `keyOf` returns the last key's node instead of its value.
 * Aliases are followed to descend, but a path ending at an alias points at the alias, where the value is used.
 */
function locate(doc: Document, path: Path, keyOf = false): Located {
  let node = doc.contents as Node | null;
  for (const [index, segment] of path.entries()) {
    const parent = isAlias(node) ? (node.resolve(doc) as Node | undefined) : node;
    if (isMap(parent)) {
      // Compare as strings: a YAML key 1 reaches zod as the property "1".
      const pair = parent.items.find((item) => keyText(item.key) === String(segment));
      if (!pair) return { node, found: false };
      const last = index === path.length - 1;
      node = ((last && keyOf ? pair.key : pair.value) ?? pair.key) as Node | null;
    } else if (isSeq(parent) && typeof segment === 'number' && parent.items[segment]) {
      node = parent.items[segment] as Node;
    } else {
      return { node, found: false };
    }
  }
  return { node, found: true };
}

function keyText(key: unknown): string {
  return String(isScalar(key) ? key.value : key);
}

function valueAt(data: unknown, path: Path): unknown {
  let value = data;
  for (const segment of path) value = (value as Record<PropertyKey, unknown> | null | undefined)?.[segment];
  return value;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (value !== null && typeof value === 'object') return 'a mapping';
  const shown = JSON.stringify(value) ?? String(value);
  return shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
}

interface Problem {
  offset: number;
  message: string;
  /** A missing field is placed at the mapping that lacks it, which says little: it goes after everything else. */
  missing: boolean;
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document, data: unknown): Problem {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const key = String(issue.keys[0]);
    const where = jsonPath(path);
    const suggestion = closestMatch(key, issue.message.split(', '));
    const didYouMean = suggestion !== null ? `; did you mean "${suggestion}"?` : '';
    const message = `unknown field "${key}"${where ? ` in ${where}` : ''}${didYouMean} (accepted: ${issue.message})`;
    return { offset: offsetOf(locate(doc, [...path, key], true).node), message, missing: false };
  }
  const { node, found } = locate(doc, path);
  const offset = offsetOf(node);
  if (issue.code === 'custom' && issue.params?.['sentence']) return { offset, message: issue.message, missing: false };
  if (!found)
    return { offset, message: `missing field "${jsonPath(path)}"; it must be ${issue.message}`, missing: true };
  const subject = path.length === 0 ? 'the scenario' : jsonPath(path);
  const hint = issue.code === 'custom' && typeof issue.params?.['hint'] === 'string' ? `; ${issue.params['hint']}` : '';
  return {
    offset,
    message: `${subject} must be ${issue.message} (got ${describeValue(valueAt(data, path))})${hint}`,
    missing: false,
  };
}

/** The problem to report: the first in the file, since the reader fixes it top to bottom; missing fields last. */
function firstProblem(problems: Problem[]): Problem {
  return problems.reduce((best, problem) =>
    Number(problem.missing) < Number(best.missing) || (problem.missing === best.missing && problem.offset < best.offset)
      ? problem
      : best,
  );
}

function offsetOf(node: Node | null): number {
  return node?.range?.[0] ?? 0;
}

// ---- entry points ------------------------------------------------------------------------------------------

/** Parses and validates a scenario; throws a one-line UsageError pointing at the first problem in the file. */
export function parseScenario(text: string, file: string): Scenario {
  const lineCounter = new LineCounter();
  const fail = (offset: number, message: string): never => {
    const { line, col } = lineCounter.linePos(offset);
    throw new UsageError(`${file}:${line}:${col}: ${message}`);
  };

  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntaxError = doc.errors[0];
  if (syntaxError) fail(syntaxError.pos[0], `invalid YAML: ${syntaxError.message}`);
  if (doc.contents === null) fail(0, 'the file is empty; a scenario needs at least name and workload');

  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // toJS refuses alias bombs ("Excessive alias count"), which the parser itself accepts.
    fail(0, `invalid YAML: ${(error as Error).message}`);
  }

  const result = scenarioFile.safeParse(data);
  if (result.success) {
    const scenario = toScenario(result.data);
    // Where the fields checked after reading are written, so that a problem found then points at them too.
    const sourceOf = (path: Path): string => {
      const { line, col } = lineCounter.linePos(offsetOf(locate(doc, path).node));
      return `${file}:${line}:${col}: ${jsonPath(path)}`;
    };
    return {
      ...scenario,
      ...(scenario.thresholds !== undefined && {
        thresholdSources: scenario.thresholds.map((_, index) => sourceOf(['thresholds', index])),
      }),
      ...(scenario.target !== undefined && { targetSources: targetSources(scenario.target, sourceOf) }),
    };
  }
  // zod reports in schema order, not in the order of the file.
  const first = firstProblem(result.error.issues.map((issue) => describeIssue(issue, doc, data)));
  return fail(first.offset, first.message);
}

function targetSources(target: ScenarioTarget, sourceOf: (path: Path) => string): TargetSources {
  return Object.fromEntries(Object.keys(target).map((field) => [field, sourceOf(['target', field])]));
}

/** Reads and parses a scenario file; an unreadable file is a UsageError too. */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`scenario file ${file}: cannot read it (${reason})`);
  }
  return parseScenario(text, file);
}
