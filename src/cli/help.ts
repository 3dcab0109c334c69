import { Option } from 'commander';

/**
 * The headings options are grouped under in --help. Commander prints a group where its first option was added, so
 * a command adds its options in the order its groups should read (bench: Target, Load, Pool, Faults and network,
 * Gates, Output, Scale-out, TLS).
 */
export const GROUP = {
  target: 'Target:',
  sampling: 'Sampling:',
  load: 'Load:',
  pool: 'Pool:',
  fleet: 'Fleet:',
  faults: 'Faults and network:',
  gates: 'Gates:',
  input: 'Input:',
  output: 'Output:',
  scaleOut: 'Scale-out:',
  tls: 'TLS:',
} as const;

/** An option shown under `heading`, whatever group the command adds it in (the shared flags carry their own). */
export function groupedOption(heading: string, flags: string, description: string): Option {
  return new Option(flags, description).helpGroup(heading);
}

// The texts under each --help are constant and kept within 80 columns, the width of piped help (PIPED_HELP_WIDTH);
// test/integration/help.test.ts checks them.

/** The conventions every command follows (docs/conventions.md). */
const CONVENTIONS = `
Conventions:
  stdout    the report: a table, its warnings under it (a warning is part of
            the report); with --json, one JSON document and nothing else,
            its warnings in warnings[]; a file flag given - writes that
            document to stdout in place of the table (only one can)
  stderr    progress and errors
  colour    only on a terminal; never with --no-color or NO_COLOR=1
Exit codes: 0 ok, 1 internal error (a bug), 2 bad usage or input, 3 target
            unusable, 99 a threshold or regression check failed,
            130 interrupted`;

/** report writes documents: no table, no colour, no --no-color. */
const REPORT_CONVENTIONS = `
Conventions:
  stdout    the report as Markdown, its warnings in it, unless --markdown or
            --html name a file; with --json, one JSON document and nothing
            else, its warnings in warnings[]; a file flag given - writes that
            document to stdout (only one can)
  stderr    errors, and a line for each file written
  colour    none: Markdown, HTML and JSON have none
Exit codes: 0 ok, 1 internal error (a bug), 2 bad usage or input`;

/** Where each command's full reference lives in the repository (the README's own address is not known here). */
const REFERENCE_PAGES: Readonly<Record<string, string>> = {
  size: 'docs/size.md',
  bench: 'docs/bench.md',
  anatomy: 'docs/anatomy.md',
  report: 'docs/reports.md',
  merge: 'docs/scale-out.md',
  observe: 'docs/observe.md',
};

/** What a command's --help ends with: the conventions, the exit codes and its reference page. */
export function commandFooter(name: string): string {
  const conventions = name === 'report' ? REPORT_CONVENTIONS : CONVENTIONS;
  const page = REFERENCE_PAGES[name];
  return page === undefined ? conventions : `${conventions}\nReference:  ${page} (in the redis-pool repository)`;
}

/** What `redis-pool --help` ends with, under the list of commands. */
export const PROGRAM_FOOTER = `
Examples:
  # the tutorial's API service, 20 threads at 10 %: a pool of 12
  redis-pool size --preset api
  # per-request, pooled and multiplexed against a throwaway redis-server
  redis-pool bench
  # your server, with pools of 8, 16, 24 and 32 connections
  redis-pool bench --url redis://host:6379 --strategy pooled --pool-size 8..32:8

redis-pool <command> --help: its options, where its output goes, exit codes.`;
