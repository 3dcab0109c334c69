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

      // Markdown is the default output: on stdout unless --html asks for the page alone.
      const markdownTarget = raw.markdown ?? (raw.html === undefined ? true : undefined);
      emit(markdownTarget, () => renderCapacityMarkdown(size, benches));
      emit(raw.html, () => renderCapacityHtml(size, benches, readChartJsSource()));
    });
}

/** Write a rendering to its file, or to stdout for `true` (a flag given without a file); nothing when not asked for. */
function emit(target: string | true | undefined, render: () => string): void {
  if (target === undefined) return;
  if (target === true) writeStdout(render());
  else writeAtomically(target, render());
}
