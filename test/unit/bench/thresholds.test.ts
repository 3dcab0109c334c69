import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateThresholds, parseThreshold } from '../../../src/bench/gates/thresholds.js';
import { parseBenchConfig } from '../../../src/cli/bench-options.js';
import { UsageError } from '../../../src/errors.js';
import { newHistogram, summarize } from '../../../src/histograms.js';
import { readBenchFixture } from '../../helpers/fixtures.js';
import { tempDir } from '../../helpers/temp-dir.js';

const fixture = readBenchFixture('bench-result.json');
const [perRequest, pooled] = fixture.results;

describe('thresholds', () => {
  it('reads k6-style expressions', () => {
    expect(parseThreshold('pooled:latency:p(99)<2')).toMatchObject({
      strategy: 'pooled',
      metric: 'latency',
      percentile: 99,
      op: '<',
      value: 2,
    });
    expect(parseThreshold('*:throughput:value>=10000')).toMatchObject({
      strategy: '*',
      metric: 'throughput',
      aggregation: 'value',
      op: '>=',
    });
    expect(parseThreshold('pooled(max=10):errors:rate<0.001')).toMatchObject({
      strategy: 'pooled(max=10)',
      aggregation: 'rate',
    });
  });

  it.each([
    'pooled:latency',
    'pooled:latency:p(99)',
    'pooled:speed:value<1',
    'pooled:errors:p(99)<1',
    'pooled:latency:p(0)<1',
    'pooled:latency:p(99)~2',
  ])('refuses %j', (raw) => {
    expect(() => parseThreshold(raw)).toThrow(UsageError);
  });

  it('checks each threshold against the measured values', () => {
    const verdicts = evaluateThresholds(
      [
        parseThreshold(`pooled:latency:p(99)<=${pooled!.latency.p99}`),
        parseThreshold(`pooled:latency:p(99)<${pooled!.latency.p99}`),
        parseThreshold('*:errors:rate<0.001'),
        parseThreshold(`per-request:connections:opened>=${perRequest!.connections.opened}`),
        parseThreshold(`pooled:throughput:value>${pooled!.throughput * 2}`),
      ],
      fixture.results,
    );
    expect(verdicts.map((v) => [v.threshold.split(':')[0], v.ok])).toEqual([
      ['pooled', true],
      ['pooled', false],
      ['*', true],
      ['*', true],
      ['*', true],
      ['per-request', true],
      ['pooled', false],
    ]);
    expect(verdicts[0]!.actual).toBe(pooled!.latency.p99);
  });

  it('reads any percentile from the exact histogram', () => {
    const [verdict] = evaluateThresholds([parseThreshold('pooled:latency:p(95)<1000')], fixture.results);
    expect(verdict!.actual!).toBeGreaterThanOrEqual(pooled!.latency.p90);
    expect(verdict!.actual!).toBeLessThanOrEqual(pooled!.latency.p99);
  });

  it('reads a percentile from the histogram never above the exact maximum, as max is read', () => {
    const histogram = newHistogram();
    // Every value in the bucket that ends at 8207 µs: HDR reports 8.207 ms at any percentile.
    for (let i = 0; i < 100; i++) histogram.recordValue(8202);
    const run = { ...pooled!, latency: summarize(histogram) };
    const verdicts = evaluateThresholds(
      [parseThreshold('pooled:latency:p(95)<8.205'), parseThreshold('pooled:latency:max<8.205')],
      [run],
    );
    expect(verdicts.map((v) => [v.actual, v.ok])).toEqual([
      [8.202, true],
      [8.202, true],
    ]);
  });

  it('names a run of several instances by its label or by the label of one of them', () => {
    const multiplexed = fixture.results.find((r) => r.strategy === 'multiplexed')!;
    const twoThreads = { ...multiplexed, label: 'multiplexed(2 conns)', instanceLabel: 'multiplexed(1 conn)' };
    const verdicts = evaluateThresholds(
      ['multiplexed(2 conns):errors:count<1', 'multiplexed(1 conn):errors:count<1'].map(parseThreshold),
      [twoThreads],
    );
    expect(verdicts.map((v) => v.run)).toEqual(['multiplexed(2 conns)', 'multiplexed(2 conns)']);
    expect(() =>
      parseBenchConfig({
        concurrency: '8',
        threads: '2',
        threshold: ['multiplexed(1 conn):errors:count<1', 'pooled(2 × max=4):errors:count<1'],
      }),
    ).not.toThrow();
  });

  it('fails a threshold that names no run', () => {
    expect(evaluateThresholds([parseThreshold('pooled(max=99):latency:max<1')], fixture.results)).toEqual([
      { threshold: 'pooled(max=99):latency:max<1', run: null, actual: null, ok: false },
    ]);
  });
});

describe('thresholds that could never be checked are refused with the config', () => {
  const refusal = (raw: Parameters<typeof parseBenchConfig>[0]): string => {
    try {
      parseBenchConfig(raw);
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  it('a strategy that is not in the run (a typo, or one left out of --strategy)', () => {
    expect(refusal({ concurrency: '8', threshold: ['pool:latency:p(99)<5'] })).toBe(
      '--threshold "pool:latency:p(99)<5": this benchmark has no run called "pool"; ' +
        'accepted here: * (every run), a strategy of this run (per-request, pooled, ' +
        "multiplexed) or a run's label (pooled(max=8), multiplexed(1 conn))",
    );
    expect(refusal({ strategy: 'pooled', poolSize: '8', threshold: ['per-request:latency:p(99)<5'] })).toMatch(
      /no run called "per-request"; accepted here: \* \(every run\), a strategy of this run \(pooled\) or a run's label \(pooled\(max=8\)\)$/,
    );
  });

  it('a run label that cannot exist: a pool size not run, or not in the sweep', () => {
    expect(refusal({ poolSize: '8', threshold: ['pooled(max=9):latency:max<5'] })).toMatch(
      /no run called "pooled\(max=9\)".*pooled\(max=8\)/,
    );
    expect(refusal({ poolSize: '2..6', threshold: ['pooled(max=8):latency:max<5'] })).toMatch(
      /pooled\(max=2\), pooled\(max=3\), pooled\(max=4\), pooled\(max=5\), pooled\(max=6\)/,
    );
    expect(() =>
      parseBenchConfig({
        poolSize: '2..6',
        threshold: ['pooled(max=4):latency:max<5', 'multiplexed(1 conn):errors:count<1'],
      }),
    ).not.toThrow();
  });

  it('a metric the strategy cannot have', () => {
    expect(refusal({ threshold: ['multiplexed:acquireWait:p(99)<5'] })).toBe(
      '--threshold "multiplexed:acquireWait:p(99)<5": ' +
        'multiplexed has no acquireWait (only a pool makes a request wait for a connection); ' +
        "multiplexed's metrics: latency, connect, errors, throughput, connections",
    );
    expect(refusal({ threshold: ['per-request:acquireWait:max<5'] })).toMatch(
      /^--threshold "per-request:acquireWait:max<5": per-request has no acquireWait/,
    );
    expect(refusal({ strategy: 'per-request,multiplexed', threshold: ['*:acquireWait:max<5'] })).toBe(
      '--threshold "*:acquireWait:max<5": ' +
        'no run of this benchmark has acquireWait (only a pool makes a request wait for a connection); ' +
        'this benchmark runs per-request, multiplexed(1 conn)',
    );
  });

  it('accepts what every strategy records, and * wherever one run has the metric', () => {
    for (const strategy of ['per-request', 'pooled', 'multiplexed', '*']) {
      expect(() =>
        parseBenchConfig({
          threshold: [
            `${strategy}:connect:p(99)<5`,
            `${strategy}:latency:avg<5`,
            `${strategy}:errors:rate<0.1`,
            `${strategy}:throughput:value>1`,
            `${strategy}:connections:opened>=0`,
          ],
        }),
      ).not.toThrow();
    }
    expect(() =>
      parseBenchConfig({
        threshold: ['*:acquireWait:p(99)<5', 'pooled:acquireWait:max<5', 'pooled(max=50):acquireWait:max<5'],
      }),
    ).not.toThrow();
  });

  it('names the scenario file, line, column and field when the threshold was written there', () => {
    const dir = tempDir('thr');
    const file = join(dir, 'multiplexed.yaml');
    writeFileSync(
      file,
      'name: m\ndescription: one connection\nworkload:\n  commands: [{ command: get, weight: ' +
        '1 }]\nstrategies: [multiplexed]\nthresholds:\n  - "multiplexed:acquireWait:p(99)<5"\n',
    );
    expect(refusal({ scenario: file })).toBe(
      `${file}:7:5: thresholds[0] "multiplexed:acquireWait:p(99)<5": ` +
        `multiplexed has no acquireWait (only a pool makes a request wait for a connection); ` +
        `multiplexed's metrics: latency, connect, errors, throughput, connections`,
    );
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '  - "multiplexed:acquireWait:p(99)<5"',
        '  - "*:errors:rate<0.1"\n  - "pool:latency:p(99)<5"',
      ),
    );
    expect(refusal({ scenario: file })).toMatch(
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:8:5: thresholds\\[1\\] "pool:latency:p\\(99\\)<5": this benchmark has no run called "pool"`,
      ),
    );
    writeFileSync(file, readFileSync(file, 'utf8').replace('pool:latency:p(99)', 'multiplexed:latency:p(99)'));
    expect(refusal({ scenario: file, threshold: ['pooled:latency:max<1'] })).toMatch(
      /^--threshold "pooled:latency:max<1": this benchmark has no run called "pooled"/,
    );
  });

  it('* checks acquireWait on the pooled runs only', () => {
    const verdicts = evaluateThresholds([parseThreshold('*:acquireWait:max<100000')], fixture.results);
    expect(verdicts).toEqual([expect.objectContaining({ run: pooled!.label, ok: true })]);
  });
});
