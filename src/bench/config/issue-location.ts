import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../../errors.js';
import { jsonPath } from '../../documents.js';
import { closestMatch } from '../../did-you-mean.js';

/**
 * Where a problem in a YAML file is: a zod issue's path followed through the YAML nodes to `<file>:<line>:<column>`,
 * and the issue said as one line. The schemas that check a YAML file (scenario files) word their issues for it:
 * - a leaf's issue message is what it accepts (the phrase after "must be"), with `params.hint` saying how to fix a
 *   likely mistake; the line says the field, what it must be and what it got;
 * - an issue added by sentence() is already a whole sentence, said as it is;
 * - a strict mapping's unknown key (`unrecognized_keys`) carries the accepted keys, comma-separated, as its message.
 * The line points at the value, the unknown key, or (for a missing field) the mapping that lacks it.
 */

export type Path = readonly PropertyKey[];

/** An issue whose message is already a full sentence (not an accepted phrase to decorate). */
export function sentence(ctx: z.RefinementCtx, path: PropertyKey[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message, params: { sentence: true } });
}

/** A YAML file read: its data, and where each of its values is written. */
export interface YamlFile {
  readonly file: string;
  /** The file holds no document (nothing, or only comments). */
  readonly empty: boolean;
  /** The document as plain data (aliases resolved); undefined when the file is empty. */
  readonly data: unknown;
  /** `<file>:<line>:<column>` of the value at `path`, or of the deepest node on the way when the path is absent. */
  where(path: Path): string;
  /** One line for the problem among `issues` that comes first in the file (a missing field after all others). */
  problem(issues: readonly z.core.$ZodIssue[], rootName: string): string;
}

/** Parses YAML text; a syntax error is a UsageError that points at it. */
export function readYaml(text: string, file: string): YamlFile {
  const lineCounter = new LineCounter();
  const at = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntaxError = doc.errors[0];
  if (syntaxError) throw new UsageError(`${at(syntaxError.pos[0])}: invalid YAML: ${syntaxError.message}`);
  let data: unknown;
  try {
    data = doc.contents === null ? undefined : doc.toJS();
  } catch (error) {
    // toJS refuses alias bombs ("Excessive alias count"), which the parser itself accepts.
    throw new UsageError(`${at(0)}: invalid YAML: ${(error as Error).message}`);
  }
  return {
    file,
    empty: doc.contents === null,
    data,
    where: (path) => at(offsetOf(locate(doc, path).node)),
    problem: (issues, rootName) => {
      // zod reports in schema order, not in the order of the file.
      const first = firstProblem(issues.map((issue) => describeIssue(issue, doc, data, rootName)));
      return `${at(first.offset)}: ${first.message}`;
    },
  };
}

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
  let node = doc.contents;
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

function offsetOf(node: Node | null): number {
  return node?.range?.[0] ?? 0;
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

function describeIssue(issue: z.core.$ZodIssue, doc: Document, data: unknown, rootName: string): Problem {
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
  const subject = path.length === 0 ? rootName : jsonPath(path);
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
