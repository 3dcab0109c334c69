import { applyGate, gateFailure } from '../bench/gates/gate.js';
import { mergeResults } from '../bench/scale-out/merge.js';
import { EXIT, RedisPoolError } from '../errors.js';
import { checkedBenchOutputs } from './bench-outputs.js';
import { readBenchResult } from './files.js';
import type { RawOutputOptions } from './output-flags.js';

/** What commander hands over: the outputs of a bench document. */
export type RawMergeOptions = RawOutputOptions;

/**
 * `redis-pool merge`: every output checked (bench's outputs, all of them), the results read and merged, the
 * thresholds of their configuration applied to the merged runs (exit 99 when one fails, as bench does), every
 * output written.
 */
export function runMergeCommand(files: string[], raw: RawMergeOptions): void {
  const outputs = checkedBenchOutputs(raw).confirmWrites();
  const inputs = files.map((file) => ({ file, result: readBenchResult('merge', file) }));
  const result = applyGate(mergeResults(inputs), null);
  outputs.write(result);
  const failure = gateFailure(result);
  if (failure !== null) throw new RedisPoolError(failure, EXIT.thresholdFailed);
}
