/**
 * The documents the tool reads back (bench, size and observe results): each is checked whole against its zod schema,
 * and what is wrong with it is said in one sentence naming the first bad field's JSON path, what was found and what
 * is expected.
 */
import type { z } from 'zod';
import { BENCH_SCHEMA, benchResultSchema, type BenchResult } from './schema/bench.js';
import { OBSERVE_SCHEMA, observeResultSchema, type ObserveResult } from './schema/observe.js';
import { SIZE_SCHEMA, sizeResultSchema, type SizeResult } from './schema/size.js';

interface DocumentKind<T> {
  schema: string;
  validator: z.ZodType<T>;
  /** The command that writes such a document, for the sentence that says how to make one. */
  writtenBy: string;
}

export const DOCUMENT_KINDS = {
  bench: {
    schema: BENCH_SCHEMA,
    validator: benchResultSchema,
    writtenBy: 'redis-pool bench --output FILE',
  } as DocumentKind<BenchResult>,
  size: {
    schema: SIZE_SCHEMA,
    validator: sizeResultSchema,
    writtenBy: 'redis-pool size --json > FILE',
  } as DocumentKind<SizeResult>,
  observe: {
    schema: OBSERVE_SCHEMA,
    validator: observeResultSchema,
    writtenBy: 'redis-pool observe --output FILE',
  } as DocumentKind<ObserveResult>,
};
export type DocumentKindName = keyof typeof DOCUMENT_KINDS;
export type DocumentOf<K extends DocumentKindName> =
  (typeof DOCUMENT_KINDS)[K] extends DocumentKind<infer T> ? T : never;

export type Checked<T> = { ok: true; document: T } | { ok: false; problem: string };

/**
 * Checks a parsed JSON value against the kinds a reader accepts (told apart by their `schema` string). The problem,
 * when there is one, is a sentence without the file's name: the reader puts that in front.
 */
export function checkDocument<K extends DocumentKindName>(
  data: unknown,
  accepted: readonly K[],
): Checked<DocumentOf<K>> {
  const kinds = accepted.map((name) => DOCUMENT_KINDS[name]);
  const wanted = kinds.map((kind) => `a ${kind.schema} document (${kind.writtenBy})`).join(' or ');
  const isObject = data !== null && typeof data === 'object' && !Array.isArray(data);
  const schema = isObject ? (data as { schema?: unknown }).schema : undefined;
  if (typeof schema !== 'string') {
    const noSchema = isObject ? ' with no "schema" field' : '';
    return {
      ok: false,
      problem: `not a redis-pool document (found ${describeValue(data)}${noSchema}); expected ${wanted}`,
    };
  }
  const kind = kinds.find((candidate) => candidate.schema === schema);
  if (kind === undefined) return { ok: false, problem: wrongSchema(schema, kinds, wanted) };
  const result = kind.validator.safeParse(data, { reportInput: true });
  if (result.success) return { ok: true, document: result.data as DocumentOf<K> };
  const issue = result.error.issues[0]!;
  return { ok: false, problem: describeIssue(issue, kind.validator, data) };
}

/** Another version of an accepted kind gets its own sentence; another kind of document, or none, another. */
function wrongSchema(schema: string, kinds: DocumentKind<unknown>[], wanted: string): string {
  const family = (name: string): string => name.replace(/\/v\d+$/, '');
  const sameKind = kinds.find((kind) => family(kind.schema) === family(schema));
  if (sameKind !== undefined) {
    return (
      `written as ${JSON.stringify(schema)} by another version of redis-pool; ` +
      `this one reads ${sameKind.schema}: write it again with this version (${sameKind.writtenBy})`
    );
  }
  return `a ${JSON.stringify(schema)} document; expected ${wanted}`;
}

type Path = readonly PropertyKey[];

function describeIssue(issue: z.core.$ZodIssue, root: z.ZodType, data: unknown): string {
  const found = valueAt(data, issue.path);
  const where = jsonPath(issue.path);
  const prefix = where === '' ? '' : `${where}: `;
  const expected = expectedBy(issue, schemaAt(root, issue.path));
  if (found === undefined) return `${prefix}missing; expected ${expected}`;
  return `${prefix}expected ${expected}, found ${describeValue(found)}`;
}

/** What the schema wants where the issue is, in words: "a number ≥ 0", "an object with unit, count, mean, p50, …". */
function expectedBy(issue: z.core.$ZodIssue, schema: z.core.$ZodType | undefined): string {
  switch (issue.code) {
    case 'invalid_type':
      return describeType(issue.expected, schema) + (schema !== undefined && acceptsNull(schema) ? ' or null' : '');
    case 'too_small':
      return issue.origin === 'array'
        ? `a list of at least ${String(issue.minimum)} item(s)`
        : `a number ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `a list of at most ${String(issue.maximum)} item(s)`
        : `a number ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? JSON.stringify(issue.values[0])
        : `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    default:
      return issue.message;
  }
}

function describeType(expected: string, schema: z.core.$ZodType | undefined): string {
  switch (expected) {
    case 'object': {
      const keys = objectKeys(schema);
      if (keys.length === 0) return 'an object';
      return `an object with ${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', …' : ''}`;
    }
    case 'array':
      return 'a list';
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    default:
      return `a ${expected}`;
  }
}

interface Def {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  element?: z.core.$ZodType;
  innerType?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  items?: z.core.$ZodType[];
}

const defOf = (schema: z.core.$ZodType): Def => schema._zod.def;

/** Looks through optional, nullable and default wrappers to the schema that holds the value. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let inner = schema;
  for (let def = defOf(inner); def.innerType !== undefined; def = defOf(inner)) inner = def.innerType;
  return inner;
}

function acceptsNull(schema: z.core.$ZodType): boolean {
  for (let inner: z.core.$ZodType | undefined = schema; inner !== undefined; inner = defOf(inner).innerType) {
    if (defOf(inner).type === 'nullable') return true;
  }
  return false;
}

function objectKeys(schema: z.core.$ZodType | undefined): string[] {
  if (schema === undefined) return [];
  return Object.keys(defOf(unwrap(schema)).shape ?? {});
}

/** The schema of the value at a path, through objects, lists, tuples and records. */
function schemaAt(root: z.core.$ZodType, path: Path): z.core.$ZodType | undefined {
  let schema: z.core.$ZodType | undefined = root;
  for (const segment of path) {
    if (schema === undefined) return undefined;
    const def = defOf(unwrap(schema));
    if (def.shape !== undefined) schema = def.shape[String(segment)];
    else if (def.element !== undefined) schema = def.element;
    else if (def.items !== undefined) schema = def.items[Number(segment)];
    else schema = def.valueType;
  }
  return schema;
}

function valueAt(data: unknown, path: Path): unknown {
  let value = data;
  for (const segment of path) value = (value as Record<PropertyKey, unknown> | null | undefined)?.[segment];
  return value;
}

/** A JSON path as a person writes it: "results[0].latency.p50". */
export function jsonPath(path: Path): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${String(segment)}` : String(segment);
  }
  return text;
}

/** A found value in a few words: a short value as JSON, a list or an object by its kind. */
function describeValue(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value) ?? String(value);
  return shown.length > 40 ? `${shown.slice(0, 37)}...` : shown;
}
