import type { Comparison } from './compare.js';
import type { BenchResult } from '../schema/bench.js';
import {
  answerSection,
  baselineCompactSection,
  connectionsCompactSection,
  connectPhaseLines,
  faultsCompactSection,
  holdAndWaitsSection,
  INTERRUPTED,
  openLoopSection,
  predictionSection,
  ratioItem,
  ratioSection,
  runDescription,
  runsSection,
  verdictList,
} from './bench-sections.js';
import { clusterSection } from './cluster-section.js';
import { generatorSection } from './generator-section.js';
import { FULL_LAYOUT, type TerminalLayout } from './layout.js';
import {
  renderLinesTerminal,
  renderListTerminal,
  renderSectionTerminal,
  type Cell,
  type TableSection,
} from './section.js';
import { sweepSection } from './sweep-section.js';
import { capacityAnswer, capacitySection } from './capacity-curve-section.js';
import { renderWarnings } from './warnings.js';
import { plainStyle, type Style } from './style.js';

const DETAILS_HINT = 'more: --details (every table), --json, --markdown or --html';

/**
 * The human view of a bench result, the answer first: what ran (two lines), one compact table, the verdict lines,
 * then what a run of this kind is for (a sweep's table, the faults, the thresholds, the baseline) and the warnings.
 * Everything else (every percentile, the connection counts by when, hold and waits, the generator, the open-loop
 * schedule, the connect-time split, the machine) comes with `details`, and is always in the JSON, Markdown and HTML.
 */
export function renderBenchTable(
  result: BenchResult,
  style: Style = plainStyle,
  layout: TerminalLayout = FULL_LAYOUT,
): string {
  const { width, details } = layout;
  const results = result.results;
  const section = (s: TableSection): string => renderSectionTerminal(s, style, width);
  const description = runDescription(result);
  const context = details ? description : description.filter((line) => line.tone !== 'dim');
  return [
    renderLinesTerminal(context, style, width),
    ...(result.capacity ? renderListTerminal(capacityAnswer(result.capacity), style, width) : []),
    section(answerSection(results)),
    // A curve's steps are one strategy at several rates: their ratios to each other say nothing the curve does not.
    ...(result.capacity ? [] : renderListTerminal(ratioSection(result), style, width)),
    ...renderListTerminal(predictionSection(result), style, width),
    ...(result.sweep ? [section(sweepSection(result.sweep))] : []),
    ...(result.capacity ? [section(capacitySection(result.capacity, !details))] : []),
    ...(results.some((r) => r.faults.length > 0) ? [section(faultsCompactSection(results))] : []),
    ...(result.baseline ? [section(baselineCompactSection(result.baseline))] : []),
    ...renderListTerminal(verdictList(result.thresholds), style, width),
    ...(result.interrupted ? [style.yellow(INTERRUPTED)] : []),
    ...renderWarnings(result.warnings, style, width),
    ...(details
      ? detailSections(result, section, style, width)
      : [renderLinesTerminal([dimmed(DETAILS_HINT)], style, width)]),
  ].join('\n');
}

/** What --details adds under the answer, each table under a title. */
function detailSections(
  result: BenchResult,
  section: (s: TableSection) => string,
  style: Style,
  width: number,
): string[] {
  const results = result.results;
  const titled = (title: string, s: TableSection): string => section({ ...s, title });
  const generator = generatorSection(results);
  const cluster = clusterSection(result);
  return [
    titled('Request latency (ms)', runsSection(results)),
    titled('Connections', connectionsCompactSection(results)),
    titled('Hold, waits and the pool', holdAndWaitsSection(results)),
    ...(cluster ? [section(cluster)] : []),
    ...(generator ? [section(generator)] : []),
    ...(result.config.load.ratePerSec !== null
      ? [titled('Open loop: the schedule, and coordinated omission', openLoopSection(results))]
      : []),
    ...connectPhaseLines(results).map((line) => renderLinesTerminal([line], style, width)),
  ];
}

const dimmed = (text: string): Cell => ({ text, tone: 'dim' });

/** One ratio line as the terminal writes it: "pooled: 22× the throughput of per-request, …", the name in bold. */
export function describeComparison(c: Comparison, style: Style): string {
  return renderListTerminal({ items: [ratioItem(c)] }, style)[0]!;
}
