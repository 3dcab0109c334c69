import { CommanderError, Command, type Argument } from 'commander';
import { EXIT, RedisPoolError, UsageError } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { writeStderr } from './output.js';
import { commandFooter, GROUP, groupedOption, PROGRAM_FOOTER } from './help.js';
import { helpWidth } from './terminal-flags.js';
import { anatomyCommand } from './anatomy-command.js';
import { benchCommand } from './bench-command.js';
import { mergeCommand } from './merge-command.js';
import { observeCommand } from './observe-command.js';
import { reportCommand } from './report-command.js';
import { sizeCommand } from './size-command.js';

export function buildProgram(): Command {
  const program = new Command('redis-pool')
    .description('How many Redis connections should your service hold, and what does getting it wrong cost?')
    .version(versionLine(), '-V, --version', 'print the version of redis-pool and of its Node.js')
    .showSuggestionAfterError(true)
    .exitOverride()
    // The list of commands, one line each: a command's name and arguments (all take [options]), and its summary.
    .configureHelp({
      subcommandTerm: (command) => [command.name(), ...command.registeredArguments.map(argumentTerm)].join(' '),
    })
    .configureOutput({
      // Commander's own errors (unknown flag, missing value) become one line, like ours.
      outputError: (message) => writeStderr(`redis-pool: ${message.trim().replace(/^error: /, '')}`),
      // Commander wraps to the terminal's width, 80 columns piped; COLUMNS is honoured as for the reports.
      getOutHelpWidth: () => helpWidth(process.stdout),
      getErrHelpWidth: () => helpWidth(process.stderr),
    });
  for (const command of [
    sizeCommand(),
    benchCommand(),
    anatomyCommand(),
    reportCommand(),
    mergeCommand(),
    observeCommand(),
  ]) {
    // -h, --help with the other flags about what a command prints, last in its help.
    command.addHelpOption(groupedOption(GROUP.output, '-h, --help', 'display help for command'));
    program.addCommand(
      command
        .exitOverride()
        .configureOutput(program.configureOutput())
        .addHelpText('after', commandFooter(command.name())),
    );
  }
  program.addHelpText('after', PROGRAM_FOOTER);
  return program;
}

function argumentTerm(argument: Argument): string {
  const name = `${argument.name()}${argument.variadic ? '...' : ''}`;
  return argument.required ? `<${name}>` : `[${name}]`;
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
