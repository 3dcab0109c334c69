import { Command } from 'commander';
import { withOutputFlags } from './output-flags.js';
import type { RawMergeOptions } from './merge-run.js';

/** The merge command's flags and help; its work is imported only when it runs. */
export function mergeCommand(): Command {
  const command = new Command('merge')
    .description('one bench result from the runs of several load machines: histograms added exactly, counts summed')
    .summary('merge the bench results of several load machines')
    .argument('<bench.json...>', 'bench --output documents of one benchmark, run at the same time on several machines');
  // The merged document is a bench document: every output of bench, with the same flags.
  return withOutputFlags(command).action(async (files: string[], raw: RawMergeOptions) => {
    const { runMergeCommand } = await import('./merge-run.js');
    runMergeCommand(files, raw);
  });
}
