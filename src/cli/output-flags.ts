import type { Command } from 'commander';
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

/** The output flags of a bench document, defined once (no renderer is loaded here: --help stays light). */
export function withOutputFlags(command: Command): Command {
  return withTerminalFlags(command)
    .option('--json', 'print the redis-pool.bench/v1 document on stdout (and nothing else)')
    .option('--output <file>', 'also write the redis-pool.bench/v1 document to this file')
    .option('--export-gab <prefix>', 'github-action-benchmark files: <prefix>-smaller-is-better.json (latency) and <prefix>-bigger-is-better.json (throughput)')
    .option('--export-hgrm <dir>', 'one HdrHistogram percentile-distribution file (.hgrm, ms) per strategy in this folder')
    .option('--export-prom <file>', 'Prometheus text format, pool metrics named after the OpenTelemetry db.client.connection conventions')
    .option('--export-bmf <file>', 'Bencher Metric Format file (latency in ns, throughput)')
    .option('--markdown <file>', 'also write a Markdown report (appended to $GITHUB_STEP_SUMMARY too when it is set)')
    .option('--html <file>', 'also write a self-contained HTML report with charts (opens offline)')
    .option('--chart', 'print an ASCII chart of the latency percentiles under the table')
    .option('--no-color', 'no colour in the table, whatever the terminal (like NO_COLOR=1)');
}
