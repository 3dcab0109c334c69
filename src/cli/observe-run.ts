import { EXIT, RedisPoolError, TargetError } from '../errors.js';
import { observe } from '../observe/observer.js';
import type { RedisTarget } from '../redis/url.js';
import { renderObserveMarkdown } from '../report/observe-markdown.js';
import { renderObserveTable } from '../report/observe-terminal.js';
import type { TerminalLayout } from '../report/layout.js';
import type { ObserveResult } from '../schema/observe.js';
import { withInterruptHandling } from './interrupt.js';
import { stdoutStyle, writeStderr } from './output.js';
import { OutputPlan } from './output-plan.js';
import { plural } from '../format.js';

export interface ObserveFlags {
  target: RedisTarget;
  durationMs: number;
  intervalMs: number;
  connectTimeoutMs: number;
  json: boolean;
  markdown: string | undefined;
  output: string | undefined;
  quiet: boolean;
  colour: boolean;
  layout: TerminalLayout;
}

/** `redis-pool observe`: every output checked, the server read for the duration, the report written; 130 after Ctrl-C. */
export async function runObserveCommand(flags: ObserveFlags): Promise<void> {
  const style = stdoutStyle(flags.json, flags.colour);
  const outputs = new OutputPlan<ObserveResult>()
    .stdout('--json', flags.json, (result) => `${JSON.stringify(result, null, 2)}\n`)
    .document('--output', flags.output, (result) => `${JSON.stringify(result, null, 2)}\n`)
    .document('--markdown', flags.markdown, renderObserveMarkdown)
    .otherwiseStdout((result) => `${renderObserveTable(result, style, flags.layout)}\n`);
  outputs.check();
  const progress = process.stderr.isTTY === true && !flags.quiet;
  const result = await withInterruptHandling(null, (signal) =>
    observe(flags.target, {
      durationMs: flags.durationMs,
      intervalMs: flags.intervalMs,
      connectTimeoutMs: flags.connectTimeoutMs,
      signal,
      onSample: progress ? (done, planned) => process.stderr.write(`\robserve: sample ${done}/${planned}`) : undefined,
    }),
  );
  if (progress) process.stderr.write('\r\x1b[K');
  outputs.write(result);
  const lost = result.warnings.find((w) => w.code === 'observe-connection-lost');
  if (lost) throw new TargetError(`${lost.message} (the report of those samples was written)`);
  if (result.interrupted) {
    if (!flags.quiet) writeStderr(`redis-pool: observed ${plural(result.samples, 'sample')} before the stop`);
    throw new RedisPoolError('interrupted: partial results written', EXIT.interrupted);
  }
}
