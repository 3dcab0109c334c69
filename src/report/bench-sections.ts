import { serverLabel, serverOf } from '../redis/info.js';
import { compareRuns, compareStrategies, tailDisagrees, type Comparison } from './compare.js';
import { connectUnderSaturation } from '../bench/findings/generator-health.js';
import { fellBehind } from '../bench/findings/strategy-warnings.js';
import type {
  BaselineComparison,
  BaselineDelta,
  BenchConfig,
  ConfigDifference,
  BenchResult,
  ConnectionsResult,
  LatencySummary,
  PoolResult,
  StrategyName,
  StrategyResult,
  ThresholdVerdict,
  WorkloadCommand,
} from '../schema/bench.js';
import {
  formatBytes,
  formatCount,
  formatDecimal,
  formatFixedMs,
  formatPercent,
  formatRate,
  formatTrimmedMs,
  plural,
} from '../format.js';
import { cell, type Cell, type ListItem, type ListSection, type TableSection } from './section.js';

/**
 * Every section of a bench result, each defined once and rendered by the terminal (bench-terminal.ts), the
 * Markdown (bench-markdown.ts, and through it the HTML page) and the capacity plan's evidence
 * (capacity-markdown.ts). Where the terminal and the documents show a topic differently (the terminal compacts
 * the connection counts into fewer columns, the documents spell each one out), each form is its own section here,
 * built from the same columns.
 */

const dash = '–';

export const INTERRUPTED = 'Interrupted: these are partial results.';

// ── The run ──────────────────────────────────────────────────────────────────────────────────────

/** What a run's length is for: each strategy once, each step of a capacity curve, each run of a sweep. */
function perRun(config: BenchResult['config']): string {
  if (config.rates && config.rates.length > 1) return 'per step';
  return config.poolSizes && config.poolSizes.length > 1 ? 'per run' : 'per strategy';
}

/** What ran, where and on what machine: the lines above every bench report. */
export function runDescription(result: BenchResult): Cell[] {
  const { config, target, machine } = result;
  const length =
    config.requests !== null
      ? plural(config.requests, 'request')
      : `${formatDecimal((config.durationMs ?? 0) / 1000, 1)} s`;
  const machines = result.merged?.of === 'machines' ? result.merged.inputs.length : 1;
  const threads = config.threads ?? 1;
  const workers =
    machines > 1
      ? `${machines} load machines × ${plural(config.concurrency, 'worker')}`
      : threads > 1
        ? `${plural(config.concurrency, 'worker')} on ${plural(threads, 'thread')}`
        : plural(config.concurrency, 'worker');
  // ioredis is the default and goes unsaid; another client is named beside the workers that ran it.
  const client =
    config.client !== undefined && config.client.name !== 'ioredis'
      ? ` with ${config.client.name} ${config.client.version}`
      : '';
  const proxy = config.rttMs > 0 ? `, through a proxy adding ${formatDecimal(config.rttMs, 2)} ms of round trip` : '';
  return [
    ...(config.scenario ? [cell(`Scenario ${config.scenario.name}: ${config.scenario.description}`, 'strong')] : []),
    cell(
      `${serverLabel(serverOf(target))} at ${target.url} (${target.mode}${target.tls ? ', TLS' : ''}${clusterShape(target)})${proxy}`,
      'strong',
    ),
    cell(
      `${workers}${client}, ${describeLoad(config.load, config.rates)}, ${length} ${perRun(config)}; ${describeWorkload(config.workload)}`,
    ),
    ...(config.pool.profile ? [cell(`pool profile ${config.pool.profile}`)] : []),
    cell(
      `${machines > 1 ? 'the first: ' : ''}${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GiB, ` +
        `Node ${machine.node} on ${machine.platform}/${machine.arch}`,
      'dim',
    ),
  ];
}

/** ", a cluster of 3 masters (+ 3 replicas)" against a cluster, nothing otherwise. */
function clusterShape(target: BenchResult['target']): string {
  if (!target.cluster) return '';
  const masters = target.cluster.nodes.filter((n) => n.role === 'master').length;
  const replicas = target.cluster.nodes.length - masters;
  return `, a cluster of ${plural(masters, 'master')}${replicas > 0 ? ` + ${plural(replicas, 'replica')}` : ''}`;
}

function describeWorkload(workload: BenchConfig['workload']): string {
  const total = workload.commands.reduce((sum, c) => sum + c.weight, 0);
  const one = (c: WorkloadCommand): string => {
    const share = workload.commands.length > 1 ? `${formatDecimal((100 * c.weight) / total, 1)} % ` : '';
    const what =
      c.command === 'blpop'
        ? `BLPOP (blocks ${formatCount(c.blockMs ?? 0)} ms)`
        : c.command === 'get' || c.command === 'set' || c.command === 'lpush'
          ? `${c.command.toUpperCase()} of ${formatBytes(c.valueSize, 'prose')}`
          : c.command.toUpperCase();
    return `${share}${what}`;
  };
  const commands = workload.commands.map(one).join(', ');
  const keys = `over ${formatCount(Math.max(...workload.commands.map((c) => c.keyspace)))} keys`;
  const perRequest =
    workload.commandsPerRequest > 1
      ? `; ${formatCount(workload.commandsPerRequest)} commands per request${workload.pipeline ? ', pipelined' : ', one after another'}`
      : '';
  const auto = workload.autoPipelining ? "; ioredis' auto-pipelining on" : '';
  return `${commands} ${keys}${perRequest}${auto}`;
}

function describeLoad(load: BenchConfig['load'], rates: BenchConfig['rates'] = null): string {
  if (rates) {
    const sorted = [...rates].sort((a, b) => a - b);
    return (
      `open loop at ${plural(sorted.length, 'rate')} from ${formatRate(sorted[0]!)} ` +
      `to ${formatRate(sorted.at(-1)!)} requests/s`
    );
  }
  if (load.ratePerSec !== null) return `open loop at ${formatRate(load.ratePerSec)} requests/s`;
  if (load.targetUtilization !== null)
    return `closed loop at ${formatDecimal(load.targetUtilization * 100, 1)} % utilization (${load.thinkDistribution} think time)`;
  if (load.thinkMs !== null && load.thinkMs > 0)
    return `closed loop with ${formatDecimal(load.thinkMs, 2)} ms ${load.thinkDistribution} think time`;
  if (load.thinkMs === 0 || load.targetUtilization === 1) return 'closed loop, no think time';
  return 'closed loop';
}

// ── Columns: one figure of a run each ────────────────────────────────────────────────────────────

/** A column of a table with one row per run: its title and the run's cell. */
export interface RunColumn {
  head: string;
  cell: (r: StrategyResult) => Cell;
}

const column = (head: string, text: (r: StrategyResult) => string): RunColumn => ({ head, cell: (r) => cell(text(r)) });

/** A table with one row per run, its name first. */
function runTable(
  title: string | null,
  first: string,
  results: StrategyResult[],
  columns: RunColumn[],
  textColumns = 1,
): TableSection {
  return {
    title,
    head: [first, ...columns.map((c) => c.head)],
    rows: results.map((r) => [cell(r.label, 'name'), ...columns.map((c) => c.cell(r))]),
    textColumns,
    notes: [],
  };
}

const throughput = column('req/s', (r) => formatCount(r.throughput));
const errors: RunColumn = {
  head: 'errors',
  cell: (r) => cell(formatCount(r.errors), r.errors > 0 ? 'bad' : undefined),
};

type Percentile = 'p50' | 'p90' | 'p99' | 'p999' | 'max';
const PERCENTILE_NAMES: Record<Percentile, string> = { p50: 'p50', p90: 'p90', p99: 'p99', p999: 'p99.9', max: 'max' };

/** The terminal's figures line up (formatFixedMs); the documents' drop trailing zeros (formatTrimmedMs). */
type MsFormat = (ms: number) => string;

const latency = (p: Percentile, format: MsFormat): RunColumn =>
  column(`${PERCENTILE_NAMES[p]} ms`, (r) => format(r.latency[p]));

/** The counts of a run's connections: the numeric fields of its `connections`. */
type Count = {
  [K in keyof ConnectionsResult]-?: ConnectionsResult[K] extends number ? K : never;
}[keyof ConnectionsResult];

const count = (head: string, key: Count): RunColumn => column(head, (r) => formatCount(r.connections[key]));
/** Counts of one kind by when, in one cell: "200 / 2,000". */
const counts = (head: string, ...keys: Count[]): RunColumn =>
  column(head, (r) => keys.map((key) => formatCount(r.connections[key])).join(' / '));

/**
 * Where the connections came from and when: setup is everything before the measured window (the strategy's
 * start and the warm-up), end is the strategy's close after it. Each count its own column.
 */
const CONNECTION_COUNTS = {
  used: 'used (window)',
  openedBeforeWindow: 'opened (setup)',
  openedInWindow: 'opened (window)',
  closedBeforeWindow: 'closed (setup)',
  closedInWindow: 'closed (window)',
  closedAtEnd: 'closed (end)',
  peakOpen: 'peak open',
  serverAcceptedBeforeWindow: 'accepted (setup)',
  serverAcceptedInWindow: 'accepted (window)',
  serverPeakClients: 'server peak',
} satisfies Partial<Record<Count, string>>;

/** One of those counts, under its title. */
const connectionCount = (key: keyof typeof CONNECTION_COUNTS): RunColumn => count(CONNECTION_COUNTS[key], key);

/** The same counts, compact for a terminal: the parts of one count share a cell. */
const CONNECTION_COUNTS_COMPACT: RunColumn[] = [
  count('used\n(window)', 'used'),
  counts('opened\nsetup / window', 'openedBeforeWindow', 'openedInWindow'),
  counts('closed setup /\nwindow / end', 'closedBeforeWindow', 'closedInWindow', 'closedAtEnd'),
  count('peak\nopen', 'peakOpen'),
  counts('server accepted\nsetup / window', 'serverAcceptedBeforeWindow', 'serverAcceptedInWindow'),
  count('server\npeak', 'serverPeakClients'),
];

/** What a request's hold spans, per strategy: the time it has a connection to itself (multiplexed: shares it). */
const HOLD_SPANS: Record<StrategyName, string> = {
  'per-request': 'connect start → closed',
  pooled: 'acquired → released',
  multiplexed: 'first command → last reply (shared)',
};

const withUnit = (ms: number): string => `${formatFixedMs(ms)} ms`;

const holdMean = column('hold mean', (r) => withUnit(r.load.holdMeanMs));
/** Multiplexed holds no connection exclusively, so it has no utilization. */
const utilization = column('utilization', (r) =>
  r.load.measuredUtilization === null ? dash : formatPercent(r.load.measuredUtilization),
);

const wait = (head: string, summary: (r: StrategyResult) => LatencySummary | null, p: 'p50' | 'p99'): RunColumn =>
  column(head, (r) => {
    const s = summary(r);
    return s ? withUnit(s[p]) : dash;
  });

// ── Tables with a row per run ────────────────────────────────────────────────────────────────────

/**
 * The terminal's answer: throughput, the median and the tail, the connections the window used beside those the run
 * opened, and the errors. The other percentiles are in runsSection (--details).
 */
export function answerSection(results: StrategyResult[]): TableSection {
  const connections = column(
    'conns\nused / opened',
    (r) => `${formatCount(r.connections.used)} / ${formatCount(r.connections.opened)}`,
  );
  return runTable(null, 'strategy', results, [
    throughput,
    latency('p50', formatFixedMs),
    latency('p99', formatFixedMs),
    connections,
    errors,
  ]);
}

/** The terminal's percentiles table (--details): every percentile of the request latency. */
export function runsSection(results: StrategyResult[]): TableSection {
  return runTable(
    null,
    'strategy',
    results,
    (['p50', 'p90', 'p99', 'p999', 'max'] as const).map((p) => latency(p, formatFixedMs)),
  );
}

/** The documents' first table: throughput, median and p99, the connections used and opened, the errors. */
export function comparisonSection(results: StrategyResult[]): TableSection {
  const connections = [
    connectionCount('used'),
    connectionCount('openedBeforeWindow'),
    connectionCount('openedInWindow'),
  ];
  return runTable('Comparison', 'strategy', results, [
    throughput,
    latency('p50', formatTrimmedMs),
    latency('p99', formatTrimmedMs),
    ...connections,
    errors,
  ]);
}

/** A bench's runs in the capacity plan's evidence: the figures the plan is checked against. */
export function evidenceRunsSection(results: StrategyResult[]): TableSection {
  const acquireP99 = column('acquire p99 ms', (r) => (r.acquireWait ? formatTrimmedMs(r.acquireWait.p99) : dash));
  return runTable(null, 'run', results, [
    throughput,
    latency('p50', formatTrimmedMs),
    latency('p99', formatTrimmedMs),
    acquireP99,
    count('conns used', 'used'),
    count('server peak clients', 'serverPeakClients'),
    errors,
  ]);
}

/** Every connection count by when, and the server's clients before and after the strategy. */
export function connectionsSection(results: StrategyResult[]): TableSection {
  const clients = column(
    'clients before → after',
    (r) => `${formatCount(r.connections.serverClientsBefore)} → ${formatCount(r.connections.serverClientsAfter)}`,
  );
  return runTable('Connections', 'strategy', results, [
    ...(Object.keys(CONNECTION_COUNTS) as (keyof typeof CONNECTION_COUNTS)[]).map(connectionCount),
    clients,
  ]);
}

/** The connection counts compact, for the terminal. */
export function connectionsCompactSection(results: StrategyResult[]): TableSection {
  return runTable(null, 'strategy', results, CONNECTION_COUNTS_COMPACT);
}

/** What a hold spans per strategy, its mean and the utilization. */
export function holdSection(results: StrategyResult[]): TableSection {
  const spans = column('hold spans', (r) => HOLD_SPANS[r.strategy]);
  return runTable('Hold and utilization', 'strategy', results, [spans, holdMean, utilization], 2);
}

/** The terminal's hold, waits and pool counters in one table. */
export function holdAndWaitsSection(results: StrategyResult[]): TableSection {
  const poolCounts = column('pool hits /\nmisses / timeouts', (r) =>
    r.pool ? `${formatCount(r.pool.hits)} / ${formatCount(r.pool.misses)} / ${formatCount(r.pool.timeouts)}` : dash,
  );
  return runTable(null, 'strategy', results, [
    holdMean,
    utilization,
    wait('acquire\np50', (r) => r.acquireWait, 'p50'),
    wait('acquire\np99', (r) => r.acquireWait, 'p99'),
    wait('connect\np50', (r) => r.connect, 'p50'),
    wait('connect\np99', (r) => r.connect, 'p99'),
    poolCounts,
  ]);
}

/** The pool's counters, for the runs that had a pool; null when none had. */
export function poolSection(results: StrategyResult[]): TableSection | null {
  const pooled = results.filter((r) => r.pool !== null);
  if (pooled.length === 0) return null;
  const counters = POOL_COUNTERS.map(([head, key]): RunColumn => column(head, (r) => formatCount(r.pool![key])));
  return runTable('Pool', 'run', pooled, [column('max', (r) => formatCount(r.pool!.max)), ...counters]);
}

type PoolCounter = { [K in keyof PoolResult]-?: PoolResult[K] extends number ? K : never }[keyof PoolResult];

const POOL_COUNTERS: [string, PoolCounter][] = [
  ['hits', 'hits'],
  ['misses', 'misses'],
  ['waits', 'waitCount'],
  ['timeouts', 'timeouts'],
  ['created', 'created'],
  ['destroyed', 'destroyed'],
  ['stale', 'staleConns'],
  ['evicted', 'evicted'],
];

/** Open loop: was the schedule held, and what coordinated omission would have hidden. */
export function openLoopSection(results: StrategyResult[]): TableSection {
  const uncorrected = (head: string, p: 'p99' | 'max'): RunColumn =>
    column(head, (r) => (r.load.uncorrectedLatency ? withUnit(r.load.uncorrectedLatency[p]) : dash));
  return runTable(null, 'strategy', results, [
    column('requested/s', (r) => formatRate(r.load.requestedRate ?? 0)),
    column('achieved/s', (r) => formatCount(r.load.achievedRate)),
    column('late starts', (r) => formatCount(r.load.lateRequests)),
    column('p99 corrected', (r) => withUnit(r.latency.p99)),
    uncorrected('p99 uncorrected', 'p99'),
    column('max corrected', (r) => withUnit(r.latency.max)),
    uncorrected('max uncorrected', 'max'),
  ]);
}

/**
 * Per-request: where the connect time goes. Measured with the generator saturated, the line says so: the phases are
 * then mostly the generator's own waiting, and `anatomy` times them unloaded.
 */
export function connectPhaseLines(results: StrategyResult[]): string[] {
  return results
    .filter((r) => r.connectPhases !== null)
    .map((r) => {
      const { socket, setup } = r.connectPhases!;
      const line =
        `${r.label} connect p50: ${withUnit(socket.p50)} socket (TCP, + TLS for rediss://) ` +
        `+ ${withUnit(setup.p50)} setup (AUTH/SELECT when needed, ready check)`;
      return connectUnderSaturation(r) !== null
        ? `${line}, measured with the load generator saturated, its own waiting included: redis-pool anatomy times one connection unloaded`
        : line;
    });
}

// ── Latency percentiles ──────────────────────────────────────────────────────────────────────────

/** Per run, the request latency and, where it has them, the acquire wait and the connect time: p50 … max. */
export function percentilesSection(results: StrategyResult[]): TableSection {
  const percentiles = ['p50', 'p90', 'p99', 'p999', 'max'] as const;
  const row = (r: StrategyResult, what: string, s: LatencySummary): Cell[] => [
    cell(r.label, 'name'),
    cell(what),
    ...percentiles.map((p) => cell(formatTrimmedMs(s[p]))),
  ];
  return {
    title: 'Latency percentiles (ms)',
    head: ['strategy', 'what', ...percentiles.map((p) => PERCENTILE_NAMES[p])],
    rows: results.flatMap((r) => [
      row(r, 'request latency', r.latency),
      ...(r.acquireWait ? [row(r, 'acquire wait', r.acquireWait)] : []),
      ...(r.connect ? [row(r, 'connect time', r.connect)] : []),
    ]),
    textColumns: 2,
    notes: [],
  };
}

// ── Ratios ───────────────────────────────────────────────────────────────────────────────────────

/**
 * The verdict lines of every report ("pooled: 22× the throughput of per-request, …"): first a strategy that could
 * not serve the offered rate, then each strategy against per-request (or against the first run when per-request did
 * not run), then multiplexed against pooled when both ran, the choice most services make. A sweep without
 * per-request has none: its own table compares the pool sizes.
 */
export function ratioSection(result: BenchResult): ListSection {
  const runs = result.results;
  const hasPerRequest = runs.some((r) => r.strategy === 'per-request');
  if (result.sweep && !hasPerRequest) return { items: [] };
  const pooled = runs.find((r) => r.strategy === 'pooled');
  const multiplexed = runs.find((r) => r.strategy === 'multiplexed');
  const betweenThem = hasPerRequest && pooled && multiplexed && !result.sweep ? [compareRuns(multiplexed, pooled)] : [];
  return { items: [...behindSchedule(runs), ...[...compareStrategies(runs), ...betweenThem].map(ratioItem)] };
}

/** Open loop: a run that fell behind its schedule (strategy-warnings.ts says when), whose latencies are then its backlog. */
function behindSchedule(results: StrategyResult[]): ListItem[] {
  return results
    .filter((r) => r.load.requestedRate !== null && fellBehind(r))
    .map((r) => ({
      lead: cell(`${r.label}:`, 'bad'),
      text:
        `served ${formatCount(r.load.achievedRate)} of the ${formatRate(r.load.requestedRate!)} ` +
        `requests/s offered: it could not keep up, so its latencies measure its backlog`,
    }));
}

export function ratioItem(c: Comparison): ListItem {
  const parts: string[] = [];
  if (c.throughputRatio !== null)
    parts.push(
      alike(c.throughputRatio)
        ? `the throughput of ${c.baseline}`
        : `${times(c.throughputRatio)}× the throughput of ${c.baseline}`,
    );
  if (c.connectionsRatio !== null) {
    parts.push(
      c.connectionsRatio >= 1
        ? `1/${times(c.connectionsRatio)} of the connections`
        : `${times(1 / c.connectionsRatio)}× the connections`,
    );
  }
  if (c.p50Ratio !== null)
    parts.push(
      alike(c.p50Ratio)
        ? 'the same median'
        : c.p50Ratio >= 1
          ? `a median ${times(c.p50Ratio)}× faster`
          : `a median ${times(1 / c.p50Ratio)}× slower`,
    );
  return { lead: cell(`${c.strategy}:`, 'strong'), text: parts.join(', ') + tailClause(c) };
}

/** The p99 beside the median where it tells another story: "but p99 55× slower (55 ms against 1 ms)". */
function tailClause(c: Comparison): string {
  if (!tailDisagrees(c)) return '';
  const ms = `(${formatTrimmedMs(c.p99Ms!)} ms against ${formatTrimmedMs(c.baselineP99Ms!)} ms)`;
  return c.p99Ratio! >= 1
    ? `, p99 ${times(c.p99Ratio!)}× faster ${ms}`
    : `, but p99 ${times(1 / c.p99Ratio!)}× slower ${ms}`;
}

/** Within 5 % of each other: "1.0×" says less than "the same". */
const alike = (ratio: number): boolean => ratio > 0.95 && ratio < 1.05;

function times(value: number): string {
  return value >= 10 ? formatCount(value) : formatDecimal(value, 1);
}

// ── Against size ─────────────────────────────────────────────────────────────────────────────────

const connections = (n: number): string => plural(n, 'connection');

/** Most of one count over a run's nodes: the cluster's busiest node, or the one server. */
function busiestNode(run: StrategyResult, key: 'peakOpenInWindow' | 'serverPeakClients'): number {
  return run.cluster ? Math.max(...run.cluster.nodes.map((n) => n.connections[key])) : run.connections[key];
}

/**
 * Where a run stands for several service instances (--threads, merged machines) or holds connections to several
 * nodes (a cluster): what `size` predicts it holds per node, beside the measured peaks. Empty otherwise (one
 * instance against one server: its pool size is the prediction, and the connections table shows the peaks).
 */
export function predictionSection(result: BenchResult): ListSection {
  const several =
    (result.config.threads ?? 1) > 1 || result.merged !== undefined || result.target.cluster !== undefined;
  if (!several) return { items: [] };
  const where = result.target.cluster ? 'each node' : 'the server';
  const items = result.results.flatMap((run): ListItem[] => {
    const predicted = run.predictedConnections;
    if (!predicted) return [];
    const client = busiestNode(run, 'peakOpenInWindow');
    const server = busiestNode(run, 'serverPeakClients');
    const over = client > predicted.perNode || server > predicted.perNode;
    const busiest = result.target.cluster ? ' to the busiest node' : '';
    const perShard = result.target.cluster ? ' per shard' : '';
    const pool =
      run.strategy === 'pooled'
        ? `a pool of ${formatCount(predicted.pool)}${perShard}`
        : `one shared connection${result.target.cluster ? ' per node' : ''}`;
    return [
      {
        lead: cell(`${run.label}:`, over ? 'bad' : 'strong'),
        text:
          `${predicted.command} with ${pool} predicts ${connections(predicted.perNode)} to ${where} (${formatCount(predicted.perProcess)} per instance); ` +
          `measured: at most ${formatCount(client)} open at once${busiest}, a server peak of ${formatCount(server)}`,
      },
    ];
  });
  return { items };
}

// ── Faults ───────────────────────────────────────────────────────────────────────────────────────

const faultRows = (
  results: StrategyResult[],
  cells: (r: StrategyResult, f: StrategyResult['faults'][number]) => Cell[],
): Cell[][] => results.flatMap((r) => r.faults.map((f) => [cell(r.label, 'name'), cell(f.fault), ...cells(r, f)]));

/** The terminal's faults: when each was injected, how long requests took to flow again, what failed meanwhile. */
export function faultsCompactSection(results: StrategyResult[]): TableSection {
  return {
    title: null,
    head: ['strategy', 'fault', 'injected at', 'recovered after', 'failed requests', 'opened (window)'],
    rows: faultRows(results, (r, f) => [
      cell(`${formatDecimal(f.injectedAtMs / 1000, 2)} s`),
      f.error !== null
        ? cell('not injected', 'bad')
        : f.recoveryMs === null
          ? cell('never', 'bad')
          : cell(`${formatCount(f.recoveryMs)} ms`),
      cell(formatCount(f.errorsAfter)),
      cell(formatCount(r.connections.openedInWindow)),
    ]),
    textColumns: 1,
    notes: [],
  };
}

/** The documents' faults: the recovery time, or why the fault was not injected. */
export function faultsSection(results: StrategyResult[]): TableSection {
  return {
    title: 'Faults',
    head: ['strategy', 'fault', 'recovered after', 'failed requests'],
    rows: faultRows(results, (_, f) => [
      cell(f.error ?? (f.recoveryMs === null ? 'never' : `${formatCount(f.recoveryMs)} ms`)),
      cell(formatCount(f.errorsAfter)),
    ]),
    textColumns: 2,
    notes: [],
  };
}

// ── Thresholds ───────────────────────────────────────────────────────────────────────────────────

const measured = (v: ThresholdVerdict): string => (v.actual === null ? dash : formatDecimal(v.actual, 4));

/** The terminal's verdicts, one line each: "✓ pass pooled:latency:p(99)<2 (pooled(max=10): 1.5)". */
export function verdictList(thresholds: ThresholdVerdict[]): ListSection {
  return {
    items: thresholds.map((v) => ({
      lead: v.ok ? cell('✓ pass', 'good') : cell('✗ FAIL', 'bad'),
      text: `${v.threshold} (${v.run === null ? 'no run of that strategy' : `${v.run}: ${v.actual === null ? 'not measured' : measured(v)}`})`,
    })),
  };
}

/** The documents' verdicts as a table. */
export function thresholdsSection(thresholds: ThresholdVerdict[]): TableSection {
  return {
    title: 'Thresholds',
    head: ['verdict', 'threshold', 'run', 'measured'],
    rows: thresholds.map((v) => [
      cell(v.ok ? '✅ pass' : '❌ fail'),
      cell(`\`${v.threshold}\``),
      cell(v.run ?? 'no such run'),
      cell(measured(v)),
    ]),
    textColumns: 3,
    notes: [],
  };
}

// ── The baseline ─────────────────────────────────────────────────────────────────────────────────

const DIFFERENCES_TITLE = 'Measured differently (the deltas compare unlike runs)';

/**
 * "Not in base.json, so not compared: …" and "Only in base.json, so not compared: …", when runs had no
 * counterpart. Results written before these fields existed lack them: read as none.
 */
function unmatchedLines(comparison: BaselineComparison): string[] {
  const list = (labels: string[] | undefined): string => (labels ?? []).join(', ');
  return [
    ...(comparison.unmatched.length > 0
      ? [`Not in ${comparison.file}, so not compared: ${list(comparison.unmatched)}`]
      : []),
    ...((comparison.baselineUnmatched ?? []).length > 0
      ? [`Only in ${comparison.file}, so not compared: ${list(comparison.baselineUnmatched)}`]
      : []),
  ];
}

const differencesOf = (comparison: BaselineComparison): ConfigDifference[] => comparison.configDifferences ?? [];

/** The run cell of a delta: both labels when the pair's labels differ (the pool was resized). */
const deltaRunName = (d: BaselineDelta): string =>
  d.baselineRun !== undefined && d.baselineRun !== d.run ? `${d.run} vs ${d.baselineRun}` : d.run;

const differenceSetting = (d: ConfigDifference): string => (d.run !== null ? `${d.field} (${d.run})` : d.field);

const allowed = (comparison: BaselineComparison): string =>
  `allowed regression ${formatDecimal(comparison.maxRegressionPct, 1)} %`;

const deltaCells = (d: BaselineDelta): Cell[] => [
  cell(deltaRunName(d), 'name'),
  cell(d.metric),
  cell(formatDecimal(d.baseline, 3)),
  cell(formatDecimal(d.current, 3)),
];

/** The terminal's deltas ("worse by 10.9 %"), and under them what was left out or measured differently. */
export function baselineCompactSection(comparison: BaselineComparison): TableSection {
  const lines = differencesOf(comparison).map(
    (d) => `  ${differenceSetting(d)}: ${d.baseline} in ${comparison.file}, ${d.current} now`,
  );
  return {
    title: `Against ${comparison.file} (${allowed(comparison)})`,
    head: ['run', 'metric', 'baseline', 'now', 'change', ''],
    rows: comparison.deltas.map((d) => [
      ...deltaCells(d),
      cell(`${d.regressionPct > 0 ? 'worse' : 'better'} by ${formatDecimal(Math.abs(d.regressionPct), 1)} %`),
      d.regressed ? cell('✗ REGRESSION', 'bad') : cell('✓', 'good'),
    ]),
    textColumns: 1,
    notes: [
      ...unmatchedLines(comparison).map((line) => cell(line, 'warn')),
      ...(lines.length > 0 ? [cell(`${DIFFERENCES_TITLE}:`, 'warn'), ...lines] : []),
    ],
  };
}

/** The documents' deltas (the regression in signed percent), the runs left out under them. */
export function baselineSection(comparison: BaselineComparison): TableSection {
  return {
    title: `Against the baseline \`${comparison.file}\` (${allowed(comparison)})`,
    head: ['run', 'metric', 'baseline', 'now', 'regression %', 'verdict'],
    rows: comparison.deltas.map((d) => [
      ...deltaCells(d),
      cell(formatDecimal(d.regressionPct, 1)),
      cell(d.regressed ? '❌ regression' : '✅'),
    ]),
    textColumns: 2,
    notes: unmatchedLines(comparison),
  };
}

/** The settings measured differently, as a table; null when there are none. */
export function baselineDifferencesSection(comparison: BaselineComparison): TableSection | null {
  const differences = differencesOf(comparison);
  if (differences.length === 0) return null;
  return {
    title: DIFFERENCES_TITLE,
    head: ['setting', comparison.file, 'now'],
    rows: differences.map((d) => [cell(`\`${differenceSetting(d)}\``), cell(d.baseline), cell(d.current)]),
    textColumns: 3,
    notes: [],
  };
}
