import { Marked } from 'marked';
import type { CapacityCurve, SweepResult } from '../schema/bench.js';
import type { PercentileCurve } from './chart-data.js';
import { HTML_PAGE_SCRIPT } from './html-page-script.js';

/** A chart the page draws with Chart.js; the page script knows how to draw each kind. */
export type ChartSpec =
  | { kind: 'percentiles'; title: string; curves: PercentileCurve[] }
  | {
      kind: 'bars';
      title: string;
      labels: string[];
      series: { name: string; values: number[] }[];
      logScale: boolean;
      unit: string;
    }
  | { kind: 'sweep'; title: string; sweep: SweepResult; tolerance: number }
  | { kind: 'curve'; title: string; curves: CapacityCurve[]; objectives: { text: string; limitMs: number }[] };

/** A page is Markdown (rendered to HTML here) with chart panels between the parts. */
export type PagePart = { markdown: string } | { charts: ChartSpec[] };

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// Raw HTML in the Markdown (a scenario name, a file path) is shown as text, never interpreted.
const markdownToHtml = new Marked({ gfm: true }).use({ renderer: { html: ({ text }) => escapeHtml(text) } });

/** JSON inside <script>: `<` escaped so that no value can close the element. */
const scriptSafeJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * One self-contained HTML file: styles, Chart.js (its source passed in `chartJs`), the chart data and the
 * script that draws them are all inline, so the page opens anywhere with no network.
 */
export function renderHtmlPage(title: string, parts: PagePart[], chartJs: string): string {
  const charts = parts.flatMap((part) => ('charts' in part ? part.charts : []));
  let chartIndex = 0;
  const body = parts
    .map((part) => {
      if ('markdown' in part) return markdownToHtml.parse(part.markdown, { async: false });
      const panels = part.charts.map(
        (chart) =>
          `<figure class="chart"><canvas id="chart-${chartIndex++}" aria-label="${escapeHtml(chart.title)}"></canvas></figure>`,
      );
      return `<section class="charts">${panels.join('')}</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
${body}
</main>
<script type="application/json" id="chart-data">${scriptSafeJson(charts)}</script>
<script>${chartJs.replace(/<\/script/gi, '<\\/script')}</script>
<script>${HTML_PAGE_SCRIPT}</script>
</body>
</html>
`;
}

const PAGE_STYLE = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 0; background: #fff; }
main { max-width: 1200px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.6em; border-bottom: 1px solid #d0d7de; padding-bottom: .3em; }
h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #d8dee4; padding-bottom: .2em; }
table { border-collapse: collapse; margin: 12px 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d0d7de; padding: 4px 10px; }
td[align="right"] { white-space: nowrap; }
th { background: #f6f8fa; }
tr:nth-child(even) td { background: #fbfcfd; }
code { background: #eff1f3; padding: 1px 4px; border-radius: 4px; font-size: 90%; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; margin: 16px 0; }
.chart { margin: 0; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px; height: 340px; position: relative; }
hr { border: 0; border-top: 1px solid #d0d7de; margin-top: 2em; }
`;
