import type { Command } from 'commander';
import { GROUP, groupedOption } from './help.js';
import { withTerminalFlags, type RawTerminalOptions } from './terminal-flags.js';

/** The outputs of a bench document, as commander hands them over: `bench` and `merge` write the same ones. */
export interface RawOutputOptions extends RawTerminalOptions {
  json?: boolean;
  output?: string;
  markdown?: string;
  html?: string;
  chart?: boolean;
  /** false with --no-color. */
  color?: boolean;
  exportGab?: string;
  exportBmf?: string;
  exportHgrm?: string;
  exportProm?: string;
}

/** The output flags of a bench document, defined once, under Output in --help (no renderer is loaded here: --help stays light). */
export function withOutputFlags(command: Command): Command {
  const output = (flags: string, description: string) => groupedOption(GROUP.output, flags, description);
  return withTerminalFlags(
    command
      .addOption(output('--json', 'print the redis-pool.bench/v1 document on stdout (and nothing else)'))
      .addOption(output('--output <file>', 'also write the redis-pool.bench/v1 document to this file'))
      .addOption(
        output(
          '--markdown <file>',
          'also write a Markdown report (appended to $GITHUB_STEP_SUMMARY too when it is set)',
        ),
      )
      .addOption(output('--html <file>', 'also write a self-contained HTML report with charts (opens offline)'))
      .addOption(
        output(
          '--export-gab <prefix>',
          'github-action-benchmark files: <prefix>-smaller-is-better.json (latency) and <prefix>-bigger-is-better.json (throughput)',
        ),
      )
      .addOption(
        output(
          '--export-hgrm <dir>',
          'one HdrHistogram percentile-distribution file (.hgrm, ms) per strategy in this folder',
        ),
      )
      .addOption(
        output(
          '--export-prom <file>',
          "Prometheus text; pool metrics named after OpenTelemetry's db.client.connection conventions",
        ),
      )
      .addOption(output('--export-bmf <file>', 'Bencher Metric Format: latency (ns), throughput'))
      .addOption(
        output(
          '--chart',
          "print an ASCII chart under the table: the latency percentiles, or for a capacity curve each step's p99 by offered rate",
        ),
      )
      .addOption(output('--no-color', 'no colour whatever the terminal (as NO_COLOR=1)')),
  );
}
