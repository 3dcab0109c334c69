import { readFileSync } from 'node:fs';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { z } from 'zod';
import { parseDuration, parseFraction } from '../cli/parse-values.js';
import { UsageError } from '../errors.js';
import { STRATEGY_NAMES, WORKLOAD_COMMANDS, type PoolConfig } from '../report/bench-schema.js';
import { POOL_PROFILE_NAMES, type PoolProfileName } from './pool-profiles.js';

/**
 * Scenario files: a YAML description of one benchmark (workload, load shape, strategies, pool settings).
 * Every problem becomes one UsageError line `<file>:<line>:<column>: <what is wrong>`, pointing at the value,
 * the unknown key or (for a missing field) the mapping that lacks it.
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
  workload: {
    commands: ScenarioCommand[];
    valueSize?: number;
    keyspace?: number;
    commandsPerRequest?: number;
    pipeline?: boolean;
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
}

// ---- leaf values -------------------------------------------------------------------------------------------

/**
 * A leaf value: `convert` returns the parsed value, or undefined when the input is not acceptable.
 * The issue message is the `accepted` phrase; describeIssue() adds the field name and what was given.
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

/** Runs one of the CLI's strict parsers; undefined instead of its UsageError. */
function attempt<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (error instanceof UsageError) return undefined;
    throw error;
  }
}

function wholeNumber(min: number, max?: number) {
  const accepted = max === undefined ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
  return leaf(accepted, (input) =>
    Number.isSafeInteger(input) && (input as number) >= min && (max === undefined || (input as number) <= max)
      ? (input as number)
      : undefined,
  );
}

function positiveNumber(unit = '') {
  return leaf(`a number > 0${unit}`, (input) =>
    typeof input === 'number' && Number.isFinite(input) && input > 0 ? input : undefined,
  );
}

function oneOf<const T extends string>(choices: readonly T[]) {
  return leaf(`one of ${choices.join(', ')}`, (input) => (choices.includes(input as T) ? (input as T) : undefined));
}

const bool = leaf('true or false', (input) => (typeof input === 'boolean' ? input : undefined));

const DURATION_SPELLING = 'a duration such as 500ms, 10s, 2m or 1h (up to 24 h)';

/** A duration string, through the CLI's parser (same spellings as --duration). */
function durationText(input: unknown): number | undefined {
  return typeof input === 'string' ? attempt(() => parseDuration('duration', input)) : undefined;
}

/** `duration`: like --duration, a bare number means seconds. */
const duration = leaf(`${DURATION_SPELLING}; a bare number means seconds`, (input) =>
  typeof input === 'number' ? attempt(() => parseDuration('duration', String(input))) : durationText(input),
);

/** A field named …Ms: a number of milliseconds, or a duration string such as "30s". */
function milliseconds({ min, whole }: { min: 0 | 1; whole: boolean }) {
  const kind = whole ? 'a whole number' : 'a number';
  const accepted = `${kind} of ms ≥ ${min} or ${DURATION_SPELLING}`;
  const fits = (ms: number) => ms >= min && (!whole || Number.isSafeInteger(ms));
  return leaf(accepted, (input) => {
    const ms = typeof input === 'number' && Number.isFinite(input) ? input : durationText(input);
    return ms !== undefined && fits(ms) ? ms : undefined;
  });
}

const fraction = leaf('a fraction in (0, 1] or a percentage such as 10%', (input) =>
  typeof input === 'number' || typeof input === 'string'
    ? attempt(() => parseFraction('targetUtilization', String(input), { allowOne: true }))
    : undefined,
);

/**
 * `warmup`: a bare whole number counts requests, a duration string measures time, 0 turns warm-up off.
 * A quoted bare number ("100") is refused because it would read as seconds where the unquoted one means requests.
 */
const warmup = leaf('a whole number of requests (0 for none) or a duration such as 2s', (input) => {
  if (Number.isSafeInteger(input) && (input as number) >= 0) {
    const requests = input as number;
    return { requests: requests === 0 ? null : requests, durationMs: null };
  }
  if (typeof input === 'string' && /[a-z]\s*$/i.test(input)) {
    const durationMs = durationText(input);
    return durationMs === undefined ? undefined : { requests: null, durationMs };
  }
  return undefined;
});

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

const blockMs = milliseconds({ min: 1, whole: true });

const command = mapping({
  command: oneOf(WORKLOAD_COMMANDS),
  weight: positiveNumber(),
  valueSize: wholeNumber(1, 64 * 1024 * 1024).optional(),
  keyspace: wholeNumber(1).optional(),
  blockMs: blockMs.optional(),
}).superRefine((entry, ctx) => {
  if (entry.command === 'blpop' && entry.blockMs === undefined) {
    const accepted = 'a whole number of ms ≥ 1 or a duration such as 2s';
    sentence(ctx, [], `blpop needs blockMs, the BLPOP timeout; set blockMs to ${accepted}`);
  }
  if (entry.command !== 'blpop' && entry.command !== undefined && entry.blockMs !== undefined) {
    sentence(ctx, ['blockMs'], `blockMs is only for blpop, not ${entry.command}; remove it or use command: blpop`);
  }
});

const workload = mapping({
  commands: z.array(command, { error: 'a list of { command, weight } mappings' }).min(1, {
    error: 'a non-empty list of { command, weight } mappings',
  }),
  valueSize: wholeNumber(1, 64 * 1024 * 1024).optional(),
  keyspace: wholeNumber(1).optional(),
  commandsPerRequest: wholeNumber(1, 1000).optional(),
  pipeline: bool.optional(),
});

const pool = mapping({
  size: wholeNumber(1).optional(),
  minIdle: wholeNumber(0).optional(),
  acquireTimeoutMs: milliseconds({ min: 0, whole: true }).optional(),
  order: oneOf(['lifo', 'fifo']).optional(),
  idleTimeoutMs: milliseconds({ min: 0, whole: true }).optional(),
  evictionRunIntervalMs: milliseconds({ min: 0, whole: true }).optional(),
  maxLifetimeMs: milliseconds({ min: 0, whole: true }).optional(),
  testOnBorrow: bool.optional(),
  healthCheckIntervalMs: milliseconds({ min: 0, whole: true }).optional(),
  failFast: bool.optional(),
  profile: oneOf(POOL_PROFILE_NAMES).optional(),
}).superRefine((settings, ctx) => {
  if (settings.size !== undefined && settings.minIdle !== undefined && settings.minIdle > settings.size) {
    const { minIdle, size } = settings;
    sentence(ctx, ['minIdle'], `pool.minIdle (${minIdle}) is more than pool.size (${size}); use at most ${size}`);
  }
});

/** The file as written; toScenario() renames `duration` and fills in the description. */
const scenarioFile = mapping({
  name: nonEmptyText,
  description: text.optional(),
  workload,
  workers: wholeNumber(1, 10_000).optional(),
  targetUtilization: fraction.optional(),
  thinkMs: milliseconds({ min: 0, whole: false }).optional(),
  thinkDistribution: oneOf(['exponential', 'fixed']).optional(),
  duration: duration.optional(),
  requests: wholeNumber(1).optional(),
  warmup: warmup.optional(),
  rate: positiveNumber(' requests per second').optional(),
  strategies: list(
    oneOf(STRATEGY_NAMES),
    { field: 'strategies', item: 'strategy' },
    `a non-empty list of ${STRATEGY_NAMES.join(', ')}`,
  ).optional(),
  pool: pool.optional(),
  poolSizes: list(
    wholeNumber(1),
    { field: 'poolSizes', item: 'size' },
    'a non-empty list of pool sizes, whole numbers ≥ 1',
  ).optional(),
  thresholds: z
    .array(text, { error: 'a list of threshold strings such as "pooled:latency:p(99)<5"' })
    .optional(),
}).superRefine((file, ctx) => {
  if (file.targetUtilization !== undefined && file.thinkMs !== undefined) {
    sentence(ctx, ['thinkMs'], 'thinkMs and targetUtilization cannot both be set; give one of them');
  }
  if (file.duration !== undefined && file.requests !== undefined) {
    sentence(ctx, ['requests'], 'duration and requests cannot both be set; give one of them');
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

/** "workload.commands[1].weight" */
function label(path: Path): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${String(segment)}` : String(segment);
  }
  return text;
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
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document, data: unknown): Problem {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const key = String(issue.keys[0]);
    const where = label(path);
    const message = `unknown field "${key}"${where ? ` in ${where}` : ''} (accepted: ${issue.message})`;
    return { offset: offsetOf(locate(doc, [...path, key], true).node), message };
  }
  const { node, found } = locate(doc, path);
  const offset = offsetOf(node);
  if (issue.code === 'custom' && issue.params?.['sentence']) return { offset, message: issue.message };
  if (!found) return { offset, message: `missing field "${label(path)}"; it must be ${issue.message}` };
  const subject = path.length === 0 ? 'the scenario' : label(path);
  return { offset, message: `${subject} must be ${issue.message} (got ${describeValue(valueAt(data, path))})` };
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
  if (result.success) return toScenario(result.data);
  // zod reports in schema order; the reader fixes the file top to bottom, so report the earliest problem.
  const problems = result.error.issues.map((issue) => describeIssue(issue, doc, data));
  const first = problems.reduce((best, problem) => (problem.offset < best.offset ? problem : best));
  return fail(first.offset, first.message);
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
