import type { BenchResult } from '../schema/bench.js';
import { benchMarkdownParts, benchReportTitle } from './bench-markdown.js';
import { acquireWaitCurves, latencyCurves } from './chart-data.js';
import { renderHtmlPage, type ChartSpec } from './html.js';
import { sweepTolerance } from './sweep-section.js';
import { parseSlo } from '../bench/gates/slo.js';

/** The charts of one bench result. */
export function benchCharts(result: BenchResult): ChartSpec[] {
  const runs = result.results;
  const labels = runs.map((r) => r.label);
  const acquireWait = acquireWaitCurves(result);
  return [
    { kind: 'percentiles', title: 'Request latency by percentile', curves: latencyCurves(result) },
    ...(acquireWait.length > 0 && !noRequestWaited(result)
      ? [{ kind: 'percentiles', title: 'Acquire wait by percentile', curves: acquireWait } as const]
      : []),
    {
      kind: 'bars',
      title: 'Throughput',
      labels,
      series: [{ name: 'requests/s', values: runs.map((r) => r.throughput) }],
      logScale: false,
      unit: 'successful requests/s',
    },
    {
      kind: 'bars',
      title: 'Connections',
      labels,
      series: [
        { name: 'used in the window (client)', values: runs.map((r) => r.connections.used) },
        { name: 'opened in setup (client)', values: runs.map((r) => r.connections.openedBeforeWindow) },
        { name: 'opened in the window (client)', values: runs.map((r) => r.connections.openedInWindow) },
        { name: 'peak clients (server)', values: runs.map((r) => r.connections.serverPeakClients) },
      ],
      logScale: true,
      unit: 'connections (log)',
    },
    ...(result.capacity
      ? [
          {
            kind: 'curve',
            title: 'Capacity curve: latency against the throughput served',
            curves: result.capacity,
            objectives: (result.capacity[0]?.slo ?? []).map((text) => {
              const { limitMs } = parseSlo(text);
              return { text, limitMs };
            }),
          } as const,
        ]
      : []),
    ...(result.sweep
      ? [
          {
            kind: 'sweep',
            title: 'Pool-size sweep: share of requests that waited',
            sweep: result.sweep,
            tolerance: sweepTolerance(result.sweep),
          } as const,
        ]
      : []),
  ];
}

/** Pooled runs whose every acquire was served at once: a chart of them would be a flat line at 0. */
function noRequestWaited(result: BenchResult): boolean {
  const waits = result.results.flatMap((r) => (r.acquireWait ? [r.acquireWait] : []));
  return waits.length > 0 && waits.every((w) => w.max === 0);
}

/** The Markdown report as a self-contained page: the answer first, then the charts, then the other tables. */
export function renderBenchHtml(result: BenchResult, chartJs: string): string {
  const { head, body } = benchMarkdownParts(result);
  const flat = noRequestWaited(result)
    ? [
        {
          markdown:
            'No acquire-wait chart: every acquire of every pooled run was served at once (all waits 0 ms), so no request waited for a connection.',
        },
      ]
    : [];
  return renderHtmlPage(
    benchReportTitle(result),
    [{ markdown: head }, { charts: benchCharts(result) }, ...flat, { markdown: body }],
    chartJs,
  );
}
