import { Command } from 'commander';
import { REPORT_SCHEMA } from '../schema/report.js';
import type { RawReportOptions } from './report-run.js';
import { GROUP } from './help.js';

/** The report command's flags and help; its work is imported only when it runs. */
export function reportCommand(): Command {
  return new Command('report')
    .description('a capacity-planning report for a fleet: the size plan beside the measured evidence of bench runs')
    .summary('a capacity-planning report from size and bench results')
    .optionsGroup(GROUP.input)
    .option('--size <size.json>', 'the plan: a `redis-pool size --json` document (required)')
    .option('--bench <bench.json...>', 'measured evidence: `redis-pool bench --output` documents (one or more)')
    .option(
      '--peak-rate <per-second>',
      "the whole fleet's peak (requests/s; default: the plan's): the instances each strategy of a capacity curve " +
        'needs for it, and the connections they open per Redis node',
    )
    .optionsGroup(GROUP.output)
    .option('--markdown [file]', 'Markdown (the default) to this file; without a file or with -, on stdout')
    .option(
      '--html [file]',
      'a self-contained HTML page, with the charts of the runs, to this file; without a file or with -, on stdout',
    )
    .option('--json', `print the report as one ${REPORT_SCHEMA} document on stdout (and nothing else)`)
    .action(async (raw: RawReportOptions) => {
      const { runReportCommand } = await import('./report-run.js');
      runReportCommand(raw);
    });
}
