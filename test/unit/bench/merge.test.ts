import { describe, expect, it } from 'vitest';
import { mergeResults, type MergeInput } from '../../../src/bench/scale-out/merge.js';
import { threadConfigs } from '../../../src/bench/scale-out/threads.js';
import { generatorSaturation } from '../../../src/bench/findings/generator-health.js';
import { UsageError } from '../../../src/errors.js';
import { decode, newHistogram, summarize } from '../../../src/histograms.js';
import type { BenchResult, StrategyResult } from '../../../src/schema/bench.js';
import { readBenchFixture } from '../../helpers/fixtures.js';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);

const SERVER_RUN_ID = 'a9d3c1e0f5b7a9d3c1e0f5b7a9d3c1e0f5b7a9d3';
let machines = 0;

/** The fixture as one load machine's result against one server: its runs' windows from `startMs`, each as long as the run. */
function machine(
  startMs: number,
  change: (result: BenchResult) => void = () => undefined,
  fixture = 'bench-result.json',
): BenchResult {
  const result = readBenchFixture(fixture);
  result.instanceId = `machine-${++machines}`;
  result.target = { ...result.target, mode: 'external', serverRunId: SERVER_RUN_ID };
  for (const run of result.results) {
    run.window = {
      startedAt: new Date(startMs).toISOString(),
      endedAt: new Date(startMs + run.durationMs).toISOString(),
    };
  }
  change(result);
  return result;
}

const inputs = (...results: BenchResult[]): MergeInput[] =>
  results.map((result, i) => ({ file: `m${i + 1}.json`, result }));

function refusal(list: MergeInput[]): string {
  try {
    mergeResults(list);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).not.toContain('\n');
    return (error as Error).message;
  }
  throw new Error('expected merge to refuse');
}

describe('merge: runs of one benchmark on several machines', () => {
  it('adds the histograms exactly (count, max, percentiles of one histogram of both), sums the counts and the rates', () => {
    const a = machine(T0);
    const b = machine(T0 + 10);
    // Two different latency histograms, so that the sum is not a doubling.
    const values = (from: number) => Array.from({ length: 3000 }, (_, i) => from + ((i * 7919) % 5000));
    const [histogramA, histogramB, both] = [newHistogram(), newHistogram(), newHistogram()];
    for (const v of values(100)) {
      histogramA.recordValue(v);
      both.recordValue(v);
    }
    for (const v of values(900)) {
      histogramB.recordValue(v);
      both.recordValue(v);
    }
    a.results[1]!.latency = summarize(histogramA);
    b.results[1]!.latency = summarize(histogramB);

    const merged = mergeResults(inputs(a, b));
    const pooled = merged.results[1]!;
    const [pa, pb] = [a.results[1]!, b.results[1]!];
    const one = summarize(both);
    // Named for both machines' pools, and by one machine's label too (thresholds may name either).
    expect(pooled.label).toBe('pooled(2 × max=10)');
    expect(pooled.instanceLabel).toBe('pooled(max=10)');
    expect(merged.results.map((r) => r.label)).toEqual(['per-request', 'pooled(2 × max=10)', 'multiplexed(2 conns)']);
    expect(pooled.latency).toMatchObject({
      count: one.count,
      max: one.max,
      p50: one.p50,
      p90: one.p90,
      p99: one.p99,
      p999: one.p999,
    });
    expect(decode(pooled.latency.hdr).totalCount).toBe(6000);
    expect(pooled.requests).toBe(pa.requests + pb.requests);
    expect(pooled.errors).toBe(pa.errors + pb.errors);
    expect(pooled.throughput).toBeCloseTo(pa.throughput + pb.throughput, 6);
    expect(pooled.connections.opened).toBe(pa.connections.opened + pb.connections.opened);
    // Each machine has its own pool: the fleet's connections add up.
    expect(pooled.pool!.max).toBe(pa.pool!.max + pb.pool!.max);
    expect(pooled.pool!.hits).toBe(pa.pool!.hits + pb.pool!.hits);
    // One server, read by both: its counts are not added.
    expect(pooled.connections.serverPeakClients).toBe(
      Math.max(pa.connections.serverPeakClients, pb.connections.serverPeakClients),
    );
    // The window both ran in.
    expect(pooled.window).toEqual({ startedAt: new Date(T0 + 10).toISOString(), endedAt: pa.window!.endedAt });
    expect(pooled.durationMs).toBe(Date.parse(pa.window!.endedAt) - (T0 + 10));
    expect(merged.merged!.inputs.map((i) => i.file)).toEqual(['m1.json', 'm2.json']);
    expect(merged.warnings.at(-1)!.code).toBe('merged-server-counts');
    expect(merged.sweep).toBeNull();
  });

  it('merges three the same as two and one', () => {
    const [a, b, c] = [machine(T0), machine(T0 + 10), machine(T0 + 20)];
    const three = mergeResults(inputs(a, b, c)).results[2]!;
    expect(three.requests).toBe(3 * a.results[2]!.requests);
    expect(three.latency.count).toBe(3 * a.results[2]!.latency.count);
  });

  it('refuses fewer than two results, different configurations, different runs, windows apart, missing windows and fault runs', () => {
    expect(refusal(inputs(machine(T0)))).toMatch(/merge needs two or more bench results \(got 1\)/);
    expect(
      refusal(
        inputs(
          machine(T0),
          machine(T0, (r) => (r.config.concurrency = 99)),
        ),
      ),
    ).toMatch(/m1\.json and m2\.json ran different configurations \(config\.concurrency: \d+ against 99\)/);
    const fewer = machine(T0, (r) => {
      r.results.pop();
      r.config.strategies = ['per-request', 'pooled'];
    });
    expect(refusal(inputs(machine(T0), fewer))).toMatch(
      /ran different configurations \(config\.strategies\.2: "multiplexed" against absent\)/,
    );
    const relabelled = machine(T0, (r) => ((r.results[1] as StrategyResult).label = 'pooled(max=11)'));
    expect(refusal(inputs(machine(T0), relabelled))).toMatch(
      /m1\.json has the runs per-request, pooled\(max=10\), multiplexed\(1 conn\), m2\.json has per-request, pooled\(max=11\)/,
    );
    expect(refusal(inputs(machine(T0), machine(T0 + 3_600_000)))).toMatch(
      /the per-request windows do not overlap \(m1\.json 2026-12-01T12:00:00\.000Z – .*\): start the machines together/,
    );
    const old = machine(T0, (r) => delete r.results[0]!.window);
    expect(refusal(inputs(machine(T0), old))).toMatch(/m2\.json has no wall-clock window for per-request/);
    const faulty = (r: BenchResult) =>
      (r.config.faults = [
        { kind: 'kill-clients', atMs: 100, text: 'kill-clients@100ms' } as BenchResult['config']['faults'][number],
      ]);
    expect(refusal(inputs(machine(T0, faulty), machine(T0, faulty)))).toMatch(
      /m1\.json injected faults \(kill-clients@100ms\)/,
    );
  });
});

describe('merge adds up only what can be added', () => {
  it('refuses a result given twice, two files of one run, and a merge beside one of its inputs', () => {
    const a = machine(T0);
    expect(
      refusal([
        { file: 'a.json', result: a },
        { file: 'copy.json', result: structuredClone(a) },
      ]),
    ).toBe(
      `merge: a.json and copy.json hold the same measurements (bench instance ${a.instanceId}): ` +
        `the same result given twice, two files of one run, ` +
        `or a merge and one of its inputs; give each load machine's result once`,
    );
    const b = machine(T0 + 10);
    const ab = { ...mergeResults(inputs(a, b)), thresholds: [], baseline: null };
    expect(ab.merged!.inputs.map((input) => input.instances)).toEqual([[a.instanceId], [b.instanceId]]);
    expect(
      refusal([
        { file: 'ab.json', result: ab },
        { file: 'b.json', result: b },
      ]),
    ).toMatch(/^merge: ab\.json and b\.json hold the same measurements \(bench instance machine-\d+\)/);
    // Results written before instances were recorded: the same run id and start are the same run.
    const old = machine(T0, (r) => delete r.instanceId);
    expect(
      refusal([
        { file: 'old.json', result: old },
        { file: 'old-again.json', result: structuredClone(old) },
      ]),
    ).toMatch(/hold the same measurements \(bench instance [0-9a-f]+@2026/);
  });

  it('refuses runs against different servers, naming both, and says "the same server" only where the run_id was compared', () => {
    const other = machine(
      T0,
      (r) =>
        (r.target = {
          ...r.target,
          url: 'redis://10.1.2.3:6379/0',
          serverRunId: 'ffff0000ffff0000ffff0000ffff0000ffff0000',
        }),
    );
    expect(refusal(inputs(machine(T0), other))).toMatch(
      new RegExp(
        /^merge: m1\.json and m2\.json ran against different servers \(m1\.json: redis:\/\/127\.0\.0\.1:\d+\/0, run_id a9d3c1e0f5b7; /
          .source +
          /m2\.json: redis:\/\/10\.1\.2\.3:6379\/0, run_id ffff0000ffff\): merge adds up load machines that share one server/
            .source,
      ),
    );
    const throwaway = (r: BenchResult): void =>
      void (r.target = { ...r.target, mode: 'ephemeral', serverRunId: `${r.instanceId}`.padEnd(40, '0') });
    expect(refusal(inputs(machine(T0, throwaway), machine(T0, throwaway)))).toMatch(
      /\(a run without --url starts a throwaway server of its own\)/,
    );
    // The same server reached by two addresses: its run_id says it is one.
    const viaName = machine(T0, (r) => (r.target = { ...r.target, url: 'redis://redis.internal:6379/0' }));
    expect(mergeResults(inputs(machine(T0), viaName)).warnings.at(-1)!.message).toMatch(
      /since each read the same server \(the same run_id\)$/,
    );

    // Without run ids (older results): the addresses must be the same, and the note says it was not checked.
    const unnamed = (r: BenchResult): void => void delete r.target.serverRunId;
    const note = mergeResults(inputs(machine(T0, unnamed), machine(T0, unnamed))).warnings.at(-1)!.message;
    expect(note).toMatch(/on the assumption that each read the same server: .* so it could not be checked$/);
    expect(note).not.toMatch(/since each read the same server/);
    expect(
      refusal(
        inputs(
          machine(T0, unnamed),
          machine(T0, (r) => (unnamed(r), (r.target.url = 'redis://elsewhere:6379/0'))),
        ),
      ),
    ).toMatch(
      /ran against different servers \(m1\.json: redis:\/\/127\.0\.0\.1:\d+\/0; m2\.json: redis:\/\/elsewhere:6379\/0\)/,
    );
  });
});

describe('merge: capacity curves, step by step', () => {
  const curve = (startMs: number, change?: (result: BenchResult) => void): BenchResult =>
    machine(startMs, change, 'bench-curve-result.json');

  it("adds up each step of two machines: the rates they offered together, their knee, each machine's label kept", () => {
    // Machine a's generator kept up at per-request's 4,000/s; machine b's was the bottleneck there, as in the fixture.
    const a = curve(T0, (r) => {
      const step = r.results.find((x) => x.label === 'per-request@4000')!;
      step.generator = { ...step.generator!, eventLoopUtilization: 0.5, lagP99Ms: 0.5 };
    });
    const b = curve(T0 + 10);
    expect(generatorSaturation(a.results[1]!)).toBeNull();
    expect(generatorSaturation(b.results[1]!)!.reasons).toContain('busy-loop');
    const merged = mergeResults(inputs(a, b));
    expect(merged.results.map((r) => r.label)).toEqual([
      'per-request@1000',
      'per-request@8000',
      'per-request@32000',
      'pooled(2 × max=50)@1000',
      'pooled(2 × max=50)@8000',
      'pooled(2 × max=50)@32000',
    ]);
    expect(merged.results.map((r) => r.instanceLabel)).toEqual(a.results.map((r) => r.label));
    const [perRequest, pooled] = merged.capacity!;
    for (const c of [perRequest!, pooled!]) {
      expect(c.instances).toBe(2);
      expect(c.rows.map((row) => row.offeredRatePerSec)).toEqual([1000, 8000, 32000]);
      for (const row of c.rows) {
        const step = merged.results.find((r) => r.label === `${c.label}@${row.offeredRatePerSec}`)!;
        expect(row.achievedRatePerSec).toBe(step.throughput);
        expect(row.p99Ms).toBe(step.latency.p99);
      }
    }
    // Two of the same machine: the same latencies at twice the rates, so each knee is twice one machine's.
    const one = a.capacity!;
    expect(perRequest!.kneeRatePerSec).toBe(2 * one[0]!.kneeRatePerSec!);
    expect(pooled!.kneeRatePerSec).toBe(2 * one[1]!.kneeRatePerSec!);
    // One machine's saturated generator marks the merged step.
    expect(perRequest!.rows.map((row) => row.generatorSaturated)).toEqual([false, true, true]);
    expect(pooled!.rows.map((row) => row.generatorSaturated)).toEqual([false, false, false]);
  });

  it('refuses a curve beside a run of one rate, and curves of other rates', () => {
    const single = curve(T0, (r) => {
      r.config.rates = null;
    });
    expect(refusal(inputs(curve(T0), single))).toMatch(
      /ran different configurations \(config\.rates: \[500,4000,16000\] against null\)/,
    );
    const other = curve(T0, (r) => {
      r.config.rates = [500, 4000, 8000];
    });
    expect(refusal(inputs(curve(T0), other))).toMatch(/config\.rates\.2: 16000 against 8000/);
  });

  it('adds up the threads of one curve: each offered its share of a step, the merged step is named for the whole rate', () => {
    const whole = curve(T0).config;
    whole.threads = 3;
    whole.concurrency = 100;
    const shares = threadConfigs(whole);
    const threads = shares.map((share, i) =>
      curve(T0 + i, (r) => {
        r.config = share;
        // Each thread's steps are labelled with its share of the rate: 4000 × 34/100 = 1360, × 33/100 = 1320.
        for (const run of r.results)
          run.label = run.label.replace(/@(\d+)$/, (_, rate) => `@${(Number(rate) * share.concurrency) / 100}`);
      }),
    );
    expect(threads[0]!.results[1]!.label).toBe('per-request@1360');
    const merged = mergeResults(inputs(...threads), whole);
    expect(merged.results.map((r) => r.label)).toEqual([
      'per-request@500',
      'per-request@4000',
      'per-request@16000',
      'pooled(3 × max=50)@500',
      'pooled(3 × max=50)@4000',
      'pooled(3 × max=50)@16000',
    ]);
    expect(merged.capacity!.map((c) => [c.instances, c.rows.map((row) => row.offeredRatePerSec)])).toEqual([
      [3, [500, 4000, 16000]],
      [3, [500, 4000, 16000]],
    ]);
  });
});
