import { UsageError } from '../errors.js';
import { renderPercentileChart } from '../report/ascii-chart.js';
import { renderBenchHtml } from '../report/bench-html.js';
import { renderBenchMarkdown } from '../report/bench-markdown.js';
import { renderBenchTable } from '../report/bench-terminal.js';
import { latencyCurves } from '../report/chart-data.js';
import { renderCapacityChart } from '../report/curve-chart.js';
import { toBmf, toGab, toHgrm } from '../report/exports.js';
import { toPrometheus } from '../report/prometheus.js';
import type { BenchResult } from '../schema/bench.js';
import { readChartJsSource } from './chart-library.js';
import type { RawOutputOptions } from './output-flags.js';
import { OutputPlan } from './output-plan.js';
import { stdoutStyle } from './output.js';
import { terminalLayout } from './terminal-flags.js';

/** The plan, checked (before anything runs): one claim on stdout, --chart only under the table, every file writable. */
export function checkedBenchOutputs(raw: RawOutputOptions): OutputPlan<BenchResult> {
  const outputs = benchOutputs(raw);
  const stdoutClaim = outputs.checkStdout();
  if (raw.chart && stdoutClaim !== null) {
    throw new UsageError(
      `--chart draws under the table, which ${stdoutClaim} replaces on stdout: use one or the other (--html has the charts too)`,
    );
  }
  outputs.checkWritable();
  return outputs;
}

/**
 * Every output of a bench document (a run's, or a merge's), in one plan checked before anything runs; stdout gets
 * the table (with the ASCII chart under it when asked for) unless --json or a flag given `-` takes it. --markdown
 * is also appended to the GitHub Actions job summary when $GITHUB_STEP_SUMMARY is set.
 */
function benchOutputs(raw: RawOutputOptions): OutputPlan<BenchResult> {
  const json = (result: BenchResult): string => `${JSON.stringify(result, null, 2)}\n`;
  return new OutputPlan<BenchResult>()
    .stdout('--json', raw.json === true, json)
    .document('--output', raw.output, json)
    .document('--markdown', raw.markdown, renderBenchMarkdown)
    .append(
      'GITHUB_STEP_SUMMARY',
      raw.markdown !== undefined ? process.env.GITHUB_STEP_SUMMARY : undefined,
      renderBenchMarkdown,
    )
    .document('--html', raw.html, (result) => renderBenchHtml(result, readChartJsSource()))
    .document('--export-bmf', raw.exportBmf, (result) => `${JSON.stringify(toBmf(result), null, 2)}\n`)
    .document('--export-prom', raw.exportProm, toPrometheus)
    .files(
      '--export-gab',
      raw.exportGab,
      'file prefix',
      (prefix) => [`${prefix}-smaller-is-better.json`, `${prefix}-bigger-is-better.json`],
      (result) => {
        const gab = toGab(result);
        return [
          `${JSON.stringify(gab.smallerIsBetter, null, 2)}\n`,
          `${JSON.stringify(gab.biggerIsBetter, null, 2)}\n`,
        ];
      },
    )
    .folder('--export-hgrm', raw.exportHgrm, (result) => [...toHgrm(result)])
    .otherwiseStdout((result) => humanReport(result, raw));
}

/**
 * The table, and under it when asked for a chart: a capacity curve's p99 at each offered rate, or else the latency
 * percentiles of the runs.
 */
function humanReport(result: BenchResult, raw: RawOutputOptions): string {
  const style = stdoutStyle(false, raw.color !== false);
  const layout = terminalLayout(raw);
  const table = renderBenchTable(result, style, layout);
  if (raw.chart !== true) return table;
  const chart =
    result.capacity !== undefined && result.capacity.length > 0
      ? renderCapacityChart(result.capacity, style, { width: layout.width })
      : renderPercentileChart(latencyCurves(result), style);
  return `${table}\n\n${chart}`;
}
