import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/bench/config/scenario.js';
import type { BenchResult } from '../../src/schema/bench.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { benchJson, runCli, writtenDocument } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis({ enableDebugCommand: true });
});
afterAll(async () => {
  await redis?.stop();
});

const bench = (args: string[]): Promise<BenchResult> => benchJson(redis.url, [...args]);

const scenarioDir = new URL('../../scenarios/', import.meta.url);
const shipped = readdirSync(scenarioDir).filter((file) => file.endsWith('.yaml'));
// A scenario with a `target` (tls-auth.yaml) asks for more than this plain server: scenario-target.test.ts runs it.
const plainServerScenarios = shipped.filter(
  (file) => loadScenario(join(scenarioDir.pathname, file)).target === undefined,
);

describe('shipped scenarios', () => {
  it('ships the tutorial examples and the connection-pattern scenarios', () => {
    expect(shipped.sort()).toEqual([
      'api.yaml',
      'batch.yaml',
      'blocking.yaml',
      'bursty.yaml',
      'large-values.yaml',
      'tls-auth.yaml',
      'worker.yaml',
    ]);
  });

  it.each(plainServerScenarios)('%s runs briefly against a test server', async (file) => {
    const result = await bench([
      '--scenario',
      join(scenarioDir.pathname, file),
      '--duration',
      '400ms',
      '--warmup',
      '0',
    ]);
    expect(result.config.scenario?.name).toBe(file.replace('.yaml', ''));
    expect(result.results.length).toBeGreaterThanOrEqual(2);
    for (const r of result.results) {
      expect(r.requests).toBeGreaterThan(0);
      expect(r.errors).toBe(0);
    }
  });

  it('lets flags override the file', async () => {
    const result = await bench([
      '--scenario',
      join(scenarioDir.pathname, 'api.yaml'),
      '--requests',
      '200',
      '--warmup',
      '0',
      '--strategy',
      'pooled',
      '--pool-size',
      '5',
    ]);
    expect(result.config).toMatchObject({ concurrency: 20, requests: 200, durationMs: null, strategies: ['pooled'] });
    expect(result.results[0]!.pool!.max).toBe(5);
  });

  it('refuses a bad scenario with the file, line and column', async () => {
    const dir = tempDir('scenario');
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: bad\nworkload:\n  commands:\n    - { command: get, weight: 1 }\nworkers: lots\n');
    const run = await runCli(['bench', '--url', redis.url, '--scenario', file]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`${file}:5:10:`);
    expect(run.stderr).toMatch(/workers/);
  });
});

describe('the utilization model', () => {
  it('thinks between requests so that the measured utilization lands near the target', async () => {
    const result = await bench([
      '--strategy',
      'pooled',
      '--concurrency',
      '8',
      '--utilization',
      '25%',
      '--duration',
      '3s',
      '--warmup',
      '500ms',
    ]);
    const { load } = result.results[0]!;
    expect(load.holdMeanMs).toBeGreaterThan(0);
    expect(load.thinkMeanMs).toBeGreaterThan(load.holdMeanMs);
    expect(load.modelUtilization).toBeGreaterThan(0.2);
    expect(load.modelUtilization).toBeLessThan(0.3);
    // Waiting for a connection only adds to a worker's cycle, so the share of time holding is at most u.
    expect(load.measuredUtilization).toBeLessThanOrEqual(load.modelUtilization + 0.02);
    expect(load.measuredUtilization).toBeGreaterThan(0.15);
  });

  it('feeds size --from with the measured load', async () => {
    const dir = tempDir('from');
    const file = join(dir, 'result.json');
    const run = await runCli([
      'bench',
      '--url',
      redis.url,
      '--strategy',
      'pooled',
      '--concurrency',
      '10',
      '--think',
      '2',
      '--duration',
      '1s',
      '--warmup',
      '0',
      '--output',
      file,
    ]);
    expect(run.exitCode).toBe(0);
    const size = await runCli(['size', '--from', file, '--json']);
    expect(size.exitCode).toBe(0);
    const doc = writtenDocument(size.stdout, 'size');
    const measured = writtenDocument(readFileSync(file, 'utf8'), 'bench').results[0]!.load;
    expect(doc.inputs.threads).toBe(10);
    expect(doc.inputs.utilization).toBe(measured.modelUtilization);
    expect(doc.inputs.utilization).toBeGreaterThan(0);
    expect(doc.inputs.utilization).toBeLessThan(1);
    expect(doc.inputs.holdMs).toBe(measured.holdMeanMs);
    expect(doc.queueing.model).toBe('finite-source');
  });
});

describe('pool-size sweeps', () => {
  it('runs the pooled strategy once per size, with waits that fall as the pool grows', async () => {
    const result = await bench([
      '--strategy',
      'pooled',
      '--pool-size',
      '1,2,4,8',
      '--concurrency',
      '8',
      '--think',
      '0',
      '--requests',
      '3000',
      '--warmup',
      '200req',
    ]);
    expect(result.results.map((r) => r.label)).toEqual([
      'pooled(max=1)',
      'pooled(max=2)',
      'pooled(max=4)',
      'pooled(max=8)',
    ]);
    const sweep = result.sweep!;
    expect(sweep.model).toBe('finite-source');
    expect(sweep.rows.map((r) => r.poolSize)).toEqual([1, 2, 4, 8]);
    for (let i = 1; i < sweep.rows.length; i++) {
      expect(sweep.rows[i]!.waitProbability).toBeLessThanOrEqual(sweep.rows[i - 1]!.waitProbability);
      expect(sweep.rows[i]!.acquireP50).toBeLessThanOrEqual(sweep.rows[i - 1]!.acquireP50);
    }
    expect(sweep.rows[0]!.waitProbability).toBeGreaterThan(0.5);
    expect(sweep.rows[3]!.waitProbability).toBe(0);
    // No think time: every worker always wants a connection, so the model predicts a wait below 8 connections.
    expect(sweep.rows[0]!.predictedWaitProbability).toBeGreaterThan(0.9);
    expect(sweep.rows[3]!.predictedWaitProbability).toBe(0);
    // Each row carries the load it was predicted at (its own u and hold), its difference and its verdict.
    expect(sweep.tolerance).toBe(0.03);
    for (const [i, row] of sweep.rows.entries()) {
      const run = result.results[i]!;
      expect(row.utilization).toBe(run.load.modelUtilization);
      expect(row.holdMs).toBe(run.load.holdMeanMs);
      expect(row.difference).toBeCloseTo(row.waitProbability - row.predictedWaitProbability, 15);
      expect(row.agrees).toBe(Math.abs(row.difference!) <= 0.03);
    }
  });

  it('shows the sweep in the table with the formula and model marks', async () => {
    const run = await runCli([
      'bench',
      '--url',
      redis.url,
      '--strategy',
      'pooled',
      '--pool-size',
      '2..6:2',
      '--concurrency',
      '6',
      '--utilization',
      '30%',
      '--duration',
      '1s',
      '--warmup',
      '300ms',
      '--wide',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Pool-size sweep: measured waits beside the model');
    expect(run.stdout).toMatch(/Formula pool \(no buffer\): \d+; model pool for ≤ 1 % waits: \d+/);
    expect(run.stdout.match(/│ +[+-]?\d+\.\d pts │ +[✓✗] │/g)).toHaveLength(3);
    expect(run.stdout).toMatch(
      new RegExp(
        /^(All 3 rows agree|\d of 3 rows agree) with the model within ±3 pts \(measured /.source +
          /− predicted P\(wait\)\); the worst difference is [+-]?\d+\.\d pts, at pool [246]/.source,
        'm',
      ),
    );
  });
});

describe('open loop', () => {
  it('holds the requested rate', async () => {
    const result = await bench([
      '--strategy',
      'pooled',
      '--rate',
      '500',
      '--concurrency',
      '8',
      '--duration',
      '3s',
      '--warmup',
      '0',
    ]);
    const { load } = result.results[0]!;
    expect(load.requestedRate).toBe(500);
    expect(load.achievedRate).toBeGreaterThan(470);
    expect(load.achievedRate).toBeLessThan(530);
    expect(result.results[0]!.latency.count).toBeGreaterThan(1400);
    expect(load.uncorrectedLatency).not.toBeNull();
  });

  it('shows a server stall in the corrected percentiles that the uncorrected ones hide', async () => {
    // The tool's throwaway server, stalled for 600 ms 1.5 s into the window (DEBUG SLEEP from the stall fault): timed
    // from the window's start, not from the process's, so that a slow start cannot move the stall out of the window.
    const run = await runCli(
      [
        'bench',
        '--json',
        '--strategy',
        'pooled',
        '--rate',
        '400',
        '--concurrency',
        '4',
        '--duration',
        '4s',
        '--warmup',
        '0',
        '--fault',
        'stall:600@1.5s',
      ],
      { env: { REDIS_URL: '' } },
    );
    expect(run.exitCode).toBe(0);
    const r = writtenDocument(run.stdout, 'bench').results[0]!;
    expect(r.load.lateRequests).toBeGreaterThan(50);
    expect(r.latency.p99).toBeGreaterThan(200);
    expect(r.load.uncorrectedLatency!.p99).toBeLessThan(r.latency.p99 / 4);
    expect(r.latency.max).toBeGreaterThan(500);
  });
});
