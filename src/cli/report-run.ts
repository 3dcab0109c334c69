import { UsageError } from '../errors.js';
import type { BenchResult } from '../schema/bench.js';
import type { SizeResult } from '../schema/size.js';
import { capacityReportDocument } from '../report/capacity-json.js';
import { renderCapacityHtml } from '../report/capacity-html.js';
import { renderCapacityMarkdown } from '../report/capacity-markdown.js';
import { readChartJsSource } from './chart-library.js';
import { readBenchResult, readSizeResult } from './files.js';
import { OutputPlan, STDOUT_FILE } from './output-plan.js';
import { parsePeakRate } from './size-command.js';

/** What commander hands over. */
export interface RawReportOptions {
  size?: string;
  bench?: string[];
  /** true (no file given): to stdout; a file, or - for stdout. */
  markdown?: string | true;
  html?: string | true;
  json?: boolean;
  peakRate?: string;
}

/** What the report is made of: the plan and the runs that measured it. */
interface Inputs {
  size: SizeResult;
  benches: { file: string; result: BenchResult }[];
}

/** `redis-pool report`: every output checked, the documents read, the report written. */
export function runReportCommand(raw: RawReportOptions): void {
  if (raw.size === undefined)
    throw new UsageError('report needs --size <size.json> (write one with redis-pool size … --json > size.json)');
  const options = raw.peakRate === undefined ? {} : { peakRatePerSec: parsePeakRate(raw.peakRate) };
  const markdown = toFile(raw.markdown);
  const html = toFile(raw.html);
  // Markdown is the default output: on stdout when nothing else was asked for.
  const markdownTarget = markdown ?? (html === undefined && !raw.json ? STDOUT_FILE : undefined);
  const outputs = new OutputPlan<Inputs>()
    .stdout(
      '--json',
      raw.json === true,
      ({ size, benches }) => `${JSON.stringify(capacityReportDocument(size, benches, options), null, 2)}\n`,
    )
    .document(
      '--markdown',
      markdownTarget,
      ({ size, benches }) => renderCapacityMarkdown(size, benches, options),
      '--markdown',
    )
    .document(
      '--html',
      html,
      ({ size, benches }) => renderCapacityHtml(size, benches, readChartJsSource(), options),
      '--html',
    )
    .confirmWrites();
  outputs.check();
  const size = readSizeResult('--size', raw.size);
  const benches = (raw.bench ?? []).map((file) => ({ file, result: readBenchResult('--bench', file) }));
  outputs.write({ size, benches });
}

/** A flag given without a file writes to stdout, like `-`. */
function toFile(target: string | true | undefined): string | undefined {
  return target === true ? STDOUT_FILE : target;
}
