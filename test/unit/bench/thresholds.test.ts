import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateThresholds, parseThreshold } from '../../../src/bench/thresholds.js';
import { UsageError } from '../../../src/errors.js';
import type { BenchResult } from '../../../src/report/bench-schema.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/bench-result.json', import.meta.url), 'utf8')) as BenchResult;
const [perRequest, pooled] = fixture.results;

describe('thresholds', () => {
  it('reads k6-style expressions', () => {
    expect(parseThreshold('pooled:latency:p(99)<2')).toMatchObject({ strategy: 'pooled', metric: 'latency', percentile: 99, op: '<', value: 2 });
    expect(parseThreshold('*:throughput:value>=10000')).toMatchObject({ strategy: '*', metric: 'throughput', aggregation: 'value', op: '>=' });
    expect(parseThreshold('pooled(max=10):errors:rate<0.001')).toMatchObject({ strategy: 'pooled(max=10)', aggregation: 'rate' });
  });

  it.each(['pooled:latency', 'pooled:latency:p(99)', 'pooled:speed:value<1', 'pooled:errors:p(99)<1', 'pooled:latency:p(0)<1', 'pooled:latency:p(99)~2'])(
    'refuses %j',
    (raw) => {
      expect(() => parseThreshold(raw)).toThrow(UsageError);
    },
  );

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

  it('fails a threshold that names no run', () => {
    expect(evaluateThresholds([parseThreshold('pooled(max=99):latency:max<1')], fixture.results)).toEqual([
      { threshold: 'pooled(max=99):latency:max<1', run: null, actual: null, ok: false },
    ]);
  });
});
