import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../../src/schema/bench.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { promtoolCheckMetrics } from '../helpers/promtool.js';
import { runCli, writtenDocument } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// Two "load machines" (two bench processes) against one server, started together, then merged.
let redis: TestRedis;
let dir: string;
const read = (file: string): BenchResult => writtenDocument(readFileSync(file, 'utf8'), 'bench');

beforeAll(async () => {
  redis = await startRedis();
  dir = tempDir('merge');
});

afterAll(async () => {
  await redis?.stop();
});

const RUN = [
  '--strategy',
  'pooled,multiplexed',
  '--concurrency',
  '4',
  '--duration',
  '1s',
  '--warmup',
  '0',
  '--run-id',
  'nightly-7',
  '-q',
];

async function machine(name: string, extra: string[] = [], url: string | null = redis.url): Promise<string> {
  const file = join(dir, `${name}.json`);
  const target = url !== null ? ['--url', url] : [];
  const run = await runCli(['bench', ...target, ...RUN, ...extra, '--output', file], { env: { REDIS_URL: undefined } });
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  return file;
}

describe('merge: several load machines, one result', () => {
  it("two machines started together (--start-at): one result whose histograms and counts are both machines' added up", async () => {
    const startAt = new Date(Date.now() + 2500).toISOString();
    const [a, b] = await Promise.all([machine('a', ['--start-at', startAt]), machine('b', ['--start-at', startAt])]);
    const [ra, rb] = [read(a), read(b)];
    expect(ra.runId).toBe('nightly-7');
    for (const r of [...ra.results, ...rb.results])
      expect(Date.parse(r.window!.startedAt)).toBeGreaterThanOrEqual(Date.parse(startAt));

    const run = await runCli(['merge', a, b, '--json']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const merged = writtenDocument(run.stdout, 'bench');
    expect(merged.runId).toBe('nightly-7');
    expect(merged.merged!.inputs.map((i) => i.file)).toEqual([a, b]);
    for (const [i, r] of merged.results.entries()) {
      const [x, y] = [ra.results[i]!, rb.results[i]!];
      // Named for both machines' connections, and by one machine's label too.
      expect(r.instanceLabel).toBe(x.label);
      expect(r.requests).toBe(x.requests + y.requests);
      expect(r.latency.count).toBe(x.latency.count + y.latency.count);
      expect(r.latency.max).toBe(Math.max(x.latency.max, y.latency.max));
      expect(r.throughput).toBeCloseTo(x.throughput + y.throughput, 6);
    }
    expect(merged.results.map((r) => r.label)).toEqual(['pooled(2 × max=4)', 'multiplexed(2 conns)']);
    expect(merged.results[0]!.pool!.max).toBe(8);
    // Each machine's keys were its own and are gone.
    expect(await redis.client().dbsize()).toBe(0);

    // Checked, not assumed: both read the server with the same run_id.
    expect(ra.target.serverRunId).toMatch(/^[0-9a-f]{40}$/);
    expect(rb.target.serverRunId).toBe(ra.target.serverRunId);
    expect(merged.warnings.at(-1)!.message).toMatch(/since each read the same server \(the same run_id\)$/);

    // Files written are confirmed on stderr, one line each; what goes to stdout is not.
    const out = join(dir, 'merged.json');
    const toFiles = await runCli(['merge', a, b, '--output', out, '--export-gab', join(dir, 'gab'), '--json']);
    expect(toFiles.exitCode).toBe(0);
    expect(writtenDocument(toFiles.stdout, 'bench').schema).toBe('redis-pool.bench/v1');
    const size = (file: string): string => {
      const bytes = readFileSync(file).length;
      return bytes < 1000 ? `${bytes} B` : `${(bytes / 1000).toFixed(1)} kB`;
    };
    const gab = (kind: string): string => `${join(dir, 'gab')}-${kind}-is-better.json`;
    expect(toFiles.stderr.trimEnd().split('\n')).toEqual([
      `wrote ${out} (JSON, ${size(out)})`,
      `wrote ${gab('smaller')} (github-action-benchmark JSON, ${size(gab('smaller'))})`,
      `wrote ${gab('bigger')} (github-action-benchmark JSON, ${size(gab('bigger'))})`,
    ]);

    // One machine's result given twice, or two files written by one run, is not two machines.
    const twice = await runCli(['merge', a, a]);
    expect(twice.exitCode).toBe(2);
    expect(twice.stderr).toBe(
      `redis-pool: merge: ${a} and ${a} hold the same measurements (bench instance ${ra.instanceId}): ` +
        `the same result given twice, two files of one run, ` +
        `or a merge and one of its inputs; give each load machine's result once\n`,
    );

    const table = await runCli(['merge', a, b, '--no-color']);
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toContain('2 load machines × 4 workers');

    // Every output of bench: the Prometheus export of the merged runs passes Prometheus' own linter.
    const prom = join(dir, 'merged.prom');
    expect((await runCli(['merge', a, b, '--export-prom', prom, '--json'])).exitCode).toBe(0);
    expect(promtoolCheckMetrics(readFileSync(prom, 'utf8'))).toEqual({ exitCode: 0, output: '' });
  });

  it('refuses, with one line and exit 2, runs of different configurations and runs that did not overlap', async () => {
    const [a, other] = await Promise.all([machine('c'), machine('d', ['--concurrency', '2'])]);
    const different = await runCli(['merge', a, other]);
    expect(different.exitCode).toBe(2);
    expect(different.stderr.trim()).toMatch(
      /^redis-pool: merge: .*c\.json and .*d\.json ran different configurations \(config\.concurrency: 4 against 2\)[^\n]*$/,
    );
    const later = await machine('e');
    const apart = await runCli(['merge', a, later]);
    expect(apart.exitCode).toBe(2);
    expect(apart.stderr.trim()).toMatch(
      /^redis-pool: merge: the pooled\(max=4\) windows do not overlap [^\n]*--start-at/,
    );
    const single = await runCli(['merge', a]);
    expect(single.exitCode).toBe(2);
    expect(single.stderr).toContain('merge needs two or more bench results (got 1)');
  });

  it('refuses two files of one run: --output and --json of the same process', async () => {
    const file = join(dir, 'one-run.json');
    const run = await runCli(['bench', '--url', redis.url, ...RUN, '--output', file, '--json']);
    expect(run.exitCode).toBe(0);
    const copy = join(dir, 'one-run-stdout.json');
    writeFileSync(copy, run.stdout);
    const merged = await runCli(['merge', file, copy]);
    expect(merged.exitCode).toBe(2);
    expect(merged.stderr).toMatch(
      /^redis-pool: merge: \S+one-run\.json and \S+one-run-stdout\.json hold the same measurements \(bench instance [0-9a-f]{8}\)[^\n]*\n$/,
    );
  });

  it('refuses two concurrent runs against two servers, naming both, and two runs on throwaway servers of their own', async () => {
    const other = await startRedis();
    try {
      const startAt = new Date(Date.now() + 2500).toISOString();
      const [a, b] = await Promise.all([
        machine('f', ['--start-at', startAt]),
        machine('g', ['--start-at', startAt], other.url),
      ]);
      const refused = await runCli(['merge', a, b]);
      expect(refused.exitCode).toBe(2);
      expect(refused.stderr).toMatch(
        new RegExp(
          `^redis-pool: merge: \\S+f\\.json and \\S+g\\.json ran against different servers \\(\\S+f\\.json: ` +
            `redis://127\\.0\\.0\\.1:${redis.port}/0, run_id [0-9a-f]{12}; \\S+g\\.json: ` +
            `redis://127\\.0\\.0\\.1:${other.port}/0, run_id [0-9a-f]{12}\\): ` +
            `merge adds up load machines that share one server, given to each with the same --url\\n$`,
        ),
      );
    } finally {
      await other.stop();
    }
    const startAt = new Date(Date.now() + 2500).toISOString();
    const [x, y] = await Promise.all([
      machine('h', ['--start-at', startAt], null),
      machine('i', ['--start-at', startAt], null),
    ]);
    const throwaway = await runCli(['merge', x, y]);
    expect(throwaway.exitCode).toBe(2);
    expect(throwaway.stderr).toMatch(
      /ran against different servers \(.*\) \(a run without --url starts a throwaway server of its own\)/,
    );
  });
});
