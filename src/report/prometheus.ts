import type { BenchResult, LatencySummary, StrategyResult } from '../schema/bench.js';

/**
 * The result in Prometheus text format. Pool metrics carry the OpenTelemetry database-client names
 * (db.client.connection.*) as the OpenTelemetry Collector translates them for Prometheus: dots become
 * underscores, a unit in base units is appended (`_seconds`), an annotation unit such as `{connection}` is
 * dropped, counters end in `_total`. One name needs more: `db.client.connection.count` would become
 * `db_client_connection_count`, and Prometheus reserves `_count` (like `_sum`, `_bucket`) for summaries and
 * histograms (`promtool check metrics` rejects it), so there the unit is spelt out as a word:
 * `db_client_connection_count_connections`.
 * Attributes become labels the same way: db.client.connection.pool.name (the run's label) and
 * db.client.connection.state; every series also carries the strategy.
 */
export function toPrometheus(result: BenchResult): string {
  const families: Family[] = [
    gauge(
      'db_client_connection_count_connections',
      'Connections at the end of the window, by state (idle or used): OpenTelemetry db.client.connection.count.',
      (r) =>
        r.pool
          ? [
              { labels: { [STATE_LABEL]: 'idle' }, value: r.pool.idleConns },
              { labels: { [STATE_LABEL]: 'used' }, value: r.pool.totalConns - r.pool.idleConns },
            ]
          : [],
    ),
    gauge('db_client_connection_max', 'Most connections the pool allows.', (r) =>
      r.pool ? [{ value: r.pool.max }] : [],
    ),
    gauge('db_client_connection_idle_min', 'Fewest idle connections the pool keeps.', (r) =>
      r.pool ? [{ value: r.pool.minIdle }] : [],
    ),
    counter('db_client_connection_timeouts_total', 'Acquires that timed out waiting for a connection.', (r) =>
      r.pool ? [{ value: r.pool.timeouts }] : [],
    ),
    summary('db_client_connection_wait_time_seconds', 'Time to get a connection from the pool.', (r) => r.acquireWait),
    summary(
      'db_client_connection_create_time_seconds',
      'Time to open a connection (socket opened to ready).',
      (r) => r.connect,
    ),
    {
      name: 'db_client_connection_use_time_seconds',
      help: 'Time a request held its connection exclusively (pooled: acquired to released; per-request: connect to close).',
      type: 'summary',
      samples: (r) => {
        // Multiplexed requests share one connection: none holds it, so there is no use time to report.
        if (r.strategy === 'multiplexed') return [];
        const held = r.requests - r.errors;
        return [
          { suffix: '_sum', value: (r.load.holdMeanMs / 1000) * held },
          { suffix: '_count', value: held },
        ];
      },
    },
    gauge(
      'redis_pool_throughput_requests_per_second',
      'Successful requests per second in the measured window.',
      (r) => [{ value: r.throughput }],
    ),
    counter('redis_pool_requests_total', 'Requests completed in the measured window, failed ones included.', (r) => [
      { value: r.requests },
    ]),
    counter('redis_pool_errors_total', 'Failed requests, by kind.', (r) =>
      Object.entries(r.errorsByKind).map(([kind, value]) => ({ labels: { kind }, value })),
    ),
    summary('redis_pool_request_latency_seconds', 'Request latency (intended start to last reply).', (r) => r.latency),
  ];
  return `${families
    .map((family) => renderFamily(family, result.results))
    .filter(Boolean)
    .join('\n')}\n`;
}

/** The OpenTelemetry attributes db.client.connection.pool.name and db.client.connection.state, as labels. */
export const POOL_NAME_LABEL = 'db_client_connection_pool_name';
export const STATE_LABEL = 'db_client_connection_state';

interface Sample {
  suffix?: string;
  labels?: Record<string, string>;
  value: number;
}

interface Family {
  name: string;
  help: string;
  type: 'gauge' | 'counter' | 'summary';
  samples: (run: StrategyResult) => Sample[];
}

const gauge = (name: string, help: string, samples: Family['samples']): Family => ({
  name,
  help,
  type: 'gauge',
  samples,
});
const counter = (name: string, help: string, samples: Family['samples']): Family => ({
  name,
  help,
  type: 'counter',
  samples,
});

/** A histogram summary as a Prometheus summary in seconds: quantiles 0.5, 0.9, 0.99, 0.999, sum and count. */
function summary(name: string, help: string, pick: (run: StrategyResult) => LatencySummary | null): Family {
  return {
    name,
    help,
    type: 'summary',
    samples: (run) => {
      const s = pick(run);
      if (!s) return [];
      const quantiles: [string, number][] = [
        ['0.5', s.p50],
        ['0.9', s.p90],
        ['0.99', s.p99],
        ['0.999', s.p999],
      ];
      return [
        ...quantiles.map(([quantile, ms]) => ({ labels: { quantile }, value: ms / 1000 })),
        { suffix: '_sum', value: (s.mean * s.count) / 1000 },
        { suffix: '_count', value: s.count },
      ];
    },
  };
}

function renderFamily(family: Family, runs: StrategyResult[]): string {
  const lines = runs.flatMap((run) =>
    family.samples(run).map((sample) => {
      const labels = { [POOL_NAME_LABEL]: run.label, strategy: run.strategy, ...sample.labels };
      const text = Object.entries(labels)
        .map(([key, value]) => `${key}="${escapeLabel(value)}"`)
        .join(',');
      return `${family.name}${sample.suffix ?? ''}{${text}} ${formatValue(sample.value)}`;
    }),
  );
  if (lines.length === 0) return '';
  return [`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`, ...lines].join('\n');
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  return Number.isFinite(value) ? String(value) : 'NaN';
}
