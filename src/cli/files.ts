/** The result files a command reads (--baseline, --bench, --size, size --from: bench or observe); what a command writes is planned in output-plan.ts. */
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { BENCH_SCHEMA, type BenchResult } from '../schema/bench.js';
import { OBSERVE_SCHEMA, type ObserveResult } from '../schema/observe.js';
import { SIZE_SCHEMA, type SizeResult } from '../schema/size.js';

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

/** What `size --from` reads: a bench result, or an observe document (told apart by their schema). */
export function readMeasuredDocument(flag: string, file: string): { kind: 'bench'; result: BenchResult } | { kind: 'observe'; result: ObserveResult } {
  const document = readJsonFile(flag, file) as { schema?: unknown; groups?: unknown } | null;
  if (document?.schema === OBSERVE_SCHEMA && Array.isArray(document.groups)) return { kind: 'observe', result: document as ObserveResult };
  return { kind: 'bench', result: readBenchResult(flag, file) };
}

/** A `redis-pool size --json` document named by a flag. */
export function readSizeResult(flag: string, file: string): SizeResult {
  const document = readJsonFile(flag, file) as Partial<SizeResult> | null;
  if (document?.schema !== SIZE_SCHEMA || document.fleet === undefined || !Array.isArray(document.models)) {
    throw new UsageError(`${flag} ${file}: not a ${SIZE_SCHEMA} result (write one with redis-pool size --json > size.json)`);
  }
  return document as SizeResult;
}
