// Every command that reads a document back (bench --baseline, merge, report --bench/--size, size --from) refuses a
// damaged or foreign one in one line naming the file, the first bad field's JSON path, what was found and what is
// expected, exit 2, before anything runs or is written. The commands run in-process here (the whole command, from
// its argv), and once each as the real binary in test/integration/damaged-documents-cli.test.ts.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { fixturePath, readFixture } from '../../helpers/fixtures.js';
import { tempDir } from '../../helpers/temp-dir.js';

type Json = Record<string, unknown>;
type Damage = [name: string, damage: (document: Json) => unknown, problem: string];

const run0 = (document: Json): Json => (document['results'] as Json[])[0]!;

const OTHER_VERSION = (schema: string, command: string): string =>
  `written as "${schema.replace('/v1', '/v0')}" by another version of redis-pool; this one reads ${schema}: write it again with this version (${command})`;

const BENCH_WANTED = 'a redis-pool.bench/v1 document (redis-pool bench --output FILE)';
const MEASURED_WANTED = `${BENCH_WANTED} or a redis-pool.observe/v1 document (redis-pool observe --output FILE)`;

/** Damages of a real bench result, and what each reader must say about them (WANTED: the documents it takes). */
const BENCH_DAMAGES: Damage[] = [
  [
    'latency a string',
    (d) => void (run0(d)['latency'] = 'fast'),
    'results[0].latency: expected an object with unit, count, mean, p50, …, found "fast"',
  ],
  [
    'connections null',
    (d) => void (run0(d)['connections'] = null),
    'results[0].connections: expected an object with opened, openedBeforeWindow, openedInWindow, closed, …, found null',
  ],
  [
    'throughput a word',
    (d) => void (run0(d)['throughput'] = 'many'),
    'results[0].throughput: expected a number, found "many"',
  ],
  [
    'a run with no fields',
    (d) => void (d['results'] = [{}]),
    'results[0].strategy: missing; expected one of "per-request", "pooled", "multiplexed"',
  ],
  [
    'config a list',
    (d) => void (d['config'] = []),
    'config: expected an object with strategies, concurrency, requests, durationMs, …, found an empty list',
  ],
  ['negative requests', (d) => void (run0(d)['requests'] = -5), 'results[0].requests: expected a number ≥ 0, found -5'],
  ['fractional errors', (d) => void (run0(d)['errors'] = 1.5), 'results[0].errors: expected a whole number, found 1.5'],
  [
    'a percentile missing',
    (d) => void delete (run0(d)['latency'] as Json)['p99'],
    'results[0].latency.p99: missing; expected a number',
  ],
  [
    'an unknown strategy',
    (d) => void (run0(d)['strategy'] = 'pooledd'),
    'results[0].strategy: expected one of "per-request", "pooled", "multiplexed", found "pooledd"',
  ],
  [
    'a histogram not text',
    (d) => void ((run0(d)['latency'] as Json)['hdr'] = 5),
    'results[0].latency.hdr: expected a string, found 5',
  ],
  [
    'acquire wait empty',
    (d) => void (run0(d)['acquireWait'] = {}),
    'results[0].acquireWait.unit: missing; expected "ms"',
  ],
  [
    'the target a URL string',
    (d) => void (d['target'] = 'redis://x'),
    'target: expected an object with url, mode, redisVersion, server, …, found "redis://x"',
  ],
  ['startedAt missing', (d) => void delete d['startedAt'], 'startedAt: missing; expected a string'],
  ['warnings null', (d) => void (d['warnings'] = null), 'warnings: expected a list, found null'],
  [
    'a warning a string',
    (d) => void (d['warnings'] = ['oops']),
    'warnings[0]: expected an object with code, kind, level, message, …, found "oops"',
  ],
  [
    'the pool size a word',
    (d) => void ((d['config'] as Json)['pool'] = { ...((d['config'] as Json)['pool'] as Json), size: 'ten' }),
    'config.pool.size: expected a number, found "ten"',
  ],
  [
    'no strategies',
    (d) => void ((d['config'] as Json)['strategies'] = []),
    'config.strategies: expected a list of at least 1 item(s), found an empty list',
  ],
  ['interrupted a string', (d) => void (d['interrupted'] = 'no'), 'interrupted: expected true or false, found "no"'],
  [
    'an error count a word',
    (d) => void (run0(d)['errorsByKind'] = { timeout: 'x' }),
    'results[0].errorsByKind.timeout: expected a number, found "x"',
  ],
  [
    'the sweep a number',
    (d) => void (d['sweep'] = 3),
    'sweep: expected an object with model, workers, utilization, ratePerSec, … or null, found 3',
  ],
  [
    'another version',
    (d) => void (d['schema'] = 'redis-pool.bench/v0'),
    OTHER_VERSION('redis-pool.bench/v1', 'redis-pool bench --output FILE'),
  ],
  [
    'another kind of document',
    (d) => void (d['schema'] = 'redis-pool.size/v1'),
    'a "redis-pool.size/v1" document; expected WANTED',
  ],
  [
    'no schema',
    (d) => void delete d['schema'],
    'not a redis-pool document (found an object with no "schema" field); expected WANTED',
  ],
  ['a list', () => [1, 2], 'not a redis-pool document (found a list of 2); expected WANTED'],
  ['a number', () => 42, 'not a redis-pool document (found 42); expected WANTED'],
];

/** Files that are not JSON at all: written as text. */
const TEXT_DAMAGES: [name: string, text: string, problem: RegExp][] = [
  ['an empty file', '', /^the file is empty; expected a JSON document written by redis-pool$/],
  ['a truncated document', '{"schema": "redis-pool.bench/v1", "results": [', /^not valid JSON \([^\n]+\)$/],
  ['text across lines', 'abc\ndef\nghi', /^not valid JSON \([^\n]+\)$/],
];

const SIZE_DAMAGES: Damage[] = [
  ['the pool size a word', (d) => void (d['poolSize'] = 'twelve'), 'poolSize: expected a number, found "twelve"'],
  [
    'the fleet missing',
    (d) => void delete d['fleet'],
    'fleet: missing; expected an object with instances, shards, maxclients, fdLimit, …',
  ],
  [
    'a model of no name',
    (d) => void ((d['models'] as Json[])[0]!['model'] = 'mm1'),
    'models[0].model: expected one of "finite-source", "erlang-c", found "mm1"',
  ],
  [
    'a negative buffer',
    (d) => void ((d['inputs'] as Json)['buffer'] = -1),
    'inputs.buffer: expected a number ≥ 0, found -1',
  ],
  [
    'another version',
    (d) => void (d['schema'] = 'redis-pool.size/v0'),
    OTHER_VERSION('redis-pool.size/v1', 'redis-pool size --json > FILE'),
  ],
  [
    'a bench result',
    (d) => void (d['schema'] = 'redis-pool.bench/v1'),
    'a "redis-pool.bench/v1" document; expected a redis-pool.size/v1 document (redis-pool size --json > FILE)',
  ],
];

const OBSERVE_DAMAGES: Damage[] = [
  ['groups a map', (d) => void (d['groups'] = {}), 'groups: expected a list, found an object'],
  [
    'a group with no key',
    (d) => void delete (d['groups'] as Json[])[0]!['key'],
    'groups[0].key: missing; expected a string',
  ],
  [
    'a negative count',
    (d) => void ((d['server'] as Json)['acceptedInWindow'] = -3),
    'server.acceptedInWindow: expected a number ≥ 0, found -3',
  ],
  [
    'an unknown finding',
    (d) =>
      void ((d['groups'] as Json[])[0]!['findings'] = [
        { kind: 'slow', group: null, message: '', evidence: {}, remedy: '' },
      ]),
    'groups[0].findings[0].kind: expected one of "churn", "idle-pool", "at-ceiling", ' +
      '"blocking", "maxclients-headroom", "rejected-connections", "evicted-clients", found "slow"',
  ],
  [
    'another version',
    (d) => void (d['schema'] = 'redis-pool.observe/v0'),
    OTHER_VERSION('redis-pool.observe/v1', 'redis-pool observe --output FILE'),
  ],
];

let dir: string;
const good = { bench: fixturePath('bench-result.json'), size: fixturePath('size-result.json') };

beforeAll(() => {
  dir = tempDir('damaged');
});

/** A damaged copy of a fixture, written to a file of its own. */
function damaged(fixture: string, name: string, damage: (document: Json) => unknown): string {
  const document = readFixture<Json>(fixture);
  const replaced = damage(document);
  const file = join(dir, `${fixture.replace('.json', '')}-${name.replaceAll(' ', '-')}.json`);
  writeFileSync(file, JSON.stringify(replaced === undefined ? document : replaced));
  return file;
}

/** A whole command run in-process, its stdout, stderr and exit code; a refused read must never reach the server. */
async function command(argv: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((text) => out.push(String(text)) > 0);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((text) => err.push(String(text)) > 0);
  try {
    const exitCode = await runCli(argv);
    return { stdout: out.join(''), stderr: err.join(''), exitCode };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

/** The readers of a bench result: each command line, with the flag its message names, writing to `output`. */
const BENCH_READERS: [
  reader: string,
  argv: (file: string, output: string) => string[],
  flag: string,
  wanted: string,
][] = [
  // Port 1 refuses connections: a bench that read its baseline as good would fail with exit 3, not 2.
  [
    'bench --baseline',
    (file, output) => ['bench', '--url', 'redis://127.0.0.1:1', '--baseline', file, '--output', output],
    '--baseline',
    BENCH_WANTED,
  ],
  ['merge', (file, output) => ['merge', good.bench, file, '--output', output], 'merge', BENCH_WANTED],
  [
    'report --bench',
    (file, output) => ['report', '--size', good.size, '--bench', file, '--markdown', output],
    '--bench',
    BENCH_WANTED,
  ],
  // size --from takes an observe document too.
  ['size --from', (file) => ['size', '--from', file, '--json'], '--from', MEASURED_WANTED],
];

async function expectRefused(argv: string[], output: string, line: string | RegExp): Promise<void> {
  const run = await command(argv);
  expect(run.exitCode).toBe(2);
  expect(run.stdout).toBe('');
  if (typeof line === 'string') expect(run.stderr).toBe(`${line}\n`);
  else expect(run.stderr).toMatch(line);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(existsSync(output)).toBe(false);
}

describe.each(BENCH_READERS)(
  '%s refuses a damaged bench result in one line, exit 2, writing nothing',
  (_, argv, flag, wanted) => {
    it.each(BENCH_DAMAGES)('%s', async (name, damage, problem) => {
      const file = damaged('bench-result.json', name, damage);
      const output = join(dir, 'never-written');
      await expectRefused(
        argv(file, output),
        output,
        `redis-pool: ${flag} ${file}: ${problem.replace('WANTED', wanted)}`,
      );
    });

    it.each(TEXT_DAMAGES)('%s', async (name, text, problem) => {
      const file = join(dir, `${name.replaceAll(' ', '-')}.json`);
      writeFileSync(file, text);
      const output = join(dir, 'never-written');
      const escaped = `${flag} ${file}: `.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      await expectRefused(
        argv(file, output),
        output,
        new RegExp(`^redis-pool: ${escaped}${problem.source.slice(1, -1)}\\n$`),
      );
    });
  },
);

describe('report --size refuses a damaged size document', () => {
  it.each(SIZE_DAMAGES)('%s', async (name, damage, problem) => {
    const file = damaged('size-result.json', name, damage);
    const output = join(dir, 'never-written.md');
    await expectRefused(
      ['report', '--size', file, '--bench', good.bench, '--markdown', output],
      output,
      `redis-pool: --size ${file}: ${problem}`,
    );
  });
});

describe('size --from refuses a damaged observe document', () => {
  it.each(OBSERVE_DAMAGES)('%s', async (name, damage, problem) => {
    const file = damaged('observe-result.json', name, damage);
    await expectRefused(
      ['size', '--from', file, '--json'],
      join(dir, 'none'),
      `redis-pool: --from ${file}: ${problem}`,
    );
  });

  it('names both kinds it takes when given neither', async () => {
    const file = damaged('size-result.json', 'for-from', () => undefined);
    await expectRefused(
      ['size', '--from', file],
      join(dir, 'none'),
      `redis-pool: --from ${file}: a "redis-pool.size/v1" document; expected ${MEASURED_WANTED}`,
    );
  });
});

describe('the undamaged documents', () => {
  it('are read by every reader', async () => {
    const output = join(dir, 'plan.md');
    expect((await command(['report', '--size', good.size, '--bench', good.bench, '--markdown', output])).exitCode).toBe(
      0,
    );
    expect(existsSync(output)).toBe(true);
    expect((await command(['size', '--from', good.bench, '--json'])).exitCode).toBe(0);
    expect(
      (await command(['size', '--from', fixturePath('observe-result.json'), '--group', 'busy', '--json'])).exitCode,
    ).toBe(0);
  });
});
