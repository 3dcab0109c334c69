// An output that cannot be written is refused before the first connection; one that fails after the run loses nothing.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../helpers/fixtures.js';
import { getsServed, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { runCli, startCli, writtenDocument } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

let redis: TestRedis;
let probe: Redis;
let dir: string;

beforeAll(async () => {
  redis = await startRedis();
  probe = redis.client();
  dir = tempDir('unwritable');
});
afterAll(async () => {
  await redis?.stop();
});

/** Connections the server has accepted so far (the test's own client, opened once, among them). */
async function accepted(): Promise<number> {
  const info = await probe.info('stats');
  return Number(/total_connections_received:(\d+)/.exec(info)?.[1]);
}

describe('every file flag of every command is checked before the first connection', () => {
  const bench = (flags: string[]): string[] => [
    'bench',
    '--url',
    redis.url,
    '--strategy',
    'multiplexed',
    '--requests',
    '100',
    ...flags,
  ];
  const cases: [name: string, argv: () => string[], line: RegExp][] = [
    [
      'bench --output <a folder>',
      () => bench(['--output', tmpdir()]),
      /^redis-pool: --output \/tmp: is a folder; give the name of a file to write, e\.g\. \/tmp\/result\.json\n$/,
    ],
    [
      'bench --export-prom <a folder>',
      () => bench(['--export-prom', tmpdir()]),
      /^redis-pool: --export-prom \/tmp: is a folder/,
    ],
    [
      'bench --markdown /proc/version',
      () => bench(['--markdown', '/proc/version']),
      /^redis-pool: --markdown \/proc\/version: cannot be created or replaced there \(E[A-Z]+\); give a file in a folder you can write to\n$/,
    ],
    [
      'bench --html in a missing folder',
      () => bench(['--html', '/nonexistent-dir/r.html']),
      /^redis-pool: --html \/nonexistent-dir\/r\.html: the folder \/nonexistent-dir does not exist\n$/,
    ],
    [
      'bench --export-bmf in /proc',
      () => bench(['--export-bmf', '/proc/bmf.json']),
      /^redis-pool: --export-bmf \/proc\/bmf\.json: cannot be created or replaced there/,
    ],
    [
      'bench --export-gab in /proc',
      () => bench(['--export-gab', '/proc/gab']),
      /^redis-pool: --export-gab \/proc\/gab-smaller-is-better\.json: cannot be created/,
    ],
    [
      'bench --export-hgrm under a file',
      () => bench(['--export-hgrm', '/proc/version/hgrm']),
      /^redis-pool: --export-hgrm \/proc\/version\/hgrm: \/proc\/version is not a folder\n$/,
    ],
    [
      'observe --output <a folder>',
      () => ['observe', '--url', redis.url, '-d', '1s', '--output', tmpdir()],
      /^redis-pool: --output \/tmp: is a folder/,
    ],
    [
      'observe --markdown /proc/version',
      () => ['observe', '--url', redis.url, '-d', '1s', '--markdown', '/proc/version'],
      /^redis-pool: --markdown \/proc\/version: cannot be created/,
    ],
  ];

  it.each(cases)('%s: one line, exit 2, the server never reached', async (_, argv, line) => {
    const before = await accepted();
    const run = await runCli(argv());
    expect(run.stderr).toMatch(line);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(await accepted()).toBe(before);
  });

  it.each([
    [
      'merge --output <a folder>',
      ['merge', fixturePath('bench-result.json'), '--output', tmpdir()],
      /^redis-pool: --output \/tmp: is a folder/,
    ],
    [
      'report --html /proc/version',
      ['report', '--size', fixturePath('size-result.json'), '--html', '/proc/version'],
      /^redis-pool: --html \/proc\/version: cannot be created/,
    ],
    [
      'report --markdown <a folder>',
      ['report', '--size', fixturePath('size-result.json'), '--markdown', tmpdir()],
      /^redis-pool: --markdown \/tmp: is a folder/,
    ],
  ])('%s: one line, exit 2', async (_, argv, line) => {
    const run = await runCli(argv);
    expect(run.stderr).toMatch(line);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.exitCode).toBe(2);
  });

  it('writes to /dev/null without replacing it', async () => {
    const run = await runCli(bench(['--output', '/dev/null', '--json']));
    expect(run.exitCode).toBe(0);
    expect(writtenDocument(run.stdout, 'bench').results).toHaveLength(1);
  });
});

describe('a write that fails after the run', () => {
  it('saves the document in the temporary folder, names it in one line, and exits 1', async () => {
    const folder = join(dir, 'goes-away');
    mkdirSync(folder);
    const getsBefore = (await getsServed(redis.port, 0)) ?? 0;
    const running = startCli([
      'bench',
      '--url',
      redis.url,
      '--strategy',
      'multiplexed',
      '--duration',
      '3s',
      '--warmup',
      '0',
      '--output',
      join(folder, 'r.json'),
      '--markdown',
      join(dir, 'r.md'),
    ]);
    // The folder is removed once the load is under way: after the check, before the write.
    while ((await getsServed(redis.port, getsBefore + 100)) === null && running.child.exitCode === null)
      await sleep(50);
    rmSync(folder, { recursive: true });
    const run = await running.done;
    expect(run.exitCode, run.stderr).toBe(1);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const saved =
      /^redis-pool: --output \S+\/goes-away\/r\.json: could not be written after the run \(ENOENT\); nothing is lost, it was saved to (\S+)$/.exec(
        lines[0]!,
      )?.[1];
    expect(saved, run.stderr).toBeDefined();
    try {
      expect(writtenDocument(readFileSync(saved!, 'utf8'), 'bench').results[0]!.requests).toBeGreaterThan(0);
      // The other outputs were still written, and the table printed.
      expect(existsSync(join(dir, 'r.md'))).toBe(true);
      expect(run.stdout).toContain('multiplexed');
    } finally {
      rmSync(dirname(saved!), { recursive: true, force: true });
    }
  });
});
