import { describe, expect, it } from 'vitest';
import { checkBaselineComparable, compareWithBaseline, matchRuns } from '../../../src/bench/gates/baseline.js';
import { plannedRunNames, type RunName } from '../../../src/bench/gates/run-plan.js';
import { UsageError } from '../../../src/errors.js';
import type { BenchResult, StrategyResult } from '../../../src/schema/bench.js';
import { renderBenchMarkdown } from '../../../src/report/bench-markdown.js';
import { renderBenchTable } from '../../../src/report/bench-terminal.js';
import { readBenchFixture } from '../../helpers/fixtures.js';

const fixture = readBenchFixture('bench-result.json');
const sweep = readBenchFixture('bench-sweep-result.json');

/** The fixture's pooled run as if the pool had `size` connections. */
function pooledOfSize(run: StrategyResult, size: number): StrategyResult {
  return { ...run, label: `pooled(max=${size})`, pool: { ...run.pool!, max: size } };
}

/** The fixture with only these runs, and the pool size of its config following the pooled run. */
function withRuns(base: BenchResult, results: StrategyResult[]): BenchResult {
  const pooled = results.filter((r) => r.strategy === 'pooled');
  const size = pooled.length === 1 ? pooled[0]!.pool!.max : base.config.pool.size;
  return {
    ...base,
    results,
    config: {
      ...base.config,
      pool: { ...base.config.pool, size },
      poolSizes: pooled.length > 1 ? pooled.map((r) => r.pool!.max) : null,
    },
  };
}

const [perRequest, pooled, multiplexed] = fixture.results as [StrategyResult, StrategyResult, StrategyResult];
const labels = (runs: RunName[]): string[] => runs.map((r) => r.label);

describe('baselines: regressions', () => {
  it('finds no regression and no difference against itself', () => {
    const comparison = compareWithBaseline(fixture, fixture, 'base.json', 10);
    expect(comparison.deltas).toHaveLength(fixture.results.length * 3);
    expect(comparison.deltas.every((d) => d.regressionPct === 0 && !d.regressed)).toBe(true);
    expect(comparison).toMatchObject({ unmatched: [], baselineUnmatched: [], configDifferences: [] });
  });

  it('flags lower throughput and higher latency past the allowed regression, not within it', () => {
    const worse = {
      ...pooled,
      throughput: pooled.throughput * 0.85,
      latency: { ...pooled.latency, p99: pooled.latency.p99 * 1.05 },
    };
    const comparison = compareWithBaseline(withRuns(fixture, [worse]), fixture, 'base.json', 10);
    const byMetric = Object.fromEntries(comparison.deltas.map((d) => [d.metric, d]));
    expect(byMetric.throughput!.regressionPct).toBeCloseTo(15, 6);
    expect(byMetric.throughput!.regressed).toBe(true);
    expect(byMetric.p99!.regressionPct).toBeCloseTo(5, 6);
    expect(byMetric.p99!.regressed).toBe(false);
  });
});

describe('baselines: which runs are compared', () => {
  it('compares a resized pool with the baseline pool (matched by strategy, not label) and says the size differs', () => {
    const resized = withRuns(fixture, [perRequest, pooledOfSize(pooled, 8), multiplexed]);
    const comparison = compareWithBaseline(resized, fixture, 'base.json', 10);
    expect(comparison.deltas).toHaveLength(9);
    expect(comparison.deltas.filter((d) => d.run === 'pooled(max=8)').map((d) => d.baselineRun)).toEqual([
      'pooled(max=10)',
      'pooled(max=10)',
      'pooled(max=10)',
    ]);
    expect(comparison.unmatched).toEqual([]);
    expect(comparison.baselineUnmatched).toEqual([]);
    expect(comparison.configDifferences).toEqual([
      { field: 'pool.size', baseline: '10', current: '8', run: 'pooled(max=8)' },
    ]);
  });

  it('matches two sweeps by pool size and lists the sizes either side lacks', () => {
    const sweepRuns = sweep.results.filter((r) => r.strategy === 'pooled');
    const shifted = withRuns(sweep, [
      sweep.results[0]!,
      ...[3, 4, 5, 6, 7, 8].map((size) => pooledOfSize(sweepRuns[0]!, size)),
    ]);
    const comparison = compareWithBaseline(shifted, sweep, 'sweep.json', 10);
    expect([...new Set(comparison.deltas.map((d) => `${d.run}~${d.baselineRun}`))]).toEqual([
      'per-request~per-request',
      'pooled(max=3)~pooled(max=3)',
      'pooled(max=4)~pooled(max=4)',
      'pooled(max=5)~pooled(max=5)',
      'pooled(max=6)~pooled(max=6)',
    ]);
    expect(comparison.unmatched).toEqual(['pooled(max=7)', 'pooled(max=8)']);
    expect(comparison.baselineUnmatched).toEqual(['pooled(max=1)', 'pooled(max=2)', 'multiplexed(1 conn)']);
    expect(comparison.configDifferences.map((d) => d.field)).not.toContain('pool.size');
  });

  it('matches one pooled run against a sweep by pool size', () => {
    const sweepNames = sweep.results.map((r) => ({
      strategy: r.strategy,
      label: r.label,
      poolSize: r.pool?.max ?? null,
    }));
    const single = (size: number): RunName[] => [{ strategy: 'pooled', label: `pooled(max=${size})`, poolSize: size }];
    expect(matchRuns(single(4), sweepNames).pairs.map((p) => p.before.label)).toEqual(['pooled(max=4)']);
    expect(matchRuns(single(10), sweepNames)).toMatchObject({ pairs: [], unmatched: single(10) });
    expect(labels(matchRuns(sweepNames, single(4)).unmatched)).toEqual([
      'per-request',
      'pooled(max=1)',
      'pooled(max=2)',
      'pooled(max=3)',
      'pooled(max=5)',
      'pooled(max=6)',
      'multiplexed(1 conn)',
    ]);
  });

  it('lists the runs of the baseline that this run does not have', () => {
    const comparison = compareWithBaseline(withRuns(fixture, [pooled]), fixture, 'base.json', 10);
    expect(comparison.unmatched).toEqual([]);
    expect(comparison.baselineUnmatched).toEqual(['per-request', 'multiplexed(1 conn)']);
  });

  it('refuses, before anything runs, a baseline that no planned run can be compared with', () => {
    const onlyMultiplexed = withRuns(fixture, [multiplexed]);
    const plan = plannedRunNames({
      strategies: ['pooled'],
      pool: { ...fixture.config.pool, size: 8 },
      poolSizes: null,
    });
    expect(() => checkBaselineComparable(plan, onlyMultiplexed, 'base.json')).toThrow(UsageError);
    expect(() => checkBaselineComparable(plan, onlyMultiplexed, 'base.json')).toThrow(
      '--baseline: no run of this benchmark matches a run of base.json (this run: pooled(max=8); base.json: multiplexed(1 conn)); runs are matched by strategy',
    );
    expect(() => checkBaselineComparable(plan, withRuns(fixture, []), 'empty.json')).toThrow(/empty.json: no runs\)/);
    // Another pool size is comparable: that is what resizing is for.
    expect(() => checkBaselineComparable(plan, fixture, 'base.json')).not.toThrow();
  });
});

describe('baselines: configurations that differ', () => {
  it('names every setting that differs, with both values', () => {
    const current: BenchResult = {
      ...fixture,
      config: {
        ...fixture.config,
        concurrency: 20,
        requests: null,
        durationMs: 5000,
        workload: {
          ...fixture.config.workload,
          commands: fixture.config.workload.commands.map((c) => ({ ...c, valueSize: 1024 })),
          commandsPerRequest: 4,
          pipeline: true,
        },
        load: { ...fixture.config.load, ratePerSec: 2000 },
        pool: { ...fixture.config.pool, acquireTimeoutMs: 100 },
        client: { name: 'node-redis', version: '6.4.0' },
      },
      target: { ...fixture.target, redisVersion: '7.2.4' },
    };
    const differences = compareWithBaseline(current, fixture, 'base.json', 10).configDifferences;
    expect(differences).toEqual([
      { field: 'concurrency', baseline: '10', current: '20', run: null },
      { field: 'requests', baseline: '2000', current: 'none', run: null },
      { field: 'durationMs', baseline: 'none', current: '5000', run: null },
      { field: 'workload.valueSize', baseline: '64', current: '1024', run: null },
      { field: 'workload.commandsPerRequest', baseline: '1', current: '4', run: null },
      { field: 'workload.pipeline', baseline: 'false', current: 'true', run: null },
      { field: 'load.ratePerSec', baseline: 'none', current: '2000', run: null },
      { field: 'target.server', baseline: 'Redis 7.0.15', current: 'Redis 7.2.4', run: null },
      // The fixture was written before --client: it ran ioredis, at a version it did not record.
      { field: 'client.name', baseline: 'ioredis', current: 'node-redis', run: null },
      { field: 'pool.acquireTimeoutMs', baseline: '5000', current: '100', run: null },
    ]);
  });

  it('compares pool settings only when a pooled run has a counterpart', () => {
    const current = {
      ...withRuns(fixture, [multiplexed]),
      config: { ...fixture.config, pool: { ...fixture.config.pool, acquireTimeoutMs: 1 } },
    };
    expect(compareWithBaseline(current, fixture, 'base.json', 10).configDifferences).toEqual([]);
  });

  it('skips what an older result file did not record', () => {
    const older = structuredClone(fixture) as unknown as { config: Record<string, unknown>; machine?: unknown };
    delete older.config.rttMs;
    delete older.machine;
    const current = { ...fixture, config: { ...fixture.config, rttMs: 2 }, machine: { ...fixture.machine, cpus: 64 } };
    expect(compareWithBaseline(current, older as unknown as BenchResult, 'old.json', 10).configDifferences).toEqual([]);
  });
});

describe('baselines in the reports', () => {
  it('shows the deltas in the table and the Markdown report', () => {
    const withBaseline = { ...fixture, baseline: compareWithBaseline(fixture, fixture, 'base.json', 10) };
    expect(renderBenchTable(withBaseline)).toContain('Against base.json (allowed regression 10 %)');
    expect(renderBenchTable(withBaseline)).not.toContain('Measured differently');
    expect(renderBenchMarkdown(withBaseline)).toContain('## Against the baseline `base.json`');
  });

  it('shows both runs of a pair, the runs left out and the settings that differ', () => {
    const current = {
      ...withRuns(fixture, [pooledOfSize(pooled, 8)]),
      config: { ...withRuns(fixture, [pooledOfSize(pooled, 8)]).config, concurrency: 16 },
    };
    const result = { ...current, baseline: compareWithBaseline(current, fixture, 'base.json', 10) };
    const table = renderBenchTable(result);
    expect(table).toMatch(/│ pooled\(max=8\) vs pooled\(max=10\) │ throughput/);
    expect(table).toContain('Only in base.json, so not compared: per-request, multiplexed(1 conn)');
    expect(table).toContain(
      'Measured differently (the deltas compare unlike runs):\n  concurrency: 10 in base.json, 16 now\n  pool.size (pooled(max=8)): 10 in base.json, 8 now',
    );
    const markdown = renderBenchMarkdown(result);
    expect(markdown).toContain('| pooled(max=8) vs pooled(max=10) | throughput |');
    expect(markdown).toContain('Only in base.json, so not compared: per-request, multiplexed(1 conn)');
    expect(markdown).toContain(
      '| setting | base.json | now |\n| --- | --- | --- |\n| `concurrency` | 10 | 16 |\n| `pool.size (pooled(max=8))` | 10 | 8 |',
    );
  });

  it('renders a baseline written before the pairing fields existed', () => {
    const comparison = compareWithBaseline(fixture, fixture, 'base.json', 10) as Partial<
      ReturnType<typeof compareWithBaseline>
    >;
    delete comparison.baselineUnmatched;
    delete comparison.configDifferences;
    for (const d of comparison.deltas!) delete (d as Partial<typeof d>).baselineRun;
    const result = { ...fixture, baseline: comparison as ReturnType<typeof compareWithBaseline> };
    expect(renderBenchTable(result)).toContain('│ pooled(max=10)');
    expect(renderBenchMarkdown(result)).toContain('| pooled(max=10) | throughput |');
  });
});
