import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/redis/free-port.js';
import type { CapacityReportDocument } from '../../src/report/capacity-json.js';
import type { AnatomyResult } from '../../src/schema/anatomy.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { fixturePath, readSizeFixture } from '../helpers/fixtures.js';
import { runCli, startCli, writtenDocument, type CliRun } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// The conventions every command shares (docs/conventions.md): what goes to stdout and stderr, help, version,
// colour, `-` for stdout, and where a URL came from.

const noEnvUrl = { REDIS_URL: undefined };

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const shortBench = (): string[] => [
  'bench',
  '--url',
  redis.url,
  '--strategy',
  'pooled',
  '-c',
  '2',
  '-n',
  '200',
  '--warmup',
  '0',
];

function expectOneLine(run: CliRun, exitCode: number, message: RegExp): void {
  expect(run.exitCode).toBe(exitCode);
  expect(run.stdout).toBe('');
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr.trimEnd()).toMatch(message);
}

describe('help and version', () => {
  it.each([['help bench'], ['bench --help'], ['help size'], ['help'], ['--help']])(
    '%s prints the help on stdout and exits 0',
    async (command) => {
      const run = await runCli(command.split(' '));
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toMatch(/^Usage: redis-pool/);
      expect(run.stderr).toBe('');
    },
  );

  it.each([['size'], ['bench'], ['anatomy'], ['report'], ['merge'], ['observe']])(
    '%s --help says where the report, its warnings, progress and errors go',
    async (command) => {
      const help = (await runCli([command, '--help'])).stdout;
      expect(help).toMatch(
        command === 'report'
          ? /^ {2}stdout +the report as Markdown, its warnings in it/m
          : /^ {2}stdout +the report: a table, its warnings under it/m,
      );
      expect(help).toMatch(
        command === 'report'
          ? /^ {2}stderr +errors, and a line for each file written$/m
          : /^ {2}stderr +progress and errors$/m,
      );
      expect(help).toMatch(/a file flag given - writes that\s+document to stdout/);
      expect(help).toMatch(/^Exit codes: 0 ok, 1 internal error/m);
    },
  );

  it.each([
    ['size', 'docs/size.md'],
    ['bench', 'docs/bench.md'],
    ['anatomy', 'docs/anatomy.md'],
    ['report', 'docs/reports.md'],
    ['merge', 'docs/scale-out.md'],
    ['observe', 'docs/observe.md'],
  ])('%s --help names its reference page, %s, and the page exists in the repository', async (command, page) => {
    const help = (await runCli([command, '--help'])).stdout;
    const named = /^Reference: +(\S+)/m.exec(help)?.[1];
    expect(named).toBe(page);
    expect(existsSync(join(import.meta.dirname, '..', '..', page))).toBe(true);
  });

  it('report --help names no flag that report refuses (no table, no --no-color)', async () => {
    const help = (await runCli(['report', '--help'])).stdout;
    expect(help).not.toContain('--no-color');
    expect(help).not.toContain('table');
    expect((await runCli(['report', '--no-color'])).exitCode).toBe(2);
  });

  it('help help prints the help and exits 0', async () => {
    const run = await runCli(['help', 'help']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^Usage: redis-pool \[options\] \[command\]/);
  });

  it('stops quietly when the reader closes stdout early (| head -1): no stack trace, exit 0', async () => {
    const cli = startCli(['bench', '--help']);
    cli.child.stdout!.destroy();
    const run = await cli.done;
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
  });

  it('exits 2 with one line for help on a command that does not exist', async () => {
    expectOneLine(
      await runCli(['help', 'nope']),
      2,
      /^redis-pool: unknown command 'nope' \(commands: size, bench, anatomy, report, merge, observe\)$/,
    );
  });

  it('names the Node.js version with --version, the tool version first', async () => {
    for (const flag of ['--version', '-V']) {
      const run = await runCli([flag]);
      expect(run.exitCode).toBe(0);
      const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
        version: string;
      };
      expect(run.stdout.trim()).toBe(`${version} (Node.js ${process.version} on ${process.platform}/${process.arch})`);
    }
  });

  it('lists the short flags in bench --help', async () => {
    const help = (await runCli(['bench', '--help'])).stdout;
    for (const flag of ['-c, --concurrency', '-n, --requests', '-d, --duration', '-q, --quiet', '--no-color'])
      expect(help).toContain(flag);
  });
});

describe('warnings are part of the report: stdout beside the table, warnings[] in JSON; stderr stays empty', () => {
  it('size', async () => {
    const table = await runCli(['size', '--preset', 'batch']);
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(/^warning: the pool \(3\) is larger than the number of threads \(1\)/m);
    expect(table.stderr).toBe('');
    const json = await runCli(['size', '--preset', 'batch', '--json']);
    expect(json.stderr).toBe('');
    expect(writtenDocument(json.stdout, 'size').warnings.map((w) => w.code)).toContain('pool-exceeds-threads');
  });

  it('bench', async () => {
    const table = await runCli(shortBench());
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(/^warning: server-side connection counts include any other client/m);
    expect(table.stderr).toBe('');
    const json = await runCli([...shortBench(), '--json']);
    expect(json.stderr).toBe('');
    expect(writtenDocument(json.stdout, 'bench').warnings.map((w) => w.code)).toContain('external-server-counts');
  });

  it('anatomy', async () => {
    const table = await runCli(['anatomy', '--url', redis.url, '--samples', '2']);
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(/^warning: the server is on this machine/m);
    expect(table.stderr).toBe('');
    const json = await runCli(['anatomy', '--url', redis.url, '--samples', '2', '--json']);
    expect(json.stderr).toBe('');
    expect((JSON.parse(json.stdout) as AnatomyResult).warnings.map((w) => w.code)).toEqual(['loopback-target']);
  });

  it('report', async () => {
    const args = [
      'report',
      '--size',
      fixturePath('size-result-near-limits.json'),
      '--bench',
      fixturePath('bench-result.json'),
    ];
    const markdown = await runCli(args);
    expect(markdown.stdout).toMatch(/^## Warnings$/m);
    expect(markdown.stderr).toBe('');
    const json = await runCli([...args, '--json']);
    expect(json.stderr).toBe('');
    const doc = JSON.parse(json.stdout) as CapacityReportDocument;
    expect(doc.warnings.length).toBeGreaterThan(0);
    expect(doc.warnings.map((w) => w.from)).toContain('plan');
  });
});

describe('--json on every command that prints a result', () => {
  it('report --json prints one redis-pool.report/v1 document: plan, recommendation, per node, evidence', async () => {
    const size = readSizeFixture('size-result.json');
    const run = await runCli([
      'report',
      '--size',
      fixturePath('size-result.json'),
      '--bench',
      fixturePath('bench-sweep-result.json'),
      '--json',
    ]);
    expect(run.exitCode).toBe(0);
    const doc = JSON.parse(run.stdout) as CapacityReportDocument;
    expect(doc).toMatchObject({
      schema: 'redis-pool.report/v1',
      tool: { name: 'redis-pool' },
      plan: { sizeSchema: 'redis-pool.size/v1', inputs: size.inputs },
      recommendation: { poolSize: size.queueing.poolSize, model: size.queueing.model, formulaPoolSize: size.poolSize },
      perNode: { formula: size.fleet.formula, queueing: size.fleet.queueing },
    });
    expect(doc.evidence).toHaveLength(1);
    expect(doc.evidence[0]).toMatchObject({
      file: fixturePath('bench-sweep-result.json'),
      sweep: { model: 'finite-source' },
    });
    expect(doc.evidence[0]!.sweep!.rows.length).toBeGreaterThan(1);
  });

  it('refuses report --json with --markdown or --html on stdout', async () => {
    expectOneLine(
      await runCli(['report', '--size', fixturePath('size-result.json'), '--json', '--markdown']),
      2,
      /^redis-pool: --json and --markdown would both print on stdout/,
    );
    expectOneLine(
      await runCli(['report', '--size', fixturePath('size-result.json'), '--json', '--html', '-']),
      2,
      /^redis-pool: --json and --html would both print on stdout/,
    );
  });
});

describe('- as a file means stdout', () => {
  it('bench --output - prints the document on stdout, instead of the table, and writes no file named -', async () => {
    const dir = tempDir('stdout');
    const run = await runCli([...shortBench(), '--output', '-'], { cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(writtenDocument(run.stdout, 'bench').schema).toBe('redis-pool.bench/v1');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('bench --markdown - and --export-prom - print that document alone', async () => {
    const markdown = await runCli([...shortBench(), '--markdown', '-']);
    expect(markdown.exitCode).toBe(0);
    expect(markdown.stdout).toMatch(/^# /);
    expect(markdown.stdout).not.toMatch(/┌/);
    const prom = await runCli([...shortBench(), '--export-prom', '-']);
    expect(prom.stdout).toMatch(/^# HELP /);
  });

  it.each([
    [
      ['--output', '-', '--json'],
      /^redis-pool: --json and --output - would both print on stdout, which carries one document/,
    ],
    [['--output', '-', '--markdown', '-'], /^redis-pool: --output - and --markdown - would both print on stdout/],
    [['--html', '-', '--chart'], /^redis-pool: --chart draws under the table, which --html - replaces on stdout/],
    [
      ['--export-gab', '-'],
      /^redis-pool: --export-gab writes several files, so it cannot go to stdout \(-\): give it a file prefix/,
    ],
    [
      ['--export-hgrm', '-'],
      /^redis-pool: --export-hgrm writes several files, so it cannot go to stdout \(-\): give it a folder/,
    ],
  ])('bench refuses %j before connecting', async (args, message) => {
    expectOneLine(await runCli(['bench', '--url', 'redis://127.0.0.1:1', ...args]), 2, message);
  });

  it('report --markdown - prints the Markdown', async () => {
    const run = await runCli(['report', '--size', fixturePath('size-result.json'), '--markdown', '-']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^# Capacity plan/);
  });
});

describe('colour', () => {
  it('--no-color turns it off even when FORCE_COLOR asks for it', async () => {
    const forced = { FORCE_COLOR: '1' };
    expect((await runCli(['size', '--preset', 'api'], { env: forced })).stdout).toMatch(/\u001b\[/);
    expect((await runCli(['size', '--preset', 'api', '--no-color'], { env: forced })).stdout).not.toMatch(/\u001b\[/);
    expect(
      (await runCli(['anatomy', '--url', redis.url, '--samples', '1', '--no-color'], { env: forced })).stdout,
    ).not.toMatch(/\u001b\[/);
    expect((await runCli([...shortBench(), '--no-color'], { env: forced })).stdout).not.toMatch(/\u001b\[/);
    expect((await runCli(shortBench(), { env: forced })).stdout).toMatch(/\u001b\[/);
  });
});

describe('a URL names where it came from', () => {
  it.each([['bench'], ['anatomy']])(
    '%s: REDIS_URL=localhost:6379 is blamed on REDIS_URL, with the fix',
    async (command) => {
      const run = await runCli([command], { env: { REDIS_URL: 'localhost:6379' } });
      expectOneLine(
        run,
        2,
        /^redis-pool: REDIS_URL has no scheme \(got "localhost:6379"\): write redis:\/\/localhost:6379/,
      );
    },
  );

  it('--url localhost:6379 is blamed on --url', async () => {
    expectOneLine(
      await runCli(['bench', '--url', 'localhost:6379'], { env: noEnvUrl }),
      2,
      /^redis-pool: --url has no scheme/,
    );
  });

  it.each([['bench'], ['anatomy']])('%s: a refused connection says to check the one that was used', async (command) => {
    const port = await findFreePort();
    const fromEnv = await runCli([command], { env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    expectOneLine(fromEnv, 3, /connection refused; is redis-server running there\? check REDIS_URL$/);
    const fromFlag = await runCli([command, '--url', `redis://127.0.0.1:${port}`], { env: noEnvUrl });
    expectOneLine(fromFlag, 3, /connection refused; is redis-server running there\? check --url$/);
  });

  it("anatomy's remedy names REDIS_URL when the URL came from it", async () => {
    const run = await runCli(['anatomy', '--samples', '1', '--json'], { env: { REDIS_URL: redis.url } });
    expect((JSON.parse(run.stdout) as AnatomyResult).warnings[0]!.remedy).toBe(
      'run it where your service runs, against the Redis it uses (REDIS_URL)',
    );
  });
});
