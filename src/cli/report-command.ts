import { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { BenchResult } from '../schema/bench.js';
import type { SizeResult } from '../schema/size.js';
import { capacityReportDocument, REPORT_SCHEMA } from '../report/capacity-json.js';
import { renderCapacityHtml } from '../report/capacity-html.js';
import { renderCapacityMarkdown } from '../report/capacity-markdown.js';
import { readChartJsSource } from './chart-library.js';
import { readBenchResult, readSizeResult } from './files.js';
import { OutputPlan, STDOUT_FILE } from './output-plan.js';

/** What the report is made of: the plan and the runs that measured it. */
interface Inputs {
  size: SizeResult;
  benches: { file: string; result: BenchResult }[];
}

interface RawReportOptions {
  size?: string;
  bench?: string[];
  /** true (no file given): to stdout; a file, or - for stdout. */
  markdown?: string | true;
  html?: string | true;
  json?: boolean;
}

export function reportCommand(): Command {
  return new Command('report')
    .description('a capacity-planning report for a fleet: the size plan beside the measured evidence of bench runs')
    .option('--size <size.json>', 'the plan: a `redis-pool size --json` document (required)')
    .option('--bench <bench.json...>', 'measured evidence: `redis-pool bench --output` documents (one or more)')
    .option('--markdown [file]', 'Markdown (the default) to this file; without a file or with -, on stdout')
    .option('--html [file]', 'a self-contained HTML page, with the charts of the runs, to this file; without a file or with -, on stdout')
    .option('--json', `print the report as one ${REPORT_SCHEMA} document on stdout (and nothing else)`)
    .action((raw: RawReportOptions) => {
      if (raw.size === undefined) throw new UsageError('report needs --size <size.json> (write one with redis-pool size … --json > size.json)');
      const markdown = toFile(raw.markdown);
      const html = toFile(raw.html);
      // Markdown is the default output: on stdout when nothing else was asked for.
      const markdownTarget = markdown ?? (html === undefined && !raw.json ? STDOUT_FILE : undefined);
      const outputs = new OutputPlan<Inputs>()
        .stdout('--json', raw.json === true, ({ size, benches }) => `${JSON.stringify(capacityReportDocument(size, benches), null, 2)}\n`)
        .document('--markdown', markdownTarget, ({ size, benches }) => renderCapacityMarkdown(size, benches), '--markdown')
        .document('--html', html, ({ size, benches }) => renderCapacityHtml(size, benches, readChartJsSource()), '--html');
      outputs.check();
      const size = readSizeResult('--size', raw.size);
      const benches = (raw.bench ?? []).map((file) => ({ file, result: readBenchResult('--bench', file) }));
      outputs.write({ size, benches });
    });
}

/** A flag given without a file writes to stdout, like `-`. */
function toFile(target: string | true | undefined): string | undefined {
  return target === true ? STDOUT_FILE : target;
}
