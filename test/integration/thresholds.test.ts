import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const quick = ['bench', '--strategy', 'pooled', '--requests', '300', '--concurrency', '4', '--warmup', '0'];

describe('thresholds gate the run', () => {
  it('exits 0 when every threshold passes, printing each verdict', async () => {
    const run = await runCli([...quick, '--threshold', 'pooled:errors:rate<0.01', '--threshold', 'pooled:latency:p(99)<60000'], { env: { REDIS_URL: undefined } });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/✓ pass pooled:errors:rate<0.01 \(pooled\(max=4\): 0\)/);
    expect(run.stdout).toMatch(/✓ pass pooled:latency:p\(99\)<60000/);
  });

  it('exits 99 after writing the report when one fails', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'redis-pool-thr-')), 'r.json');
    const run = await runCli([...quick, '--threshold', '*:throughput:value>100000000', '--json', '--output', file], { env: { REDIS_URL: undefined } });
    expect(run.exitCode).toBe(99);
    expect(run.stderr).toMatch(/1 of 1 threshold checks failed: \*:throughput:value>100000000/);
    const result = JSON.parse(run.stdout);
    expect(result.thresholds).toEqual([expect.objectContaining({ threshold: '*:throughput:value>100000000', ok: false })]);
    expect(JSON.parse(readFileSync(file, 'utf8')).thresholds[0].ok).toBe(false);
  });

  it('refuses a malformed threshold before running', async () => {
    const run = await runCli([...quick, '--threshold', 'pooled:latency:p99<2'], { env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--threshold "pooled:latency:p99<2"/);
  });
});

describe('--markdown', () => {
  it('writes the report and appends it to GITHUB_STEP_SUMMARY, also when a threshold fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-pool-md-'));
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
