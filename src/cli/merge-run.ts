import { applyGate, gateFailure } from '../bench/gate.js';
import { mergeResults } from '../bench/merge.js';
import { EXIT, RedisPoolError } from '../errors.js';
import { renderBenchMarkdown } from '../report/bench-markdown.js';
import { renderBenchTable } from '../report/bench-terminal.js';
import type { BenchResult } from '../schema/bench.js';
import { readBenchResult } from './files.js';
import { OutputPlan } from './output-plan.js';
import { stdoutStyle } from './output.js';

/** What commander hands over. */
export interface RawMergeOptions {
  json?: boolean;
  output?: string;
  markdown?: string;
  /** false with --no-color. */
  color?: boolean;
}

/**
 * `redis-pool merge`: every output checked, the results read and merged, the thresholds of their configuration
 * applied to the merged runs (exit 99 when one fails, as bench does), every output written.
 */
export function runMergeCommand(files: string[], raw: RawMergeOptions): void {
  const json = (result: BenchResult): string => `${JSON.stringify(result, null, 2)}\n`;
  const outputs = new OutputPlan<BenchResult>()
    .stdout('--json', raw.json === true, json)
    .document('--output', raw.output, json)
    .document('--markdown', raw.markdown, renderBenchMarkdown)
    .otherwiseStdout((result) => renderBenchTable(result, stdoutStyle(false, raw.color !== false)));
  outputs.check();
  const inputs = files.map((file) => ({ file, result: readBenchResult('merge', file) }));
  const result = applyGate(mergeResults(inputs), null);
  outputs.write(result);
  const failure = gateFailure(result);
  if (failure !== null) throw new RedisPoolError(failure, EXIT.thresholdFailed);
}
