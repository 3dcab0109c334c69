import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../helpers/fixtures.js';
import { runCli, writtenDocument } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Nothing listens there: a run that got as far as connecting would exit 3, not 2. */
const UNREACHABLE = { REDIS_URL: 'redis://127.0.0.1:1' };

describe('units: one spelling rule for every flag', () => {
  it.each([
    [
      ['bench', '--warmup', '500'],
      /--warmup must be .*\(got "500"\); a bare number is ambiguous here: write 500req for 500 requests, or 500s or 500ms for a time/,
    ],
    [
      ['bench', '--duration', '10'],
      /--duration must be a duration with a unit.*\(got "10"\); a bare number has no unit here: write 10s for seconds or 10ms for milliseconds/,
    ],
    [
      ['bench', '--baseline', fixturePath('bench-result.json'), '--max-regression', '15'],
      /--max-regression must be .*\(got "15"\); a bare number is a fraction \(0\.1 = 10%\): write 15% for 15 percent/,
    ],
    [
      ['bench', '--value-size', '4K'],
      /--value-size must be a size such as 512 \(bytes\), 4KB \(4000 bytes\), 4KiB \(4096 bytes\) or 1MiB, from 1B to 64MiB \(got "4K"\)/,
    ],
    [
      ['bench', '--acquire-timeout', '1.5'],
      /--acquire-timeout must be a duration such as 500ms, 5s or 1.5m, or a bare number of milliseconds/,
    ],
    [['bench', '--fault', 'restart@2'], /--fault "restart@2": the time after @ must be .*write 2s for seconds/],
    [
      ['bench', '--scenario', fixturePath('scenarios/typo-in-name.yaml')],
      /typo-in-name\.yaml:1:1: unknown field "nmae"; did you mean "name"\?/,
    ],
    [
      ['anatomy', '--connect-timeout', '5 parsecs'],
      /--connect-timeout must be a duration such as 500ms, 5s or 1.5m, or a bare number of milliseconds, from 1ms to 10m/,
    ],
    [['size', '--threads', '10', '--utilization', '10'], /--utilization must be .*write 10% for 10 percent/],
    [['size', '--rate', '100', '--hold-ms', 'soon'], /--hold-ms must be a duration such as 500ms/],
  ])('exits 2 before connecting for %j', async (args, message) => {
    const run = await runCli(args, { env: UNREACHABLE });
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.exitCode).toBe(2);
  });

  it('runs with a unit in every kind of flag and records what they meant', async () => {
    const dir = tempDir('units');
    const base = join(dir, 'base.json');
    const args = [
      'bench',
      '--strategy',
      'pooled',
      '--concurrency',
      '2',
      '--requests',
      '200',
      '--warmup',
      '50req',
      '--value-size',
      '1KiB',
      '--acquire-timeout',
      '2s',
      '--connect-timeout',
      '1.5s',
    ];
    const first = await runCli([...args, '--output', base, '--json'], { env: { REDIS_URL: undefined } });
    expect(first.exitCode).toBe(0);
    const { config } = writtenDocument(first.stdout, 'bench');
    expect(config.warmup).toEqual({ requests: 50, durationMs: null });
    expect(config.workload.commands[0]!.valueSize).toBe(1024);
    expect(config.pool.acquireTimeoutMs).toBe(2000);
    expect(config.connectTimeoutMs).toBe(1500);

    const compared = await runCli([...args, '--baseline', base, '--max-regression', '1000%', '--json'], {
      env: { REDIS_URL: undefined },
    });
    expect(compared.stderr).not.toMatch(/must be/);
    // The same settings, written with units both times, compare like with like.
    expect(writtenDocument(compared.stdout, 'bench').baseline!.configDifferences).toEqual([]);
    // 200 requests on a shared 2-core machine: a p99 can move more than 10× between two runs, which is the
    // regression gate's verdict (exit 99), not a matter of units.
    expect([0, 99]).toContain(compared.exitCode);
  });

  it('sweeps the pool sizes of a scenario file written as a range, as --pool-size 2..3 would', async () => {
    const run = await runCli(
      ['bench', '--scenario', fixturePath('scenarios/sweep-range.yaml'), '--requests', '100', '--json'],
      { env: { REDIS_URL: undefined } },
    );
    expect(run.exitCode).toBe(0);
    const result = writtenDocument(run.stdout, 'bench');
    expect(result.results.map((r) => r.label)).toEqual(['pooled(max=2)', 'pooled(max=3)']);
    expect(result.config.workload.commands[0]!.valueSize).toBe(1024);
    expect(result.config.warmup).toEqual({ requests: 20, durationMs: null });
  });
});
