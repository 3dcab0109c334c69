import type { BenchResult } from '../schema/bench.js';
import {
  baselineDifferencesSection,
  baselineSection,
  comparisonSection,
  connectionsSection,
  faultsSection,
  holdSection,
  percentilesSection,
  poolSection,
  predictionSection,
  ratioSection,
  runDescription,
  thresholdsSection,
} from './bench-sections.js';
import { clusterSection } from './cluster-section.js';
import { GENERATOR_DEFINITIONS, generatorSection } from './generator-section.js';
import { markdownWarning } from './warnings.js';
import { renderLinesMarkdown, renderListMarkdown, renderSectionMarkdown, type TableSection } from './section.js';
import { SWEEP_DEFINITIONS, sweepSection } from './sweep-section.js';
import { capacityAnswer, capacitySection } from './capacity-curve-section.js';

/** What each latency means: stated in every report, so a reader never has to guess. */
export const LATENCY_DEFINITIONS = [
  '**request latency**: from when the worker wanted to start the request ' +
    '(its intended start time in open loop) to the last reply; ' +
    'it includes the acquire wait (pooled) or the whole connection setup (per-request).',
  '**acquire wait**: asked the pool → got a connection.',
  '**connect time**: socket opened → connection ready (AUTH/HELLO, SELECT and the ready check done).',
  'Latencies are recorded as integer microseconds in HdrHistograms and reported in milliseconds.',
];

/** What each connection count and the hold mean: stated in every report beside the latencies. */
export const CONNECTION_DEFINITIONS = [
  "**setup / window / end**: setup is everything before the measured window (the strategy's start: " +
    "the pool's min-idle connections, the multiplexed connection; " +
    "and the warm-up); end is the strategy's close after the window.",
  '**used (window)**: distinct client connections that served the window (open ' +
    'when it began + opened during it). **opened**, **closed**: client sockets, ' +
    'by when. **peak open**: most client sockets open at once in the whole run.',
  "**accepted**: the server's `total_connections_received` over that part. **server peak**: " +
    "highest `connected_clients` sampled every 10 ms from the strategy's start to its close, " +
    'minus the clients before it (a lower bound for short-lived connections).',
  '**hold**: the time a request has a connection: per-request from the start of its ' +
    'connect to the end of its close, pooled from acquired to released, ' +
    'multiplexed from its first command to its last reply on the shared connection. **utilization**: ' +
    "total hold time ÷ (workers × window), the share of the workers' time spent holding a connection; " +
    'none for multiplexed, whose one connection no request holds exclusively.',
];

/** The bench result as a Markdown report (for a design review, a pull request, GITHUB_STEP_SUMMARY). */
export function renderBenchMarkdown(result: BenchResult): string {
  const { head, body } = benchMarkdownParts(result);
  return `${head}\n\n${body}`;
}

export function benchReportTitle(result: BenchResult): string {
  return `redis-pool bench${result.config.scenario ? `: ${result.config.scenario.name}` : ''}`;
}

/**
 * The report in two parts, so the HTML page can put its charts between: the head is the answer (the title, what ran,
 * the comparison table, the verdict lines and the thresholds' verdicts), the body every other section.
 */
export function benchMarkdownParts(result: BenchResult): { head: string; body: string } {
  const results = result.results;
  const ratios = ratioSection(result);
  const predictions = predictionSection(result);
  const optional = (section: TableSection | null): string[] => (section ? [renderSectionMarkdown(section)] : []);
  const head = [
    `# ${benchReportTitle(result)}`,
    renderLinesMarkdown(runDescription(result)),
    // A capacity curve answers with each strategy's knee, then its steps; their ratios to each other say nothing more.
    ...(result.capacity
      ? [renderListMarkdown(capacityAnswer(result.capacity)), renderSectionMarkdown(capacitySection(result.capacity))]
      : []),
    renderSectionMarkdown(comparisonSection(results)),
    ...(ratios.items.length > 0 && !result.capacity ? [renderListMarkdown(ratios)] : []),
    ...optional(result.thresholds.length > 0 ? thresholdsSection(result.thresholds) : null),
  ];
  const sections = [
    renderSectionMarkdown(percentilesSection(results)),
    renderSectionMarkdown(connectionsSection(results)),
    renderSectionMarkdown(holdSection(results)),
    ...optional(clusterSection(result)),
    ...(predictions.items.length > 0 ? [renderListMarkdown(predictions)] : []),
    ...optional(generatorSection(results)),
    ...optional(poolSection(results)),
    ...optional(result.sweep ? sweepSection(result.sweep) : null),
    ...optional(results.some((r) => r.faults.length > 0) ? faultsSection(results) : null),
    ...baselineMarkdown(result),
    '## What the numbers mean',
    [
      ...LATENCY_DEFINITIONS,
      ...CONNECTION_DEFINITIONS,
      ...(result.sweep ? SWEEP_DEFINITIONS : []),
      ...(results.some((r) => r.generator) ? GENERATOR_DEFINITIONS : []),
    ]
      .map((line) => `- ${line}`)
      .join('\n'),
    ...(result.warnings.length > 0 ? ['## Warnings', result.warnings.map((w) => markdownWarning(w)).join('\n')] : []),
    `---\n${result.tool.name} ${result.tool.version}, ` +
      `schema ${result.schema}, run ${result.runId}, ` +
      `started ${result.startedAt}${result.interrupted ? ' (interrupted: partial results)' : ''}`,
  ];
  return { head: head.join('\n\n'), body: `${sections.join('\n\n')}\n` };
}

/** The deltas, then the settings measured differently (a table under a line that names it). */
function baselineMarkdown(result: BenchResult): string[] {
  if (!result.baseline) return [];
  const differences = baselineDifferencesSection(result.baseline);
  return [
    renderSectionMarkdown(baselineSection(result.baseline)),
    ...(differences ? [`${differences.title}:`, renderSectionMarkdown(differences, null)] : []),
  ];
}
