import { summaryPercentiles } from '../../histograms.js';
import { UsageError } from '../../errors.js';
import type {
  BenchConfig,
  LatencySummary,
  StrategyName,
  StrategyResult,
  ThresholdVerdict,
} from '../../schema/bench.js';
import { namesRun, plannedRunNames, type RunName } from './run-plan.js';

/**
 * k6-style pass/fail criteria: `<strategy>:<metric>:<aggregation><op><number>`, e.g. `pooled:latency:p(99)<2`,
 * `pooled:errors:rate<0.001`, `*:throughput:value>10000`. The strategy is a name (per-request, pooled,
 * multiplexed: every run of it, sweep sizes included), a label (`pooled(max=8)`; for a run of several instances,
 * `multiplexed(2 conns)` or the label of one of them, `multiplexed(1 conn)`) or `*` (every run that has the metric).
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

const LATENCY_METRICS = ['latency', 'acquireWait', 'connect'] as const;
const METRICS = [...LATENCY_METRICS, 'errors', 'throughput', 'connections'] as const;
type ThresholdMetric = (typeof METRICS)[number];
/** The comparisons parseThresholdFrom's pattern accepts. */
type Operator = '<=' | '>=' | '==' | '!=' | '<' | '>';

const AGGREGATIONS: Record<ThresholdMetric, string[]> = {
  latency: ['p(N)', 'avg', 'med', 'max', 'count'],
  acquireWait: ['p(N)', 'avg', 'med', 'max', 'count'],
  connect: ['p(N)', 'avg', 'med', 'max', 'count'],
  errors: ['rate', 'count'],
  throughput: ['value'],
  connections: ['opened', 'used', 'peak'],
};

/** Only a pool makes a request wait for a connection: the other strategies have no acquireWait. */
const METRICS_OF: Record<StrategyName, readonly ThresholdMetric[]> = {
  'per-request': METRICS.filter((m) => m !== 'acquireWait'),
  pooled: METRICS,
  multiplexed: METRICS.filter((m) => m !== 'acquireWait'),
};

const hasMetric = (strategy: StrategyName, metric: ThresholdMetric): boolean => METRICS_OF[strategy].includes(metric);

const ACCEPTED =
  "'<strategy|*>:<metric>:<aggregation><op><number>', e.g. pooled:latency:p(99)<2, pooled:errors:rate<0.001, *:throughput:value>10000";

export function parseThreshold(raw: string): Threshold {
  return parseThresholdFrom(raw, '--threshold');
}

/** `source` names where the text came from in the error: the flag, or a scenario file's `thresholds[1]`. */
export function parseThresholdFrom(raw: string, source: string): Threshold {
  const fail = (why: string): never => {
    throw new UsageError(`${source} ${JSON.stringify(raw)}: ${why}; expected ${ACCEPTED}`);
  };
  const match = /^([^:]+):([A-Za-z]+):(p\((\d+(?:\.\d+)?)\)|[a-z]+)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)$/.exec(
    raw.trim(),
  );
  if (!match) return fail('not a threshold');
  const [, strategy, metricText, aggregation, percentileText, op, valueText] = match;
  if (!(METRICS as readonly string[]).includes(metricText!))
    return fail(`unknown metric ${JSON.stringify(metricText)} (metrics: ${METRICS.join(', ')})`);
  const metric = metricText as ThresholdMetric;
  const percentile = percentileText !== undefined ? Number(percentileText) : null;
  const allowed = AGGREGATIONS[metric];
  const name = percentile !== null ? 'p(N)' : aggregation!;
  if (!allowed.includes(name)) return fail(`${metric} takes ${allowed.join(', ')}`);
  if (percentile !== null && !(percentile > 0 && percentile <= 100))
    return fail('a percentile is from 0 (excluded) to 100');
  return {
    text: raw.trim(),
    strategy: strategy!,
    metric,
    aggregation: aggregation!,
    percentile,
    op: op as Operator,
    value: Number(valueText),
  };
}

/**
 * A threshold that could never be checked on this benchmark is refused before anything connects: one naming no run
 * that will exist (a typo, a strategy left out, a pool size not in the sweep), or a metric its strategy cannot have.
 * `fileSources`: where the scenario file's thresholds are written (`api.yaml:21:5: thresholds[0]`), so that the
 * message points at the bad one; config.thresholds lists the file's first, in file order, then the flags'.
 */
export function checkThresholdsApply(config: BenchConfig, fileSources: readonly string[] = []): void {
  const runs = plannedRunNames(config);
  config.thresholds.forEach((text, index) => {
    const problem = whyNeverChecked(parseThreshold(text), runs);
    if (problem === null) return;
    throw new UsageError(`${fileSources[index] ?? '--threshold'} ${JSON.stringify(text)}: ${problem}`);
  });
}

function whyNeverChecked(threshold: Threshold, runs: RunName[]): string | null {
  const { metric } = threshold;
  if (threshold.strategy === '*') {
    if (runs.some((run) => hasMetric(run.strategy, metric))) return null;
    return `no run of this benchmark has ${metric} (${metricScope(metric)}); this benchmark runs ${runs.map((r) => r.label).join(', ')}`;
  }
  const named = runs.filter((run) => run.strategy === threshold.strategy || namesRun(threshold.strategy, run));
  if (named.length === 0)
    return `this benchmark has no run called ${JSON.stringify(threshold.strategy)}; accepted here: ${acceptedRunNames(runs)}`;
  const strategy = named[0]!.strategy;
  if (hasMetric(strategy, metric)) return null;
  return `${strategy} has no ${metric} (${metricScope(metric)}); ${strategy}'s metrics: ${METRICS_OF[strategy].join(', ')}`;
}

function metricScope(metric: ThresholdMetric): string {
  const strategies = (Object.keys(METRICS_OF) as StrategyName[]).filter((s) => hasMetric(s, metric));
  return metric === 'acquireWait'
    ? 'only a pool makes a request wait for a connection'
    : `measured for ${strategies.join(', ')}`;
}

function acceptedRunNames(runs: RunName[]): string {
  const strategies = [...new Set(runs.map((r) => r.strategy))];
  const labels = runs.map((r) => r.label).filter((label) => !(strategies as string[]).includes(label));
  return `* (every run), a strategy of this run (${strategies.join(', ')})${labels.length > 0 ? ` or a run's label (${labels.join(', ')})` : ''}`;
}

/**
 * Every threshold against every run it names; a threshold that names no run fails (an interrupted run may not
 * have reached it). `*` names every run that has the metric (acquireWait: the pooled runs).
 */
export function evaluateThresholds(thresholds: Threshold[], results: StrategyResult[]): ThresholdVerdict[] {
  return thresholds.flatMap((threshold): ThresholdVerdict[] => {
    const runs = results.filter((r) =>
      threshold.strategy === '*'
        ? hasMetric(r.strategy, threshold.metric)
        : r.strategy === threshold.strategy || namesRun(threshold.strategy, r),
    );
    if (runs.length === 0) return [{ threshold: threshold.text, run: null, actual: null, ok: false }];
    return runs.map((run) => {
      const actual = measure(threshold, run);
      return {
        threshold: threshold.text,
        run: run.label,
        actual,
        ok: actual !== null && compare(actual, threshold.op, threshold.value),
      };
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
      return threshold.aggregation === 'opened'
        ? run.connections.opened
        : threshold.aggregation === 'used'
          ? run.connections.used
          : run.connections.peakOpen;
  }
}

/**
 * Latency aggregations in ms; a percentile the summary does not carry is read from its exact histogram, and like
 * the summary's own never above the exact maximum (so p(95) cannot fail a limit that max passes).
 */
function fromSummary(summary: LatencySummary | null, threshold: Threshold): number | null {
  if (summary === null) return null;
  if (threshold.percentile !== null) {
    const known: Record<string, number> = {
      '50': summary.p50,
      '90': summary.p90,
      '99': summary.p99,
      '99.9': summary.p999,
      '100': summary.max,
    };
    const key = String(threshold.percentile);
    if (key in known) return known[key]!;
    return summaryPercentiles(summary)(threshold.percentile);
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
