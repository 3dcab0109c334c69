import type { Comparison } from '../bench/compare.js';
import type { BenchResult } from '../schema/bench.js';
import {
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
import { renderLinesTerminal, renderListTerminal, renderSectionTerminal } from './section.js';
import { sweepSection } from './sweep-section.js';
import { renderWarnings } from './warnings.js';
import { plainStyle, type Style } from './style.js';

/** The human view of a bench result: what ran, one row per strategy, waits and connections, the ratios. */
export function renderBenchTable(result: BenchResult, style: Style = plainStyle): string {
  const results = result.results;
  const generator = generatorSection(results);
  const cluster = clusterSection(result);
  const section = renderSectionTerminal;
  return [
    renderLinesTerminal(runDescription(result), style),
    section(runsSection(results), style),
    section(connectionsCompactSection(results), style),
    section(holdAndWaitsSection(results), style),
    ...(cluster ? [section(cluster, style)] : []),
    ...renderListTerminal(predictionSection(result), style),
    ...(generator ? [section(generator, style)] : []),
    ...(result.config.load.ratePerSec !== null ? [section(openLoopSection(results), style)] : []),
    ...connectPhaseLines(results),
    ...(results.some((r) => r.faults.length > 0) ? [section(faultsCompactSection(results), style)] : []),
    ...(result.sweep ? [section(sweepSection(result.sweep), style)] : []),
    ...renderListTerminal(ratioSection(result), style),
    ...(result.baseline ? [section(baselineCompactSection(result.baseline), style)] : []),
    ...renderListTerminal(verdictList(result.thresholds), style),
    ...(result.interrupted ? [style.yellow(INTERRUPTED)] : []),
    ...renderWarnings(result.warnings, style),
  ].join('\n');
}

/** One ratio line as the terminal writes it: "pooled: 22× the throughput of per-request, …", the name in bold. */
export function describeComparison(c: Comparison, style: Style): string {
  return renderListTerminal({ items: [ratioItem(c)] }, style)[0]!;
}
