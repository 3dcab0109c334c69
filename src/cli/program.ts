import { Command, CommanderError } from 'commander';
import { EXIT, RedisPoolError, UsageError } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { writeStderr } from './output.js';
import { anatomyCommand } from './anatomy-command.js';
import { benchCommand } from './bench-command.js';
import { mergeCommand } from './merge-command.js';
import { observeCommand } from './observe-command.js';
import { reportCommand } from './report-command.js';
import { sizeCommand } from './size-command.js';

/** The conventions every command follows, under each --help (README "Conventions"). */
const CONVENTIONS = `
Output: the report goes to stdout, a table with its warnings under it (a warning is part of the report;
with --json, one JSON document and nothing else, its warnings in warnings[]). Progress and errors go to
stderr. A file flag given - writes that document to stdout in place of the table; only one can.
Colour only when stdout is a terminal; --no-color or NO_COLOR=1 turn it off.
Exit codes: 0 ok, 1 internal error (a bug), 2 bad usage or input, 3 target unusable,
99 a threshold or regression check failed, 130 interrupted.`;

/** report writes documents, not a table: no table, no colour, no --no-color. */
const REPORT_CONVENTIONS = `
Output: the report goes to stdout as Markdown, its warnings in it (with --json, one JSON document and nothing
else, its warnings in warnings[]), unless --markdown or --html name a file. Errors go to stderr.
A file flag given - writes that document to stdout; only one can. No colour: Markdown, HTML and JSON have none.
Exit codes: 0 ok, 1 internal error (a bug), 2 bad usage or input.`;

/** Where each command's full reference lives in the repository (the README's own address is not known here). */
const REFERENCE_PAGES: Readonly<Record<string, string>> = {
  size: 'docs/size.md',
  bench: 'docs/bench.md',
  anatomy: 'docs/anatomy.md',
  report: 'docs/reports.md',
  merge: 'docs/scale-out.md',
  observe: 'docs/observe.md',
};

export function buildProgram(): Command {
  const program = new Command('redis-pool')
    .description('How many Redis connections should your service hold, and what does getting it wrong cost?')
    .version(versionLine(), '-V, --version', 'print the version of redis-pool and of the Node.js that runs it')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      // Commander's own errors (unknown flag, missing value) become one line, like ours.
      outputError: (message) => writeStderr(`redis-pool: ${message.trim().replace(/^error: /, '')}`),
    });
  for (const command of [sizeCommand(), benchCommand(), anatomyCommand(), reportCommand(), mergeCommand(), observeCommand()]) {
    const conventions = command.name() === 'report' ? REPORT_CONVENTIONS : CONVENTIONS;
    const page = REFERENCE_PAGES[command.name()];
    if (page !== undefined) command.addHelpText('after', `\nReference: ${page} (in the redis-pool repository)`);
    program.addCommand(command.exitOverride().configureOutput(program.configureOutput()).addHelpText('after', conventions));
  }
  program.addHelpText('after', CONVENTIONS);
  return program;
}

/** What --version prints: the tool's version first (for scripts), then the runtime that matters for bug reports. */
export function versionLine(): string {
  return `${TOOL_VERSION} (Node.js ${process.version} on ${process.platform}/${process.arch})`;
}

/** The only place that turns errors into exit codes. Returns the code; main.ts exits with it. */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(helpArguments(program, argv), { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return exitCodeFor(error);
  }
}

/**
 * `help <command>` for a command that does not exist: one line, as for `redis-pool nope` (commander would print the
 * whole help on stderr). `help help` is the help itself.
 */
function helpArguments(program: Command, argv: string[]): string[] {
  const [first, topic] = argv;
  if (first !== 'help' || topic === undefined) return argv;
  if (topic === 'help') return ['help'];
  const names = program.commands.map((command) => command.name());
  if (!names.includes(topic)) throw new UsageError(`unknown command '${topic}' (commands: ${names.join(', ')})`);
  return argv;
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // --help, `help <command>`, --version: commander says 0; its errors and a bare `redis-pool` (help on stderr) are usage.
    if (error.exitCode === 0) return EXIT.ok;
    // Commander has already printed its message through outputError (or the help, for a bare `redis-pool`).
    return EXIT.usage;
  }
  if (error instanceof RedisPoolError) {
    writeStderr(`redis-pool: ${error.message}`);
    return error.exitCode;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  writeStderr(`redis-pool: internal error (a bug, please report it): ${detail}`);
  return EXIT.internal;
}
