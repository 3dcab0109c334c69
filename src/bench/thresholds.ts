import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { UsageError } from '../errors.js';
import type { LatencySummary, StrategyResult } from '../report/bench-schema.js';

/**
 * k6-style pass/fail criteria: `<strategy>:<metric>:<aggregation><op><number>`, e.g. `pooled:latency:p(99)<2`,
 * `pooled:errors:rate<0.001`, `*:throughput:value>10000`. The strategy is a name (per-request, pooled,
 * multiplexed: every run of it, sweep sizes included), a label (`pooled(max=8)`) or `*` (every run).
 */
export interface Threshold {
  text: string;
  strategy: string;
  metric: ThresholdMetric;
  aggregation: string;
  /** For p(N): the percentile. */
  percentile: number | null;
  op: Operator;
  value: number;
}

export interface ThresholdVerdict {
  threshold: string;
  /** The run it was checked on (its label); null when no run matched. */
  run: string | null;
  actual: number | null;
  ok: boolean;
}

const LATENCY_METRICS = ['latency', 'acquireWait', 'connect'] as const;
const METRICS = [...LATENCY_METRICS, 'errors', 'throughput', 'connections'] as const;
type ThresholdMetric = (typeof METRICS)[number];
const OPERATORS = ['<=', '>=', '==', '!=', '<', '>'] as const;
type Operator = (typeof OPERATORS)[number];

const AGGREGATIONS: Record<ThresholdMetric, string[]> = {
  latency: ['p(N)', 'avg', 'med', 'max', 'count'],
  acquireWait: ['p(N)', 'avg', 'med', 'max', 'count'],
  connect: ['p(N)', 'avg', 'med', 'max', 'count'],
  errors: ['rate', 'count'],
  throughput: ['value'],
  connections: ['opened', 'used', 'peak'],
};

const ACCEPTED = "'<strategy|*>:<metric>:<aggregation><op><number>', e.g. pooled:latency:p(99)<2, pooled:errors:rate<0.001, *:throughput:value>10000";

export function parseThreshold(raw: string): Threshold {
  return parseThresholdFrom(raw, '--threshold');
}

/** `source` names where the text came from in the error: the flag, or a scenario file's `thresholds[1]`. */
export function parseThresholdFrom(raw: string, source: string): Threshold {
  const fail = (why: string): never => {
    throw new UsageError(`${source} ${JSON.stringify(raw)}: ${why}; expected ${ACCEPTED}`);
  };
  const match = /^([^:]+):([A-Za-z]+):(p\((\d+(?:\.\d+)?)\)|[a-z]+)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)$/.exec(raw.trim());
  if (!match) return fail('not a threshold');
  const [, strategy, metricText, aggregation, percentileText, op, valueText] = match;
  if (!(METRICS as readonly string[]).includes(metricText!)) return fail(`unknown metric ${JSON.stringify(metricText)} (metrics: ${METRICS.join(', ')})`);
  const metric = metricText as ThresholdMetric;
  const percentile = percentileText !== undefined ? Number(percentileText) : null;
  const allowed = AGGREGATIONS[metric];
  const name = percentile !== null ? 'p(N)' : aggregation!;
  if (!allowed.includes(name)) return fail(`${metric} takes ${allowed.join(', ')}`);
  if (percentile !== null && !(percentile > 0 && percentile <= 100)) return fail('a percentile is from 0 (excluded) to 100');
  return { text: raw.trim(), strategy: strategy!, metric, aggregation: aggregation!, percentile, op: op as Operator, value: Number(valueText) };
}

/** Every threshold against every run it names; a threshold that names no run fails. */
export function evaluateThresholds(thresholds: Threshold[], results: StrategyResult[]): ThresholdVerdict[] {
  return thresholds.flatMap((threshold): ThresholdVerdict[] => {
    const runs = results.filter((r) => threshold.strategy === '*' || r.strategy === threshold.strategy || r.label === threshold.strategy);
    if (runs.length === 0) return [{ threshold: threshold.text, run: null, actual: null, ok: false }];
    return runs.map((run) => {
      const actual = measure(threshold, run);
      return { threshold: threshold.text, run: run.label, actual, ok: actual !== null && compare(actual, threshold.op, threshold.value) };
    });
  });
}

function measure(threshold: Threshold, run: StrategyResult): number | null {
  switch (threshold.metric) {
    case 'latency':
    case 'acquireWait':
    case 'connect':
      return fromSummary(run[threshold.metric], threshold);
    case 'errors':
      return threshold.aggregation === 'count' ? run.errors : run.requests === 0 ? 0 : run.errors / run.requests;
    case 'throughput':
      return run.throughput;
    case 'connections':
      return threshold.aggregation === 'opened' ? run.connections.opened : threshold.aggregation === 'used' ? run.connections.used : run.connections.peakOpen;
  }
}

/** Latency aggregations in ms; a percentile the summary does not carry is read from its exact histogram. */
function fromSummary(summary: LatencySummary | null, threshold: Threshold): number | null {
  if (summary === null) return null;
  if (threshold.percentile !== null) {
    const known: Record<string, number> = { '50': summary.p50, '90': summary.p90, '99': summary.p99, '99.9': summary.p999, '100': summary.max };
    const key = String(threshold.percentile);
    if (key in known) return known[key]!;
    const histogram = decodeFromCompressedBase64(summary.hdr);
    return Math.min(histogram.getValueAtPercentile(threshold.percentile), histogram.maxValue) / 1000;
  }
  switch (threshold.aggregation) {
    case 'avg':
      return summary.mean;
    case 'med':
      return summary.p50;
    case 'max':
      return summary.max;
    default:
      return summary.count;
  }
}

function compare(actual: number, op: Operator, value: number): boolean {
  switch (op) {
    case '<':
      return actual < value;
    case '<=':
      return actual <= value;
    case '>':
      return actual > value;
    case '>=':
      return actual >= value;
    case '==':
      return actual === value;
    case '!=':
      return actual !== value;
  }
}
