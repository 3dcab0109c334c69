import { describe, expect, it } from 'vitest';
import { POOL_NAME_LABEL, STATE_LABEL, toPrometheus } from '../../../src/report/prometheus.js';
import { readBenchFixture } from '../../helpers/fixtures.js';

const fixture = readBenchFixture('bench-result.json');
const SAMPLE = /^([a-z_]+)\{((?:[a-z_]+="[^"]*",?)+)\} (\S+)$/;

/** Parse the exposition text back: every line is a HELP, a TYPE or a well-formed sample of a declared family. */
function parse(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const declared = new Set<string>();
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.trimEnd().split('\n')) {
    const type = /^# TYPE (\S+) (gauge|counter|summary)$/.exec(line);
    if (type) declared.add(type[1]!);
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    expect(match, line).not.toBeNull();
    const [, name, labelText, value] = match!;
    expect(
      [...declared].some((family) => name === family || name!.startsWith(`${family}_`)),
      line,
    ).toBe(true);
    const labels = Object.fromEntries([...labelText!.matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    samples.push({ name: name!, labels, value: Number(value) });
  }
  return samples;
}

describe('Prometheus export', () => {
  const samples = parse(toPrometheus(fixture));
  const pooled = fixture.results.find((r) => r.strategy === 'pooled')!;
  const find = (name: string, labels: Record<string, string> = {}): number | undefined =>
    samples.find(
      (s) =>
        s.name === name &&
        s.labels[POOL_NAME_LABEL] === pooled.label &&
        Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    )?.value;

  it('names pool metrics after the OpenTelemetry database-client conventions, in base units', () => {
    expect(find('db_client_connection_count_connections', { [STATE_LABEL]: 'idle' })).toBe(pooled.pool!.idleConns);
    expect(find('db_client_connection_count_connections', { [STATE_LABEL]: 'used' })).toBe(
      pooled.pool!.totalConns - pooled.pool!.idleConns,
    );
    expect(find('db_client_connection_max')).toBe(pooled.pool!.max);
    expect(find('db_client_connection_idle_min')).toBe(pooled.pool!.minIdle);
    expect(find('db_client_connection_timeouts_total')).toBe(pooled.pool!.timeouts);
    expect(find('db_client_connection_wait_time_seconds', { quantile: '0.99' })).toBeCloseTo(
      pooled.acquireWait!.p99 / 1000,
      12,
    );
    expect(find('db_client_connection_wait_time_seconds_count')).toBe(pooled.acquireWait!.count);
    expect(find('db_client_connection_create_time_seconds_count')).toBe(pooled.connect!.count);
    expect(find('db_client_connection_use_time_seconds_count')).toBe(pooled.requests - pooled.errors);
  });

  it('reports a use time only where a request holds a connection exclusively (not on the shared multiplexed one)', () => {
    const useTime = (label: string): number | undefined =>
      samples.find(
        (s) => s.name === 'db_client_connection_use_time_seconds_count' && s.labels[POOL_NAME_LABEL] === label,
      )?.value;
    const perRequest = fixture.results.find((r) => r.strategy === 'per-request')!;
    expect(useTime(perRequest.label)).toBe(perRequest.requests - perRequest.errors);
    expect(useTime('multiplexed(1 conn)')).toBeUndefined();
  });

  it('has the request metrics of every strategy', () => {
    for (const r of fixture.results) {
      expect(
        samples.find(
          (s) => s.name === 'redis_pool_throughput_requests_per_second' && s.labels[POOL_NAME_LABEL] === r.label,
        )?.value,
      ).toBe(r.throughput);
      expect(
        samples.find(
          (s) =>
            s.name === 'redis_pool_request_latency_seconds' &&
            s.labels[POOL_NAME_LABEL] === r.label &&
            s.labels.quantile === '0.5',
        )?.value,
      ).toBeCloseTo(r.latency.p50 / 1000, 12);
    }
  });

  it('never ends a gauge or counter in a suffix Prometheus reserves for summaries and histograms', () => {
    const text = toPrometheus(fixture);
    const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    for (const [name, type] of types) {
      if (type !== 'summary') expect(name, `${name} (${type})`).not.toMatch(/_(count|sum|bucket)$/);
      if (type !== 'counter') expect(name, `${name} (${type})`).not.toMatch(/_total$/);
    }
  });
});
