import { accessSync, constants, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { BENCH_SCHEMA, type BenchResult } from '../schema/bench.js';
import { SIZE_SCHEMA, type SizeResult } from '../schema/size.js';
import { writeStdout } from './output.js';

/** Read and parse a JSON file named by a flag; any failure is a one-line UsageError naming the flag and file. */
export function readJsonFile(flag: string, file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`${flag} ${file}: cannot read it (${code})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${flag} ${file}: not valid JSON (${(error as Error).message})`);
  }
}

/** A `redis-pool bench --output` document named by a flag; anything else is a one-line UsageError. */
export function readBenchResult(flag: string, file: string): BenchResult {
  const document = readJsonFile(flag, file) as Partial<BenchResult> | null;
  if (document?.schema !== BENCH_SCHEMA || !Array.isArray(document.results) || document.config === undefined) {
    throw new UsageError(`${flag} ${file}: not a ${BENCH_SCHEMA} result (write one with redis-pool bench --output)`);
  }
  return document as BenchResult;
}

/** A `redis-pool size --json` document named by a flag. */
export function readSizeResult(flag: string, file: string): SizeResult {
  const document = readJsonFile(flag, file) as Partial<SizeResult> | null;
  if (document?.schema !== SIZE_SCHEMA || document.fleet === undefined || !Array.isArray(document.models)) {
    throw new UsageError(`${flag} ${file}: not a ${SIZE_SCHEMA} result (write one with redis-pool size --json > size.json)`);
  }
  return document as SizeResult;
}

/** `-` as the file of an output flag means stdout, as in curl, tar and k6. */
export const STDOUT_FILE = '-';

/**
 * stdout carries one document: the human report, or the one output that asks for it (`--json`, a flag given
 * `-`). Two that ask for it are refused before any work, naming both.
 */
export function checkOneStdoutOutput(claims: string[]): void {
  if (claims.length > 1) {
    throw new UsageError(`${claims.join(' and ')} would ${claims.length === 2 ? 'both' : 'all'} print on stdout, which carries one document: give all but one of them a file`);
  }
}

/** Write a document to its file (atomically), or to stdout for `-`. */
export function writeOutput(file: string, text: string): void {
  if (file === STDOUT_FILE) writeStdout(text);
  else writeAtomically(file, text);
}

/** Fail before any work when an output file's folder is missing or not writable (stdout always is). */
export function checkWritable(flag: string, file: string): void {
  if (file === STDOUT_FILE) return;
  const dir = dirname(resolve(file));
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`${flag}: cannot write to ${JSON.stringify(dir)} (missing folder or no permission)`);
  }
}

/** Write to a temporary file beside the target and rename it, so a reader never sees half a document. */
export function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}
