import type { BenchResult } from './bench-schema.js';
import { benchMarkdownParts, benchReportTitle } from './bench-markdown.js';
import { benchChartData } from './chart-data.js';
import { renderHtmlPage, type ChartSpec } from './html.js';

/** The charts of one bench result. */
export function benchCharts(result: BenchResult): ChartSpec[] {
  const data = benchChartData(result);
  const labels = data.bars.map((bar) => bar.label);
  const charts: ChartSpec[] = [{ kind: 'percentiles', title: 'Request latency by percentile', curves: data.latency }];
  if (data.acquireWait.length > 0) charts.push({ kind: 'percentiles', title: 'Acquire wait by percentile', curves: data.acquireWait });
  charts.push(
    { kind: 'bars', title: 'Throughput', labels, series: [{ name: 'requests/s', values: data.bars.map((bar) => bar.throughput) }], logScale: false, unit: 'successful requests/s' },
    {
      kind: 'bars',
      title: 'Connections',
      labels,
      series: [
        { name: 'used (client)', values: data.bars.map((bar) => bar.connectionsUsed) },
        { name: 'opened (client)', values: data.bars.map((bar) => bar.connectionsOpened) },
        { name: 'peak clients (server)', values: data.bars.map((bar) => bar.serverPeakClients) },
      ],
      logScale: true,
      unit: 'connections (log)',
    },
  );
  if (data.sweep) charts.push({ kind: 'sweep', title: 'Pool-size sweep: share of requests that waited', sweep: data.sweep });
  return charts;
}

/** The Markdown report as a self-contained page, with the charts between the run description and the tables. */
export function renderBenchHtml(result: BenchResult, chartJs: string): string {
  const { head, body } = benchMarkdownParts(result);
  return renderHtmlPage(benchReportTitle(result), [{ markdown: head }, { charts: benchCharts(result) }, { markdown: body }], chartJs);
}
