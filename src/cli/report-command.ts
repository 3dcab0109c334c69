import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { renderCapacityHtml } from '../report/capacity-html.js';
import { renderCapacityMarkdown } from '../report/capacity-report.js';
import { readChartJsSource } from './chart-library.js';
import { checkWritable, readBenchResult, readSizeResult, writeAtomically } from './files.js';
import { writeStdout } from './output.js';

interface RawReportOptions {
  size?: string;
  bench?: string[];
  /** true: to stdout; a string: to that file. */
  markdown?: string | true;
  html?: string | true;
}

export function reportCommand(): Command {
  return new Command('report')
    .description('a capacity-planning report for a fleet: the size plan beside the measured evidence of bench runs')
    .option('--size <size.json>', 'the plan: a `redis-pool size --json` document (required)')
    .option('--bench <bench.json...>', 'measured evidence: `redis-pool bench --output` documents (one or more)')
    .option('--markdown [file]', 'Markdown (the default) to this file; without a file, on stdout')
    .option('--html [file]', 'a self-contained HTML page, with the charts of the runs, to this file; without a file, on stdout')
    .action((raw: RawReportOptions) => {
      if (raw.size === undefined) throw new UsageError('report needs --size <size.json> (write one with redis-pool size … --json > size.json)');
      if (raw.markdown === true && raw.html === true) throw new UsageError('--markdown and --html cannot both go to stdout: give one of them a file');
      for (const [flag, target] of [['--markdown', raw.markdown], ['--html', raw.html]] as const) {
        if (typeof target === 'string') checkWritable(flag, target);
      }
      const size = readSizeResult('--size', raw.size);
      const benches = (raw.bench ?? []).map((file) => ({ file, result: readBenchResult('--bench', file) }));

      const toStdout = raw.markdown === true || raw.html === true || (raw.markdown === undefined && raw.html === undefined);
      const markdown = renderCapacityMarkdown(size, benches);
      if (typeof raw.markdown === 'string') writeAtomically(raw.markdown, markdown);
      if (raw.html !== undefined) {
        const html = renderCapacityHtml(size, benches, readChartJsSource());
        if (raw.html === true) writeStdout(html);
        else writeAtomically(raw.html, html);
      }
      if (toStdout && raw.html !== true) writeStdout(markdown);
    });
}
