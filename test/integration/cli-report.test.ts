import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCount } from '../../src/format.js';
import { fixturePath, readBenchFixture, readSizeFixture } from '../helpers/fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const size = fixturePath('size-result.json');
const benches = [fixturePath('bench-result.json'), fixturePath('bench-sweep-result.json')];

describe('redis-pool report', () => {
  it('prints the capacity plan as Markdown by default, with every bench as evidence', async () => {
    const run = await runCli(['report', '--size', size, '--bench', ...benches]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const plan = readSizeFixture('size-result.json');
    expect(run.stdout).toMatch(/^# Capacity plan/);
    expect(run.stdout).toContain(`**Recommendation: ${plan.queueing.poolSize} connections per instance**`);
    for (const file of benches) expect(run.stdout).toContain(`### ${file}`);
  });

  it('writes --markdown and --html files, prints nothing on stdout and confirms each file in one line on stderr', async () => {
    const dir = tempDir('report');
    const run = await runCli([
      'report',
      '--size',
      size,
      '--bench',
      benches[0]!,
      '--markdown',
      join(dir, 'plan.md'),
      '--html',
      join(dir, 'plan.html'),
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('');
    const kB = (file: string): string => `${(readFileSync(file).length / 1000).toFixed(1)} kB`;
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `wrote ${join(dir, 'plan.md')} (Markdown, ${kB(join(dir, 'plan.md'))})`,
      `wrote ${join(dir, 'plan.html')} (HTML, ${kB(join(dir, 'plan.html'))})`,
    ]);
    expect(readFileSync(join(dir, 'plan.md'), 'utf8')).toMatch(/^# Capacity plan/);
    const html = readFileSync(join(dir, 'plan.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<h1>Capacity plan');
  });

  it('prints the HTML page on stdout with a bare --html', async () => {
    const run = await runCli(['report', '--size', size, '--html']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^<!doctype html>/);
    expect(run.stdout).toContain('No measurements were given');
  });

  it('report --peak-rate: the instances each strategy of a curve needs at the peak, and the connections they open', async () => {
    const curveFile = fixturePath('bench-curve-result.json');
    const run = await runCli(['report', '--size', size, '--bench', curveFile, '--peak-rate', '20000']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const part = run.stdout.slice(
      run.stdout.indexOf('## The fleet at its peak'),
      run.stdout.indexOf('## Pool per instance'),
    );
    const curve = readBenchFixture('bench-curve-result.json');
    for (const c of curve.capacity!) {
      const instances = Math.ceil(20_000 / c.kneeRatePerSec!);
      expect(part).toContain(`\n| ${c.label} | ${formatCount(c.kneeRatePerSec!)} | ${formatCount(instances)} |`);
    }
    const json = JSON.parse(
      (await runCli(['report', '--size', size, '--bench', curveFile, '--peak-rate', '20000', '--json'])).stdout,
    ) as {
      peak: { peakRatePerSec: number; from: string; strategies: { label: string; instances: number }[] };
    };
    expect(json.peak).toMatchObject({ peakRatePerSec: 20_000, from: 'flag' });
    expect(json.peak.strategies.map((s) => s.label)).toEqual(curve.capacity!.map((c) => c.label));
    // The HTML page has the same section, before the pool per instance.
    const html = (await runCli(['report', '--size', size, '--bench', curveFile, '--peak-rate', '20000', '--html']))
      .stdout;
    expect(html.indexOf('<h2>The fleet at its peak</h2>')).toBeGreaterThan(0);
    expect(html.indexOf('<h2>The fleet at its peak</h2>')).toBeLessThan(html.indexOf('<h2>Pool per instance</h2>'));
  });

  it.each([
    [['report'], /^redis-pool: report needs --size <size\.json>/],
    // Checked before any file is read: the --size file does not exist.
    [
      ['report', '--size', '/nonexistent/size.json', '--peak-rate', '-5'],
      /^redis-pool: --peak-rate must be a number > 0/,
    ],
    [['report', '--size', size, '--peak-rate', 'fast'], /^redis-pool: --peak-rate must be a number > 0/],
    [
      ['report', '--size', size, '--markdown', '--html'],
      /^redis-pool: --markdown and --html would both print on stdout, which carries one document/,
    ],
    [
      ['report', '--size', benches[0]!],
      new RegExp(
        /^redis-pool: --size .*bench-result\.json: a "redis-pool\.bench\/v1" document; /.source +
          /expected a redis-pool\.size\/v1 document \(redis-pool size --json > FILE\)\n$/.source,
      ),
    ],
    [
      ['report', '--size', size, '--bench', size],
      new RegExp(
        /^redis-pool: --bench .*size-result\.json: a "redis-pool\.size\/v1" document; /.source +
          /expected a redis-pool\.bench\/v1 document \(redis-pool bench --output FILE\)\n$/.source,
      ),
    ],
    [
      ['report', '--size', size, '--bench', '/nonexistent/b.json'],
      /^redis-pool: --bench \/nonexistent\/b\.json: cannot read it \(ENOENT\)/,
    ],
    [
      ['report', '--size', size, '--html', '/nonexistent-dir/plan.html'],
      /^redis-pool: --html \/nonexistent-dir\/plan\.html: the folder \/nonexistent-dir does not exist\n$/,
    ],
  ])('refuses %j with one line and exit 2', async (args, message) => {
    const run = await runCli(args);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toBe('');
  });

  it('writes no file when an input is refused', async () => {
    const dir = tempDir('report');
    const run = await runCli(['report', '--size', size, '--bench', size, '--markdown', join(dir, 'plan.md')]);
    expect(run.exitCode).toBe(2);
    expect(existsSync(join(dir, 'plan.md'))).toBe(false);
  });
});

describe('bench --chart', () => {
  const quick = ['bench', '--requests', '500', '--concurrency', '4', '--warmup', '0'];

  it('prints the ASCII percentile chart of every strategy under the table', async () => {
    const run = await runCli([...quick, '--chart'], { env: { REDIS_URL: undefined } });
    expect(run.exitCode).toBe(0);
    const chart = run.stdout.slice(run.stdout.indexOf('Request latency by percentile'));
    expect(chart).toMatch(/p50 +p90 +p99/);
    for (const label of ['per-request', 'pooled(max=4)', 'multiplexed(1 conn)']) expect(chart).toContain(label);
  });

  it('refuses --chart with --json before running', async () => {
    const run = await runCli([...quick, '--chart', '--json'], { env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^redis-pool: --chart draws under the table/);
  });
});
