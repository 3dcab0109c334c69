import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GabEntry, toBmf } from '../../src/report/exports.js';
import { runCli, writtenDocument } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const quick = ['bench', '--strategy', 'pooled', '--requests', '300', '--concurrency', '4', '--warmup', '0'];

describe('thresholds gate the run', () => {
  it('exits 0 when every threshold passes, printing each verdict', async () => {
    const run = await runCli(
      [...quick, '--threshold', 'pooled:errors:rate<0.01', '--threshold', 'pooled:latency:p(99)<60000'],
      { env: { REDIS_URL: undefined } },
    );
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/✓ pass pooled:errors:rate<0.01 \(pooled\(max=4\): 0\)/);
    expect(run.stdout).toMatch(/✓ pass pooled:latency:p\(99\)<60000/);
  });

  it('exits 99 after writing the report when one fails', async () => {
    const file = join(tempDir('thr'), 'r.json');
    const run = await runCli([...quick, '--threshold', '*:throughput:value>100000000', '--json', '--output', file], {
      env: { REDIS_URL: undefined },
    });
    expect(run.exitCode).toBe(99);
    expect(run.stderr).toMatch(/1 of 1 threshold checks failed: \*:throughput:value>100000000/);
    const result = writtenDocument(run.stdout, 'bench');
    expect(result.thresholds).toEqual([
      expect.objectContaining({ threshold: '*:throughput:value>100000000', ok: false }),
    ]);
    expect(writtenDocument(readFileSync(file, 'utf8'), 'bench').thresholds[0]!.ok).toBe(false);
  });

  it.each([
    [
      'a strategy that is not in the run',
      ['--threshold', 'pool:latency:p(99)<5'],
      new RegExp(
        /--threshold "pool:latency:p\(99\)<5": this benchmark has no run called "pool"; accepted /.source +
          /here: \* \(every run\), a strategy of this run \(pooled\) or a run's label \(pooled\(max=4\)\)/.source,
      ),
    ],
    [
      'a strategy left out of --strategy',
      ['--threshold', 'per-request:latency:p(99)<5'],
      /no run called "per-request"/,
    ],
    [
      'a pool size that is not run',
      ['--threshold', 'pooled(max=9):latency:max<5'],
      /no run called "pooled\(max=9\)".*pooled\(max=4\)/,
    ],
    [
      'a pool size outside the sweep',
      ['--pool-size', '2..6', '--threshold', 'pooled(max=8):latency:max<5'],
      /no run called "pooled\(max=8\)".*pooled\(max=2\), pooled\(max=3\)/,
    ],
    [
      'a metric the strategy cannot have',
      ['--strategy', 'multiplexed', '--threshold', 'multiplexed:acquireWait:p(99)<5'],
      /multiplexed has no acquireWait \(only a pool makes a request wait for a connection\); multiplexed's metrics: latency, connect/,
    ],
    [
      '* with a metric no run has',
      ['--strategy', 'per-request,multiplexed', '--threshold', '*:acquireWait:p(99)<5'],
      /no run of this benchmark has acquireWait/,
    ],
  ])('refuses a threshold that could never be checked (%s) before connecting', async (_, args, message) => {
    // Port 1 refuses connections: a check made after connecting would exit 3, not 2.
    const run = await runCli([...quick, ...args], { env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toBe('');
    expect(run.exitCode).toBe(2);
  });

  it('refuses a malformed threshold before running', async () => {
    const run = await runCli([...quick, '--threshold', 'pooled:latency:p99<2'], {
      env: { REDIS_URL: 'redis://127.0.0.1:1' },
    });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--threshold "pooled:latency:p99<2"/);
  });
});

describe('--markdown', () => {
  it('writes the report and appends it to GITHUB_STEP_SUMMARY, also when a threshold fails', async () => {
    const dir = tempDir('md');
    const summary = join(dir, 'summary.md');
    const run = await runCli([...quick, '--markdown', join(dir, 'report.md'), '--threshold', 'pooled:latency:max<0'], {
      env: { REDIS_URL: undefined, GITHUB_STEP_SUMMARY: summary },
    });
    expect(run.exitCode).toBe(99);
    const report = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(report).toContain('# redis-pool bench');
    expect(report).toContain('| ❌ fail | `pooled:latency:max<0` |');
    expect(readFileSync(summary, 'utf8')).toBe(report);
  });
});

/**
 * The baseline's latencies × 10: two short runs on a loaded 2-core machine can differ by more than the 1000 % allowed
 * at their p99, which the comparisons below are not about.
 */
function roomForJitter(file: string): void {
  const doc = writtenDocument(readFileSync(file, 'utf8'), 'bench');
  for (const r of doc.results) {
    r.latency.p50 *= 10;
    r.latency.p99 *= 10;
  }
  writeFileSync(file, JSON.stringify(doc));
}

describe('--baseline', () => {
  it('passes against a comparable run and exits 99 past the allowed regression', async () => {
    const dir = tempDir('base');
    const base = join(dir, 'base.json');
    expect((await runCli([...quick, '--output', base], { env: { REDIS_URL: undefined } })).exitCode).toBe(0);
    roomForJitter(base);

    const lenient = await runCli([...quick, '--baseline', base, '--max-regression', '1000%', '--json'], {
      env: { REDIS_URL: undefined },
    });
    expect(lenient.exitCode).toBe(0);
    expect(writtenDocument(lenient.stdout, 'bench').baseline!.deltas).toHaveLength(3);

    // A baseline ten times faster than anything this machine does: a throughput regression of about 90 %.
    const doctored = writtenDocument(readFileSync(base, 'utf8'), 'bench');
    for (const r of doctored.results) r.throughput *= 10;
    writeFileSync(base, JSON.stringify(doctored));
    const strict = await runCli([...quick, '--baseline', base], { env: { REDIS_URL: undefined } });
    expect(strict.exitCode).toBe(99);
    expect(strict.stderr).toMatch(/regression\(s\) past 10 % against .*: pooled\(max=4\) throughput/);
    expect(strict.stdout).toContain('✗ REGRESSION');
  });

  it('compares runs of different pool sizes by strategy, says the pool size differs, and gates on them', async () => {
    const dir = tempDir('base');
    const base = join(dir, 'base.json');
    expect(
      (await runCli([...quick, '--pool-size', '4', '--output', base], { env: { REDIS_URL: undefined } })).exitCode,
    ).toBe(0);
    roomForJitter(base);

    const resized = await runCli(
      [...quick, '--pool-size', '2', '--baseline', base, '--max-regression', '1000%', '--json'],
      { env: { REDIS_URL: undefined } },
    );
    expect(resized.exitCode).toBe(0);
    const comparison = writtenDocument(resized.stdout, 'bench').baseline!;
    expect(comparison.deltas.map((d) => `${d.run} vs ${d.baselineRun} ${d.metric}`)).toEqual([
      'pooled(max=2) vs pooled(max=4) throughput',
      'pooled(max=2) vs pooled(max=4) p50',
      'pooled(max=2) vs pooled(max=4) p99',
    ]);
    expect(comparison).toMatchObject({ unmatched: [], baselineUnmatched: [] });
    expect(comparison.configDifferences).toContainEqual({
      field: 'pool.size',
      baseline: '4',
      current: '2',
      run: 'pooled(max=2)',
    });

    // The resized pool is gated too: against a baseline ten times faster it regresses.
    const doctored = writtenDocument(readFileSync(base, 'utf8'), 'bench');
    for (const r of doctored.results) r.throughput *= 10;
    writeFileSync(base, JSON.stringify(doctored));
    const strict = await runCli([...quick, '--pool-size', '2', '--baseline', base], { env: { REDIS_URL: undefined } });
    expect(strict.exitCode).toBe(99);
    expect(strict.stderr).toMatch(/regression\(s\) past 10 % against .*: pooled\(max=2\) throughput/);
    expect(strict.stdout).toContain('pooled(max=2) vs pooled(max=4)');
    expect(strict.stdout).toMatch(
      /Measured differently \(the deltas compare unlike runs\):\n {2}pool\.size \(pooled\(max=2\)\): 4 in .*base\.json, 2 now/,
    );

    // Nothing to compare with: exit 2 before connecting (port 1 refuses connections, which would be exit 3).
    const other = await runCli(['bench', '--strategy', 'multiplexed', '--requests', '300', '--baseline', base], {
      env: { REDIS_URL: 'redis://127.0.0.1:1' },
    });
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toBe(
      `redis-pool: --baseline: no run of this benchmark matches a run of ${base} (this run: ` +
        `multiplexed(1 conn); ${base}: pooled(max=4)); runs are matched by strategy\n`,
    );
  });

  it('refuses a file that is not a bench result, before running', async () => {
    const dir = tempDir('base');
    writeFileSync(join(dir, 'x.json'), '{"schema":"something-else"}');
    const run = await runCli([...quick, '--baseline', join(dir, 'x.json')], {
      env: { REDIS_URL: 'redis://127.0.0.1:1' },
    });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/x\.json: a "something-else" document; expected a redis-pool\.bench\/v1 document/);
    expect(
      (await runCli([...quick, '--max-regression', '5%'], { env: { REDIS_URL: 'redis://127.0.0.1:1' } })).exitCode,
    ).toBe(2);
  });
});

describe('exports', () => {
  it('writes the github-action-benchmark and Bencher files', async () => {
    const dir = tempDir('exp');
    const run = await runCli(
      [
        ...quick,
        '--export-gab',
        join(dir, 'gab'),
        '--export-bmf',
        join(dir, 'bmf.json'),
        '--export-hgrm',
        join(dir, 'hgrm'),
        '--export-prom',
        join(dir, 'metrics.prom'),
      ],
      {
        env: { REDIS_URL: undefined },
      },
    );
    expect(run.exitCode).toBe(0);
    expect(readFileSync(join(dir, 'hgrm', 'pooled-max-4.hgrm'), 'utf8')).toMatch(/Total count\s+=\s+300\]/);
    expect(readFileSync(join(dir, 'metrics.prom'), 'utf8')).toMatch(
      /^db_client_connection_max\{db_client_connection_pool_name="pooled\(max=4\)",strategy="pooled"\} 4$/m,
    );
    const smaller = JSON.parse(readFileSync(join(dir, 'gab-smaller-is-better.json'), 'utf8')) as GabEntry[];
    const bigger = JSON.parse(readFileSync(join(dir, 'gab-bigger-is-better.json'), 'utf8')) as GabEntry[];
    expect(smaller.map((e) => e.name)).toEqual(['pooled(max=4) latency p50', 'pooled(max=4) latency p99']);
    expect(bigger[0]!.value).toBeGreaterThan(0);
    const bmf = JSON.parse(readFileSync(join(dir, 'bmf.json'), 'utf8')) as ReturnType<typeof toBmf>;
    expect(bmf['pooled(max=4)']!.latency!.value).toBeGreaterThan(0);
  });
});
