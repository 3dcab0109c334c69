import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { benchCommand } from '../../src/cli/bench-command.js';
import { parseBenchConfig, type RawBenchOptions } from '../../src/cli/bench-options.js';
import { runCli, writtenDocument } from '../helpers/run-cli.js';

// --help: every command's options under headings, within 80 columns at COLUMNS=80 and when piped, no empty
// defaults; redis-pool --help lists the commands one line each and three examples (docs/conventions.md).

const COMMANDS = ['size', 'bench', 'anatomy', 'report', 'merge', 'observe'] as const;
/** The arguments before --help: none (redis-pool --help), then each command. */
const EVERY_HELP: [string[]][] = [[[]], ...COMMANDS.map((command): [string[]] => [[command]])];

async function help(args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const run = await runCli([...args, '--help'], { env });
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  return run.stdout;
}

const widest = (text: string): number => Math.max(...text.split('\n').map((line) => stringWidth(line)));

/** The headings of a help: lines that are a heading alone (Usage: and Exit codes: carry text on their line). */
const headings = (text: string): string[] => text.split('\n').filter((line) => /^[A-Z][\w -]*:$/.test(line));

/** The lines under a heading, up to the next empty line. */
function section(text: string, heading: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

describe('every --help', () => {
  it.each(EVERY_HELP)('redis-pool %j --help fits 80 columns at COLUMNS=80 and piped without COLUMNS', async (args) => {
    const at80 = await help(args, { COLUMNS: '80' });
    expect(widest(at80)).toBeLessThanOrEqual(80);
    // Piped, help keeps to 80 columns (a report keeps 120): the same text as at COLUMNS=80.
    expect(await help(args, { COLUMNS: undefined })).toBe(at80);
  });

  it.each(EVERY_HELP)(
    'redis-pool %j --help wraps to COLUMNS when it is wider, and prints no empty default',
    async (args) => {
      const at120 = await help(args, { COLUMNS: '120' });
      expect(widest(at120)).toBeLessThanOrEqual(120);
      // A default that says nothing: what commander prints for a repeatable flag or a switch (wrapped or not).
      for (const text of [at120, await help(args, { COLUMNS: '80' })])
        expect(text.replace(/\s+/g, ' ')).not.toMatch(/\(default: (\[\]|false|true|""|undefined)\)/);
    },
  );

  it('bench --help at COLUMNS=120 uses the width (options wrap less than at 80)', async () => {
    const at80 = await help(['bench'], { COLUMNS: '80' });
    const at120 = await help(['bench'], { COLUMNS: '120' });
    expect(widest(at120)).toBeGreaterThan(80);
    expect(at120.split('\n').length).toBeLessThan(at80.split('\n').length);
  });
});

describe('options in groups', () => {
  it('bench --help: Target, Load, Pool, Faults and network, Gates, Output, Scale-out, TLS, in that order', async () => {
    const text = await help(['bench'], { COLUMNS: '80' });
    expect(headings(text)).toEqual([
      'Target:',
      'Load:',
      'Pool:',
      'Faults and network:',
      'Gates:',
      'Output:',
      'Scale-out:',
      'TLS:',
      'Conventions:',
    ]);
    const flags = (heading: string) =>
      section(text, heading)
        .filter((line) => /^ {2}-/.test(line))
        .map((line) => line.trim().split(/\s{2,}/)[0]!);
    expect(flags('Target:')).toEqual(['--url <redis-url>', '--cluster']);
    expect(flags('Load:')).toEqual(
      expect.arrayContaining([
        '-c, --concurrency <n>',
        '-d, --duration <time>',
        '-n, --requests <n>',
        '--rate <per-second>',
        '--think <ms>',
        '--utilization <share>',
        '--command <name>',
      ]),
    );
    expect(flags('Pool:')).toEqual(
      expect.arrayContaining([
        '--pool-size <n|list|range>',
        '--min-idle <n>',
        '--acquire-timeout <ms>',
        '--pool-profile <name>',
      ]),
    );
    expect(flags('Faults and network:')).toEqual([
      '--fault <kind@time>',
      '--rtt <ms>',
      '--connect-timeout <ms>',
      '--command-timeout <ms>',
      '--socket-timeout <ms>',
    ]);
    expect(flags('Gates:')).toEqual(['--threshold <expr>', '--baseline <result.json>', '--max-regression <share>']);
    expect(flags('Output:')).toEqual([
      '--json',
      '--output <file>',
      '--markdown <file>',
      '--html <file>',
      '--export-gab <prefix>',
      '--export-hgrm <dir>',
      '--export-prom <file>',
      '--export-bmf <file>',
      '--chart',
      '--no-color',
      '--details',
      '--wide',
      '-q, --quiet',
      '-h, --help',
    ]);
    expect(flags('Scale-out:')).toEqual(['--threads <n>', '--run-id <id>', '--start-at <time>']);
    expect(flags('TLS:')).toEqual(['--tls-ca <file>', '--tls-cert <file>', '--tls-key <file>', '--tls-insecure']);
  });

  it.each([
    ['size', ['Load:', 'Pool:', 'Fleet:', 'Input:', 'Output:']],
    ['anatomy', ['Target:', 'Sampling:', 'Output:', 'TLS:']],
    ['observe', ['Target:', 'Sampling:', 'Output:', 'TLS:']],
    ['report', ['Input:', 'Output:']],
    ['merge', ['Arguments:', 'Output:']],
  ])('%s --help groups its options under %j', async (command, expected) => {
    const text = await help([command], { COLUMNS: '80' });
    expect(headings(text)).toEqual([...expected, 'Conventions:']);
    expect(section(text, 'Output:').at(-1)).toMatch(/^ {2}-h, --help /);
  });
});

describe('redis-pool --help', () => {
  it('lists the commands, one line each', async () => {
    const text = await help([], { COLUMNS: '80' });
    const commands = section(text, 'Commands:');
    expect(commands.map((line) => line.trim().split(' ')[0])).toEqual([...COMMANDS, 'help']);
    for (const line of commands) expect(line).toMatch(/^ {2}\S.* {2,}\S/);
  });

  it('ends with three examples, each a command that runs as written', async () => {
    const text = await help([], { COLUMNS: '80' });
    const examples = section(text, 'Examples:')
      .filter((line) => !line.trim().startsWith('#'))
      .map((line) => line.trim());
    expect(examples).toEqual([
      'redis-pool size --preset api',
      'redis-pool bench',
      'redis-pool bench --url redis://host:6379 --strategy pooled --pool-size 8..32:8',
    ]);
    // The first is the tutorial's API service, a pool of 12 as its comment says.
    expect(text).toContain('a pool of 12');
    const size = await runCli(['size', '--preset', 'api', '--json']);
    expect(size.exitCode).toBe(0);
    expect(writtenDocument(size.stdout, 'size').poolSize).toBe(12);
    // The third sweeps 8, 16, 24 and 32 connections: its flags are read by bench's own parsers.
    const command = benchCommand().exitOverride();
    const { operands, unknown } = command.parseOptions(examples[2]!.split(' ').slice(2));
    expect([operands, unknown]).toEqual([[], []]);
    const config = parseBenchConfig(command.opts<RawBenchOptions>());
    expect(config.strategies).toEqual(['pooled']);
    expect(config.poolSizes).toEqual([8, 16, 24, 32]);
  });
});
