import Table from 'cli-table3';
import { compareStrategies, type Comparison } from '../bench/compare.js';
import type { BenchResult, LatencySummary, StrategyResult } from './bench-schema.js';
import { formatCount, formatDecimal } from './format.js';
import { renderWarnings } from './warnings.js';
import { COMPACT_TABLE_CHARS, plainStyle, type Style } from './style.js';

/** The human view of a bench result: what ran, one row per strategy, waits and connections, the ratios. */
export function renderBenchTable(result: BenchResult, style: Style = plainStyle): string {
  return [
    describeRun(result, style),
    mainTable(result.results, style),
    detailTable(result.results, style),
    ...compareStrategies(result.results).map((c) => describeComparison(c, style)),
    ...(result.interrupted ? [style.yellow('Interrupted: these are partial results.')] : []),
    ...renderWarnings(result.warnings, style),
  ].join('\n');
}

export function describeRun(result: BenchResult, style: Style): string {
  const { config, target, machine } = result;
  const length = config.requests !== null ? `${formatCount(config.requests)} requests` : `${formatDecimal((config.durationMs ?? 0) / 1000, 1)} s`;
  const command = `${config.command.toUpperCase()} of ${formatCount(config.valueSize)} B values over ${formatCount(config.keyspace)} keys`;
  return [
    style.bold(`Redis ${target.redisVersion} at ${target.url} (${target.mode}${target.tls ? ', TLS' : ''})`),
    `${config.concurrency} workers, closed loop, ${length} per strategy; ${command}`,
    style.dim(`${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GiB, Node ${machine.node} on ${machine.platform}/${machine.arch}`),
  ].join('\n');
}

function table(head: string[], style: Style): Table.Table {
  return new Table({
    head: head.map((h) => style.bold(h)),
    style: { head: [], border: [] },
    chars: COMPACT_TABLE_CHARS,
    colAligns: ['left', ...head.slice(1).map(() => 'right' as const)],
  });
}

const ms = (value: number): string => (value < 10 ? value.toFixed(3) : value < 1000 ? value.toFixed(1) : formatCount(value));

function mainTable(results: StrategyResult[], style: Style): string {
  const t = table(['strategy', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'conns used', 'opened', 'peak open', 'errors'], style);
  for (const r of results) {
    t.push([
      style.cyan(r.label),
      formatCount(r.throughput),
      ms(r.latency.p50),
      ms(r.latency.p90),
      ms(r.latency.p99),
      ms(r.latency.p999),
      ms(r.latency.max),
      formatCount(r.connections.used),
      formatCount(r.connections.opened),
      formatCount(r.connections.peakOpen),
      r.errors > 0 ? style.red(formatCount(r.errors)) : '0',
    ]);
  }
  return t.toString();
}

function detailTable(results: StrategyResult[], style: Style): string {
  const t = table(['strategy', 'acquire p50', 'acquire p99', 'connect p50', 'connect p99', 'server accepted', 'server peak', 'pool hits/misses/timeouts'], style);
  const pair = (summary: LatencySummary | null, field: 'p50' | 'p99'): string => (summary ? `${ms(summary[field])} ms` : '–');
  for (const r of results) {
    t.push([
      style.cyan(r.label),
      pair(r.acquireWait, 'p50'),
      pair(r.acquireWait, 'p99'),
      pair(r.connect, 'p50'),
      pair(r.connect, 'p99'),
      formatCount(r.connections.serverAccepted),
      formatCount(r.connections.serverPeakClients),
      r.pool ? `${formatCount(r.pool.hits)} / ${formatCount(r.pool.misses)} / ${formatCount(r.pool.timeouts)}` : '–',
    ]);
  }
  return t.toString();
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
