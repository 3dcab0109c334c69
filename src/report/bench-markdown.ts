import { compareStrategies } from '../bench/compare.js';
import type { BaselineComparison, BenchResult, LatencySummary, StrategyResult } from '../schema/bench.js';
import { baselineNotes, deltaRunName, differenceSetting, DIFFERENCES_TITLE } from './baseline-notes.js';
import { CONNECTION_COLUMNS, connectionCells, describeComparison, describeRun, HOLD_SPANS, holdCells } from './bench-table.js';
import { formatCount, formatDecimal, formatTrimmedMs } from '../format.js';
import { GENERATOR_DEFINITIONS, generatorSection } from './generator-section.js';
import { markdownLines, markdownTable, markdownWarning } from './markdown.js';
import { renderSectionMarkdown } from './section.js';
import { SWEEP_DEFINITIONS, sweepSection } from './sweep-section.js';
import { plainStyle } from './style.js';

/** What each latency means: stated in every report, so a reader never has to guess. */
export const LATENCY_DEFINITIONS = [
  '**request latency**: from when the worker wanted to start the request (its intended start time in open loop) to the last reply; it includes the acquire wait (pooled) or the whole connection setup (per-request).',
  '**acquire wait**: asked the pool → got a connection.',
  '**connect time**: socket opened → connection ready (AUTH/HELLO, SELECT and the ready check done).',
  'Latencies are recorded as integer microseconds in HdrHistograms and reported in milliseconds.',
];

/** What each connection count and the hold mean: stated in every report beside the latencies. */
export const CONNECTION_DEFINITIONS = [
  '**setup / window / end**: setup is everything before the measured window (the strategy\'s start: the pool\'s min-idle connections, the multiplexed connection; and the warm-up); end is the strategy\'s close after the window.',
  '**used (window)**: distinct client connections that served the window (open when it began + opened during it). **opened**, **closed**: client sockets, by when. **peak open**: most client sockets open at once in the whole run.',
  '**accepted**: the server\'s `total_connections_received` over that part. **server peak**: highest `connected_clients` sampled every 10 ms from the strategy\'s start to its close, minus the clients before it (a lower bound for short-lived connections).',
  '**hold**: the time a request has a connection: per-request from the start of its connect to the end of its close, pooled from acquired to released, multiplexed from its first command to its last reply on the shared connection. **utilization**: total hold time ÷ (workers × window), the share of the workers\' time spent holding a connection; none for multiplexed, whose one connection no request holds exclusively.',
];

const latencyCells = (s: LatencySummary | null): string[] => (s ? [formatTrimmedMs(s.p50), formatTrimmedMs(s.p90), formatTrimmedMs(s.p99), formatTrimmedMs(s.p999), formatTrimmedMs(s.max)] : ['–', '–', '–', '–', '–']);

/** The bench result as a Markdown report (for a design review, a pull request, GITHUB_STEP_SUMMARY). */
export function renderBenchMarkdown(result: BenchResult): string {
  const { head, body } = benchMarkdownParts(result);
  return `${head}\n\n${body}`;
}

export function benchReportTitle(result: BenchResult): string {
  return `redis-pool bench${result.config.scenario ? `: ${result.config.scenario.name}` : ''}`;
}

/** The report in two parts, title and run description, then the sections, so the HTML page can put its charts between. */
export function benchMarkdownParts(result: BenchResult): { head: string; body: string } {
  const head = [`# ${benchReportTitle(result)}`, markdownLines(describeRun(result, plainStyle))];
  const sections = [
    '## Comparison',
    markdownTable(
      ['strategy', 'req/s', 'p50 ms', 'p99 ms', 'used (window)', 'opened (setup)', 'opened (window)', 'errors'],
      result.results.map((r) => {
        const c = r.connections;
        return [r.label, formatCount(r.throughput), formatTrimmedMs(r.latency.p50), formatTrimmedMs(r.latency.p99), formatCount(c.used), formatCount(c.openedBeforeWindow), formatCount(c.openedInWindow), formatCount(r.errors)];
      }),
    ),
    compareStrategies(result.results)
      .map((c) => `- ${describeComparison(c, plainStyle)}`)
      .join('\n'),
    '## Latency percentiles (ms)',
    markdownTable(['strategy', 'what', 'p50', 'p90', 'p99', 'p99.9', 'max'], result.results.flatMap(percentileRows), 2),
    '## Connections',
    markdownTable(
      ['strategy', ...CONNECTION_COLUMNS, 'clients before → after'],
      result.results.map((r) => [r.label, ...connectionCells(r), `${r.connections.serverClientsBefore} → ${r.connections.serverClientsAfter}`]),
    ),
    '## Hold and utilization',
    markdownTable(
      ['strategy', 'hold spans', 'hold mean', 'utilization'],
      result.results.map((r) => [r.label, HOLD_SPANS[r.strategy], ...holdCells(r)]),
      2,
    ),
    ...generatorMarkdown(result.results),
    ...poolSection(result.results),
    ...(result.sweep ? [renderSectionMarkdown(sweepSection(result.sweep))] : []),
    ...faultSection(result.results),
    ...thresholdSection(result),
    ...baselineSection(result),
    '## What the numbers mean',
    [...LATENCY_DEFINITIONS, ...CONNECTION_DEFINITIONS, ...(result.sweep ? SWEEP_DEFINITIONS : []), ...(result.results.some((r) => r.generator) ? GENERATOR_DEFINITIONS : [])].map((line) => `- ${line}`).join('\n'),
    ...(result.warnings.length > 0 ? ['## Warnings', result.warnings.map((w) => markdownWarning(w)).join('\n')] : []),
    `---\n${result.tool.name} ${result.tool.version}, schema ${result.schema}, run ${result.runId}, started ${result.startedAt}${result.interrupted ? ' (interrupted: partial results)' : ''}`,
  ];
  return { head: head.join('\n\n'), body: `${sections.join('\n\n')}\n` };
}

function percentileRows(r: StrategyResult): string[][] {
  const rows = [[r.label, 'request latency', ...latencyCells(r.latency)]];
  if (r.acquireWait) rows.push([r.label, 'acquire wait', ...latencyCells(r.acquireWait)]);
  if (r.connect) rows.push([r.label, 'connect time', ...latencyCells(r.connect)]);
  return rows;
}

function poolSection(results: StrategyResult[]): string[] {
  const pooled = results.filter((r) => r.pool !== null);
  if (pooled.length === 0) return [];
  return [
    '## Pool',
    markdownTable(
      ['run', 'max', 'hits', 'misses', 'waits', 'timeouts', 'created', 'destroyed', 'stale', 'evicted'],
      pooled.map((r) => {
        const p = r.pool!;
        return [r.label, String(p.max), formatCount(p.hits), formatCount(p.misses), formatCount(p.waitCount), formatCount(p.timeouts), formatCount(p.created), formatCount(p.destroyed), formatCount(p.staleConns), formatCount(p.evicted)];
      }),
    ),
  ];
}

function generatorMarkdown(results: StrategyResult[]): string[] {
  const section = generatorSection(results);
  return section ? [renderSectionMarkdown(section)] : [];
}

function faultSection(results: StrategyResult[]): string[] {
  const rows = results.flatMap((r) => r.faults.map((f) => [r.label, f.fault, f.error ?? (f.recoveryMs === null ? 'never' : `${formatCount(f.recoveryMs)} ms`), formatCount(f.errorsAfter)]));
  return rows.length === 0 ? [] : ['## Faults', markdownTable(['strategy', 'fault', 'recovered after', 'failed requests'], rows, 2)];
}

function thresholdSection(result: BenchResult): string[] {
  if (result.thresholds.length === 0) return [];
  return [
    '## Thresholds',
    markdownTable(
      ['verdict', 'threshold', 'run', 'measured'],
      result.thresholds.map((v) => [v.ok ? '✅ pass' : '❌ fail', `\`${v.threshold}\``, v.run ?? 'no such run', v.actual === null ? '–' : formatDecimal(v.actual, 4)]),
      3,
    ),
  ];
}

function baselineSection(result: BenchResult): string[] {
  const comparison = result.baseline;
  if (!comparison) return [];
  return [
    `## Against the baseline \`${comparison.file}\` (allowed regression ${formatDecimal(comparison.maxRegressionPct, 1)} %)`,
    markdownTable(
      ['run', 'metric', 'baseline', 'now', 'regression %', 'verdict'],
      comparison.deltas.map((d) => [deltaRunName(d), d.metric, formatDecimal(d.baseline, 3), formatDecimal(d.current, 3), formatDecimal(d.regressionPct, 1), d.regressed ? '❌ regression' : '✅']),
      2,
    ),
    ...baselineNotesMarkdown(comparison),
  ];
}

function baselineNotesMarkdown(comparison: BaselineComparison): string[] {
  const { unmatched, differences } = baselineNotes(comparison);
  const table = markdownTable(['setting', comparison.file, 'now'], differences.map((d) => [`\`${differenceSetting(d)}\``, d.baseline, d.current]), 3);
  return [...(unmatched.length > 0 ? [markdownLines(unmatched.join('\n'))] : []), ...(differences.length > 0 ? [`${DIFFERENCES_TITLE}:`, table] : [])];
}
