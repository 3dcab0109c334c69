import { Command } from 'commander';
import type { RawMergeOptions } from './merge-run.js';

/** The merge command's flags and help; its work is imported only when it runs. */
export function mergeCommand(): Command {
  return new Command('merge')
    .description('one bench result from the runs of several load machines: histograms added exactly, counts summed')
    .argument('<bench.json...>', 'bench --output documents of one benchmark, run at the same time on several machines')
    .option('--json', 'print the merged result as one JSON document on stdout (and nothing else)')
    .option('--output <file>', 'write the merged result (JSON) to this file; - for stdout')
    .option('--markdown <file>', 'write the merged result as a Markdown report; - for stdout')
    .option('--no-color', 'no colour in the table (also NO_COLOR=1)')
    .action(async (files: string[], raw: RawMergeOptions) => {
      const { runMergeCommand } = await import('./merge-run.js');
      runMergeCommand(files, raw);
    });
}
