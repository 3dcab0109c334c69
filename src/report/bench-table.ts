import Table from 'cli-table3';
import { compareStrategies, type Comparison } from '../bench/compare.js';
import type { BaselineComparison, ThresholdVerdict, BenchConfig, BenchResult, LatencySummary, StrategyName, StrategyResult, WorkloadCommand } from '../schema/bench.js';
import { baselineNotes, deltaRunName, differenceSetting, DIFFERENCES_TITLE } from './baseline-notes.js';
import { formatCount, formatDecimal, formatFixedMs, formatPercent } from '../format.js';
import { generatorSection } from './generator-section.js';
import { renderSectionTerminal } from './section.js';
import { sweepSection } from './sweep-section.js';
import { renderWarnings } from './warnings.js';
import { COMPACT_TABLE_CHARS, plainStyle, type Style } from './style.js';

/** The human view of a bench result: what ran, one row per strategy, waits and connections, the ratios. */
export function renderBenchTable(result: BenchResult, style: Style = plainStyle): string {
  return [
    describeRun(result, style),
    mainTable(result.results, style),
    connectionTable(result.results, style),
    detailTable(result.results, style),
    ...generatorTable(result.results, style),
    ...(result.config.load.ratePerSec !== null ? [openLoopTable(result.results, style)] : []),
    ...connectPhaseLines(result.results),
    ...(result.results.some((r) => r.faults.length > 0) ? [faultTable(result.results, style)] : []),
    ...(result.sweep ? [renderSectionTerminal(sweepSection(result.sweep), style)] : []),
    ...comparisons(result).map((c) => describeComparison(c, style)),
    ...(result.baseline ? [baselineTable(result.baseline, style)] : []),
    ...result.thresholds.map((v) => describeVerdict(v, style)),
    ...(result.interrupted ? [style.yellow('Interrupted: these are partial results.')] : []),
    ...renderWarnings(result.warnings, style),
  ].join('\n');
}

/** Ratios against per-request; a sweep without it compares pool sizes in its own table instead. */
function comparisons(result: BenchResult): Comparison[] {
  const hasBaseline = result.results.some((r) => r.strategy === 'per-request');
  return result.sweep && !hasBaseline ? [] : compareStrategies(result.results);
}

export function describeRun(result: BenchResult, style: Style): string {
  const { config, target, machine } = result;
  const length = config.requests !== null ? `${formatCount(config.requests)} requests` : `${formatDecimal((config.durationMs ?? 0) / 1000, 1)} s`;
  return [
    ...(config.scenario ? [style.bold(`Scenario ${config.scenario.name}: ${config.scenario.description}`)] : []),
    style.bold(`Redis ${target.redisVersion} at ${target.url} (${target.mode}${target.tls ? ', TLS' : ''})${config.rttMs > 0 ? `, through a proxy adding ${formatDecimal(config.rttMs, 2)} ms of round trip` : ''}`),
    `${config.concurrency} workers, ${describeLoad(config.load)}, ${length} per strategy; ${describeWorkload(config.workload)}`,
    ...(config.pool.profile ? [`pool profile ${config.pool.profile}`] : []),
    style.dim(`${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GiB, Node ${machine.node} on ${machine.platform}/${machine.arch}`),
  ].join('\n');
}

export function describeWorkload(workload: BenchConfig['workload']): string {
  const total = workload.commands.reduce((sum, c) => sum + c.weight, 0);
  const one = (c: WorkloadCommand): string => {
    const share = workload.commands.length > 1 ? `${formatDecimal((100 * c.weight) / total, 1)} % ` : '';
    const what = c.command === 'blpop' ? `BLPOP (blocks ${c.blockMs} ms)` : c.command === 'get' || c.command === 'set' || c.command === 'lpush' ? `${c.command.toUpperCase()} of ${formatBytes(c.valueSize)}` : c.command.toUpperCase();
    return `${share}${what}`;
  };
  const commands = workload.commands.map(one).join(', ');
  const keys = `over ${formatCount(Math.max(...workload.commands.map((c) => c.keyspace)))} keys`;
  const perRequest = workload.commandsPerRequest > 1 ? `; ${workload.commandsPerRequest} commands per request${workload.pipeline ? ', pipelined' : ', one after another'}` : '';
  return `${commands} ${keys}${perRequest}`;
}

function describeLoad(load: BenchConfig['load']): string {
  if (load.ratePerSec !== null) return `open loop at ${formatCount(load.ratePerSec)} requests/s`;
  if (load.targetUtilization !== null) return `closed loop at ${formatDecimal(load.targetUtilization * 100, 1)} % utilization (${load.thinkDistribution} think time)`;
  if (load.thinkMs !== null) return `closed loop with ${formatDecimal(load.thinkMs, 2)} ms ${load.thinkDistribution} think time`;
  return 'closed loop';
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${formatDecimal(bytes / 1024 / 1024, 1)} MiB`;
  if (bytes >= 1024) return `${formatDecimal(bytes / 1024, 1)} KiB`;
  return `${bytes} B`;
}

function table(head: string[], style: Style): Table.Table {
  return new Table({
    head: head.map((h) => style.bold(h)),
    style: { head: [], border: [] },
    chars: COMPACT_TABLE_CHARS,
    colAligns: ['left', ...head.slice(1).map(() => 'right' as const)],
  });
}

const ms = formatFixedMs;

function mainTable(results: StrategyResult[], style: Style): string {
  const t = table(['strategy', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'errors'], style);
  for (const r of results) {
    t.push([
      style.cyan(r.label),
      formatCount(r.throughput),
      ms(r.latency.p50),
      ms(r.latency.p90),
      ms(r.latency.p99),
      ms(r.latency.p999),
      ms(r.latency.max),
      r.errors > 0 ? style.red(formatCount(r.errors)) : '0',
    ]);
  }
  return t.toString();
}

/**
 * Where the connections came from and when: setup is everything before the measured window (the strategy's
 * start and the warm-up), end is the strategy's close after it.
 */
export const CONNECTION_COLUMNS = [
  'used (window)',
  'opened (setup)',
  'opened (window)',
  'closed (setup)',
  'closed (window)',
  'closed (end)',
  'peak open',
  'accepted (setup)',
  'accepted (window)',
  'server peak',
] as const;

export function connectionCells(r: StrategyResult): string[] {
  const c = r.connections;
  return [c.used, c.openedBeforeWindow, c.openedInWindow, c.closedBeforeWindow, c.closedInWindow, c.closedAtEnd, c.peakOpen, c.serverAcceptedBeforeWindow, c.serverAcceptedInWindow, c.serverPeakClients].map(formatCount);
}

/** The same counts, compact for a terminal: the parts of one count share a cell. */
function connectionTable(results: StrategyResult[], style: Style): string {
  const t = table(['strategy', 'used (window)', 'opened setup / window', 'closed setup / window / end', 'peak open', 'server accepted setup / window', 'server peak'], style);
  const parts = (...counts: number[]): string => counts.map(formatCount).join(' / ');
  for (const r of results) {
    const c = r.connections;
    t.push([
      style.cyan(r.label),
      formatCount(c.used),
      parts(c.openedBeforeWindow, c.openedInWindow),
      parts(c.closedBeforeWindow, c.closedInWindow, c.closedAtEnd),
      formatCount(c.peakOpen),
      parts(c.serverAcceptedBeforeWindow, c.serverAcceptedInWindow),
      formatCount(c.serverPeakClients),
    ]);
  }
  return t.toString();
}

/** What a request's hold spans, per strategy: the time it has a connection to itself (multiplexed: shares it). */
export const HOLD_SPANS: Record<StrategyName, string> = {
  'per-request': 'connect start → closed',
  pooled: 'acquired → released',
  multiplexed: 'first command → last reply (shared)',
};

/** Hold mean and utilization per strategy; multiplexed holds no connection exclusively, so it has no utilization. */
export function holdCells(r: StrategyResult): [string, string] {
  const utilization = r.load.measuredUtilization;
  return [`${ms(r.load.holdMeanMs)} ms`, utilization === null ? '–' : formatPercent(utilization)];
}

function detailTable(results: StrategyResult[], style: Style): string {
  const t = table(['strategy', 'hold mean', 'utilization', 'acquire p50', 'acquire p99', 'connect p50', 'connect p99', 'pool hits/misses/timeouts'], style);
  const pair = (summary: LatencySummary | null, field: 'p50' | 'p99'): string => (summary ? `${ms(summary[field])} ms` : '–');
  for (const r of results) {
    t.push([
      style.cyan(r.label),
      ...holdCells(r),
      pair(r.acquireWait, 'p50'),
      pair(r.acquireWait, 'p99'),
      pair(r.connect, 'p50'),
      pair(r.connect, 'p99'),
      r.pool ? `${formatCount(r.pool.hits)} / ${formatCount(r.pool.misses)} / ${formatCount(r.pool.timeouts)}` : '–',
    ]);
  }
  return t.toString();
}

/** The generator's own health, when the runs recorded it. */
function generatorTable(results: StrategyResult[], style: Style): string[] {
  const section = generatorSection(results);
  return section ? [renderSectionTerminal(section, style)] : [];
}

/** Open loop: was the schedule held, and what coordinated omission would have hidden. */
function openLoopTable(results: StrategyResult[], style: Style): string {
  const t = table(['strategy', 'requested/s', 'achieved/s', 'late starts', 'p99 corrected', 'p99 uncorrected', 'max corrected', 'max uncorrected'], style);
  for (const r of results) {
    const uncorrected = r.load.uncorrectedLatency;
    t.push([
      style.cyan(r.label),
      formatCount(r.load.requestedRate ?? 0),
      formatCount(r.load.achievedRate),
      formatCount(r.load.lateRequests),
      `${ms(r.latency.p99)} ms`,
      uncorrected ? `${ms(uncorrected.p99)} ms` : '–',
      `${ms(r.latency.max)} ms`,
      uncorrected ? `${ms(uncorrected.max)} ms` : '–',
    ]);
  }
  return t.toString();
}

/** Per-request: where the connect time goes. */
function connectPhaseLines(results: StrategyResult[]): string[] {
  return results
    .filter((r) => r.connectPhases !== null)
    .map((r) => {
      const { socket, setup } = r.connectPhases!;
      return `${r.label} connect p50: ${ms(socket.p50)} ms socket (TCP, + TLS for rediss://) + ${ms(setup.p50)} ms setup (AUTH/SELECT when needed, ready check)`;
    });
}

function faultTable(results: StrategyResult[], style: Style): string {
  const t = table(['strategy', 'fault', 'injected at', 'recovered after', 'failed requests', 'opened (window)'], style);
  for (const r of results) {
    for (const f of r.faults) {
      t.push([
        style.cyan(r.label),
        f.fault,
        `${formatDecimal(f.injectedAtMs / 1000, 2)} s`,
        f.error !== null ? style.red('not injected') : f.recoveryMs === null ? style.red('never') : `${formatCount(f.recoveryMs)} ms`,
        formatCount(f.errorsAfter),
        formatCount(r.connections.openedInWindow),
      ]);
    }
  }
  return t.toString();
}

function baselineTable(comparison: BaselineComparison, style: Style): string {
  const t = table(['run', 'metric', 'baseline', 'now', 'change', ''], style);
  for (const d of comparison.deltas) {
    const change = `${d.regressionPct > 0 ? 'worse' : 'better'} by ${formatDecimal(Math.abs(d.regressionPct), 1)} %`;
    t.push([style.cyan(deltaRunName(d)), d.metric, formatDecimal(d.baseline, 3), formatDecimal(d.current, 3), change, d.regressed ? style.red('✗ REGRESSION') : style.green('✓')]);
  }
  return [style.bold(`Against ${comparison.file} (allowed regression ${formatDecimal(comparison.maxRegressionPct, 1)} %)`), t.toString(), ...baselineNoteLines(comparison, style)].join('\n');
}

function baselineNoteLines(comparison: BaselineComparison, style: Style): string[] {
  const { unmatched, differences } = baselineNotes(comparison);
  const lines = differences.map((d) => `  ${differenceSetting(d)}: ${d.baseline} in ${comparison.file}, ${d.current} now`);
  return [...unmatched.map((line) => style.yellow(line)), ...(lines.length > 0 ? [style.yellow(`${DIFFERENCES_TITLE}:`), ...lines] : [])];
}

function describeVerdict(v: ThresholdVerdict, style: Style): string {
  const mark = v.ok ? style.green('✓ pass') : style.red('✗ FAIL');
  const where = v.run === null ? 'no run of that strategy' : `${v.run}: ${v.actual === null ? 'not measured' : formatDecimal(v.actual, 4)}`;
  return `${mark} ${v.threshold} (${where})`;
}

function times(value: number): string {
  return value >= 10 ? formatCount(value) : formatDecimal(value, 1);
}

export function describeComparison(c: Comparison, style: Style): string {
  const parts: string[] = [];
  if (c.throughputRatio !== null) parts.push(`${times(c.throughputRatio)}× the throughput of ${c.baseline}`);
  if (c.connectionsRatio !== null) {
    parts.push(c.connectionsRatio >= 1 ? `1/${times(c.connectionsRatio)} of the connections` : `${times(1 / c.connectionsRatio)}× the connections`);
  }
  if (c.p50Ratio !== null) parts.push(c.p50Ratio >= 1 ? `a median ${times(c.p50Ratio)}× faster` : `a median ${times(1 / c.p50Ratio)}× slower`);
  return `${style.bold(`${c.strategy}:`)} ${parts.join(', ')}`;
}
