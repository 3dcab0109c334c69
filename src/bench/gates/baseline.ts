import { UsageError } from '../../errors.js';
import type {
  BenchResult,
  StrategyResult,
  BaselineDelta,
  ConfigDifference,
  BaselineComparison,
} from '../../schema/bench.js';
import type { RunName } from './run-plan.js';
import { plural } from '../../format.js';
import { serverLabel, serverOf } from '../../redis/info.js';

export interface RunPair {
  run: RunName;
  before: RunName;
}

export interface RunMatch {
  pairs: RunPair[];
  unmatched: RunName[];
  baselineUnmatched: RunName[];
}

/**
 * Runs are matched by strategy: one pooled run against one pooled run whatever their pool sizes (resizing the pool
 * is what is being tried). Where either side has several runs of a strategy (a sweep), they are matched by pool size.
 */
export function matchRuns(current: readonly RunName[], baseline: readonly RunName[]): RunMatch {
  const pairs: RunPair[] = [];
  const used = new Set<RunName>();
  for (const strategy of new Set(current.map((r) => r.strategy))) {
    const now = current.filter((r) => r.strategy === strategy);
    const was = baseline.filter((r) => r.strategy === strategy);
    if (now.length === 1 && was.length === 1) {
      pairs.push({ run: now[0]!, before: was[0]! });
      used.add(was[0]!);
      continue;
    }
    for (const run of now) {
      const before = was.find((r) => !used.has(r) && r.poolSize === run.poolSize);
      if (before === undefined) continue;
      pairs.push({ run, before });
      used.add(before);
    }
  }
  const paired = new Set(pairs.map((p) => p.run));
  return {
    pairs,
    unmatched: current.filter((r) => !paired.has(r)),
    baselineUnmatched: baseline.filter((r) => !used.has(r)),
  };
}

export function runNameOf(result: StrategyResult): RunName {
  const poolSize =
    result.strategy === 'pooled'
      ? (result.pool?.max ?? Number(/max=(\d+)/.exec(result.label)?.[1] ?? Number.NaN))
      : null;
  return {
    strategy: result.strategy,
    label: result.label,
    poolSize: poolSize !== null && Number.isFinite(poolSize) ? poolSize : null,
  };
}

/** Before anything runs: a baseline that no planned run can be compared with would make the gate check nothing. */
export function checkBaselineComparable(planned: readonly RunName[], baseline: BenchResult, file: string): void {
  const before = baseline.results.map(runNameOf);
  if (matchRuns(planned, before).pairs.length > 0) return;
  const list = (runs: readonly RunName[]): string =>
    runs.length > 0 ? runs.map((r) => r.label).join(', ') : 'no runs';
  throw new UsageError(
    `--baseline: no run of this benchmark matches a run of ${file} (this run: ${list(planned)}; ${file}: ${list(before)}); runs are matched by strategy`,
  );
}

/** Pair by pair: throughput, p50 and p99 latency against the baseline's, and every setting that differs. */
export function compareWithBaseline(
  current: Side & Pick<BenchResult, 'results'>,
  baseline: BenchResult,
  file: string,
  maxRegressionPct: number,
): BaselineComparison {
  const results = new Map(current.results.map((r) => [r.label, r]));
  const before = new Map(baseline.results.map((r) => [r.label, r]));
  const match = matchRuns(current.results.map(runNameOf), baseline.results.map(runNameOf));
  const deltas = match.pairs.flatMap(({ run, before: was }) =>
    runDeltas(results.get(run.label)!, before.get(was.label)!, maxRegressionPct),
  );
  return {
    file,
    maxRegressionPct,
    deltas,
    unmatched: match.unmatched.map((r) => r.label),
    baselineUnmatched: match.baselineUnmatched.map((r) => r.label),
    configDifferences: configDifferences(current, baseline, match.pairs),
  };
}

function runDeltas(now: StrategyResult, was: StrategyResult, maxRegressionPct: number): BaselineDelta[] {
  const delta = (
    metric: BaselineDelta['metric'],
    baselineValue: number,
    currentValue: number,
    higherIsBetter: boolean,
  ): BaselineDelta => {
    const change = higherIsBetter ? baselineValue - currentValue : currentValue - baselineValue;
    const regressionPct = baselineValue === 0 ? 0 : (change / baselineValue) * 100;
    return {
      run: now.label,
      baselineRun: was.label,
      metric,
      baseline: baselineValue,
      current: currentValue,
      regressionPct,
      regressed: regressionPct > maxRegressionPct,
    };
  };
  return [
    delta('throughput', was.throughput, now.throughput, true),
    delta('p50', was.latency.p50, now.latency.p50, false),
    delta('p99', was.latency.p99, now.latency.p99, false),
  ];
}

type Side = Pick<BenchResult, 'config' | 'target' | 'machine'>;

/** A setting's value as compared and shown: a number, a word, a flag, or null (none). */
type Setting = string | number | boolean | null;

/** A setting read from one side; undefined = not applicable there, or not recorded (an older result file). */
interface Field {
  field: string;
  read: (side: Side) => Setting | undefined;
}

const field = (name: string, read: (side: Side) => Setting | undefined): Field => ({ field: name, read });
const distinct = (values: unknown[]): string => [...new Set(values.map(String))].join(', ');
const closedLoopWithThink = (side: Side): boolean =>
  side.config.load?.targetUtilization != null || side.config.load?.thinkMs != null;

/** What changes the figures: the load, the workload, the run length, the target and the machine. */
const BENCHMARK_FIELDS: Field[] = [
  field('concurrency', (s) => s.config.concurrency),
  field('requests', (s) => s.config.requests),
  field('durationMs', (s) => s.config.durationMs),
  field('warmup', (s) => (s.config.warmup ? describeWarmup(s.config.warmup) : undefined)),
  field('workload.commands', (s) =>
    s.config.workload?.commands
      .map((c) => `${c.command}${c.blockMs != null ? ` (blocks ${c.blockMs} ms)` : ''} weight ${c.weight}`)
      .join(', '),
  ),
  field('workload.valueSize', (s) =>
    s.config.workload ? distinct(s.config.workload.commands.map((c) => c.valueSize)) : undefined,
  ),
  field('workload.keyspace', (s) =>
    s.config.workload ? distinct(s.config.workload.commands.map((c) => c.keyspace)) : undefined,
  ),
  field('workload.commandsPerRequest', (s) => s.config.workload?.commandsPerRequest),
  field('workload.pipeline', (s) => s.config.workload?.pipeline),
  field('workload.autoPipelining', (s) =>
    s.config.workload ? (s.config.workload.autoPipelining ?? false) : undefined,
  ),
  field('load.ratePerSec', (s) => s.config.load?.ratePerSec),
  field('load.targetUtilization', (s) => s.config.load?.targetUtilization),
  field('load.thinkMs', (s) => s.config.load?.thinkMs),
  field('load.thinkDistribution', (s) => (closedLoopWithThink(s) ? s.config.load.thinkDistribution : undefined)),
  field('faults', (s) => s.config.faults?.map((f) => f.text).join(', ')),
  field('rttMs', (s) => s.config.rttMs),
  field('connectTimeoutMs', (s) => s.config.connectTimeoutMs),
  field('commandTimeoutMs', (s) => s.config.commandTimeoutMs),
  field('socketTimeoutMs', (s) => s.config.socketTimeoutMs),
  // The server by its own name and version (Valkey 8.0.1): Valkey's redis_version stays 7.2.4 whatever its version.
  field('target.server', (s) => (s.target ? serverLabel(serverOf(s.target)) : undefined)),
  // The client library (a result written before --client existed ran ioredis, whose version it did not record).
  field('client.name', (s) => (s.config ? (s.config.client?.name ?? 'ioredis') : undefined)),
  field('client.version', (s) => s.config?.client?.version),
  field('target.mode', (s) => s.target?.mode),
  field('target.tls', (s) => s.target?.tls),
  field('machine.cpuModel', (s) => s.machine?.cpuModel),
  field('machine.cpus', (s) => s.machine?.cpus),
  field('machine.node', (s) => s.machine?.node),
];

/** The pool's behaviour beside its size: compared when a pooled run has a counterpart. */
const POOL_FIELDS: Field[] = (
  [
    'minIdle',
    'acquireTimeoutMs',
    'order',
    'idleTimeoutMs',
    'evictionRunIntervalMs',
    'maxLifetimeMs',
    'testOnBorrow',
    'healthCheckIntervalMs',
    'failFast',
    'profile',
  ] as const
).map((key) => field(`pool.${key}`, (s) => s.config.pool?.[key]));

function configDifferences(current: Side, baseline: Side, pairs: readonly RunPair[]): ConfigDifference[] {
  const pooledPairs = pairs.filter((p) => p.run.strategy === 'pooled');
  const fields = pooledPairs.length > 0 ? [...BENCHMARK_FIELDS, ...POOL_FIELDS] : BENCHMARK_FIELDS;
  const differences = fields.flatMap((f): ConfigDifference[] => {
    const [was, now] = [f.read(baseline), f.read(current)];
    if (was === undefined || now === undefined || show(was) === show(now)) return [];
    return [{ field: f.field, baseline: show(was), current: show(now), run: null }];
  });
  const resized = pooledPairs
    .filter((p) => p.run.poolSize !== p.before.poolSize)
    .map((p): ConfigDifference => ({
      field: 'pool.size',
      baseline: show(p.before.poolSize),
      current: show(p.run.poolSize),
      run: p.run.label,
    }));
  return [...differences, ...resized];
}

function describeWarmup(warmup: { requests: number | null; durationMs: number | null }): string {
  if (warmup.requests !== null) return plural(warmup.requests, 'request');
  if (warmup.durationMs !== null) return `${warmup.durationMs} ms`;
  return 'none';
}

const show = (value: Setting): string => (value === null ? 'none' : String(value));
