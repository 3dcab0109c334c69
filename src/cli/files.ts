/**
 * The result files a command reads (--baseline, --bench, --size, merge's inputs, size --from: bench or observe), each
 * validated whole before use; what a command writes is planned in output-plan.ts.
 */
import { readFileSync } from 'node:fs';
import { checkDocument, type DocumentKindName, type DocumentOf } from '../documents.js';
import { UsageError } from '../errors.js';
import type { BenchResult } from '../schema/bench.js';
import { OBSERVE_SCHEMA } from '../schema/names.js';
import type { ObserveResult } from '../schema/observe.js';
import type { SizeResult } from '../schema/size.js';

/** Read and parse a JSON file named by a flag; any failure is a one-line UsageError naming the flag and file. */
export function readJsonFile(flag: string, file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`${flag} ${file}: cannot read it (${code})`);
  }
  if (text.trim() === '')
    throw new UsageError(`${flag} ${file}: the file is empty; expected a JSON document written by redis-pool`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // The parser's message can quote the text around the error, line breaks and all.
    const reason = (error as Error).message.replace(/\s+/g, ' ');
    throw new UsageError(`${flag} ${file}: not valid JSON (${reason})`);
  }
}

/** A document of one of the accepted kinds, validated whole; anything else is a one-line UsageError. */
function readDocument<K extends DocumentKindName>(flag: string, file: string, accepted: readonly K[]): DocumentOf<K> {
  const checked = checkDocument(readJsonFile(flag, file), accepted);
  if (!checked.ok) throw new UsageError(`${flag} ${file}: ${checked.problem}`);
  return checked.document;
}

/** A `redis-pool bench --output` document named by a flag. */
export function readBenchResult(flag: string, file: string): BenchResult {
  return readDocument(flag, file, ['bench']);
}

/** A `redis-pool size --json` document named by a flag. */
export function readSizeResult(flag: string, file: string): SizeResult {
  return readDocument(flag, file, ['size']);
}

/** What `size --from` reads: a bench result, or an observe document (told apart by their schema). */
export function readMeasuredDocument(
  flag: string,
  file: string,
): { kind: 'bench'; result: BenchResult } | { kind: 'observe'; result: ObserveResult } {
  const document = readDocument(flag, file, ['bench', 'observe']);
  return document.schema === OBSERVE_SCHEMA
    ? { kind: 'observe', result: document }
    : { kind: 'bench', result: document };
}
