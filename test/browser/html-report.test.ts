/// <reference lib="dom" />
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChartJsSource } from '../../src/cli/chart-library.js';
import { renderBenchHtml } from '../../src/report/bench-html.js';
import type { BenchResult } from '../../src/schema/bench.js';
import { launchChromium, saveScreenshot, visitReport, type PageVisit } from '../helpers/browser.js';
import { fixturePath, readBenchFixture, withGenerator } from '../helpers/fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

let browser: Browser;
let dir: string;
beforeAll(async () => {
  browser = await launchChromium();
  dir = tempDir('html');
});
afterAll(async () => {
  await browser?.close();
});

function writeReport(name: string, result: BenchResult): string {
  const file = join(dir, name);
  writeFileSync(file, renderBenchHtml(result, readChartJsSource()));
  return file;
}

/** Every chart drawn, with its datasets and a visible share of painted pixels; no error and no network. */
function expectHealthyPage(visit: PageVisit, chartTitles: string[]): void {
  expect(visit.errors).toEqual([]);
  expect(visit.externalRequests).toEqual([]);
  expect(visit.charts.expected).toBe(chartTitles.length);
  expect(visit.charts.rendered).toBe(chartTitles.length);
  expect(visit.charts.canvases.map((c) => c.title)).toEqual(chartTitles);
  for (const canvas of visit.charts.canvases) {
    expect(canvas.datasets, canvas.title).toBeGreaterThan(0);
    // Axes, labels and lines: a blank canvas paints nothing, a drawn chart a few percent at least.
    expect(canvas.paintedShare, canvas.title).toBeGreaterThan(0.02);
  }
}

describe('the HTML report in headless Chromium', () => {
  it('draws the percentile curves, acquire waits, throughput and connections of a real run', async () => {
    const result = readBenchFixture('bench-result.json');
    const visit = await visitReport(browser, writeReport('bench.html', result));
    expectHealthyPage(visit, [
      'Request latency by percentile',
      'Acquire wait by percentile',
      'Throughput',
      'Connections',
    ]);
    const latencyChart = visit.charts.canvases[0]!;
    expect(latencyChart.datasets).toBe(result.results.length);
    const text = await visit.page.locator('main').innerText();
    for (const heading of ['Comparison', 'Latency percentiles (ms)', 'Connections', 'What the numbers mean'])
      expect(text).toContain(heading);
    for (const r of result.results) expect(text).toContain(r.label);
    await saveScreenshot(visit.page, 'bench-report.png');
    await visit.page.close();
  });

  it('adds the sweep chart, measured beside predicted P(wait), when the run swept pool sizes', async () => {
    const result = readBenchFixture('bench-sweep-result.json');
    const visit = await visitReport(browser, writeReport('sweep.html', result));
    expectHealthyPage(visit, [
      'Request latency by percentile',
      'Acquire wait by percentile',
      'Throughput',
      'Connections',
      'Pool-size sweep: share of requests that waited',
    ]);
    expect(visit.charts.canvases[4]!.datasets).toBe(2);
    await saveScreenshot(visit.page, 'bench-sweep-report.png');
    await visit.page.close();
  });

  it('draws a capacity curve: latency against the throughput served, the objective as a line, each knee marked', async () => {
    const result = readBenchFixture('bench-curve-result.json');
    const visit = await visitReport(browser, writeReport('curve.html', result));
    // The acquire-wait chart is left out only where no pooled request ever waited.
    const waited = result.results.some((r) => (r.acquireWait?.max ?? 0) > 0);
    expectHealthyPage(visit, [
      'Request latency by percentile',
      ...(waited ? ['Acquire wait by percentile'] : []),
      'Throughput',
      'Connections',
      'Capacity curve: latency against the throughput served',
    ]);
    const curve = visit.charts.canvases.find((c) => c.title.startsWith('Capacity curve'))!;
    // p99 and p50 for each strategy, and the objective's line.
    expect(curve.datasets).toBe(2 * result.capacity!.length + 1);
    const text = await visit.page.locator('main').innerText();
    expect(text).toContain('Capacity curve: each strategy at each offered rate');
    for (const c of result.capacity!) {
      const knee =
        c.kneeRatePerSec === null
          ? 'no capacity found'
          : `serves up to ${c.kneeRatePerSec.toLocaleString('en-US')} req/s`;
      expect(text).toContain(knee);
    }
    await saveScreenshot(visit.page, 'bench-curve-report.png');
    await visit.page.close();
  });

  it("gives each pool size's difference in the sweep chart's tooltip, crosses the disagreeing sizes, and shows the sweep and generator tables", async () => {
    const result = withGenerator(readBenchFixture('bench-sweep-result.json'));
    const visit = await visitReport(browser, writeReport('sweep-rows.html', result));
    expect(visit.errors).toEqual([]);
    const chart = await visit.page.evaluate(() => {
      type ChartLike = {
        data: { datasets: { pointStyle: string[] }[] };
        getDatasetMeta(i: number): { data: { x: number; y: number }[] };
        tooltip: {
          setActiveElements(elements: { datasetIndex: number; index: number }[], at: { x: number; y: number }): void;
          title: string[];
          body: { lines: string[] }[];
          afterBody: string[];
        };
        update(): void;
        options: { plugins: { subtitle: { text: string } } };
      };
      const ChartJs = (window as unknown as { Chart: { getChart(canvas: HTMLCanvasElement): ChartLike } }).Chart;
      const canvas = document.querySelector(
        'canvas[aria-label="Pool-size sweep: share of requests that waited"]',
      ) as HTMLCanvasElement;
      const c = ChartJs.getChart(canvas);
      const point = c.getDatasetMeta(0).data[2]!;
      c.tooltip.setActiveElements(
        [
          { datasetIndex: 0, index: 2 },
          { datasetIndex: 1, index: 2 },
        ],
        { x: point.x, y: point.y },
      );
      c.update();
      return {
        pointStyles: c.data.datasets[0]!.pointStyle,
        subtitle: c.options.plugins.subtitle.text,
        title: c.tooltip.title,
        lines: c.tooltip.body.flatMap((b) => b.lines),
        afterBody: c.tooltip.afterBody,
      };
    });
    expect(chart.pointStyles).toEqual(['circle', 'circle', 'crossRot', 'crossRot', 'crossRot', 'crossRot']);
    expect(chart.subtitle).toContain('✕: measured − model beyond ±3 pts (4 of 6 sizes)');
    expect(chart.title).toEqual(['pool of 3']);
    expect(chart.lines).toEqual(['measured P(wait): 88 %', 'finite-source model P(wait): 65.9 %']);
    expect(chart.afterBody).toEqual(['difference (measured − model): +22.1 pts, ✕ beyond ±3 pts']);
    const text = await visit.page.locator('main').innerText();
    expect(text).toContain('Pool-size sweep: measured waits beside the model');
    expect(text).toContain('2 of 6 rows agree with the model within ±3 pts');
    expect(text).toContain('Load generator: how much it distorted the load');
    expect(await visit.page.locator('table:has(th:text-is("late p99 µs")) tbody tr').count()).toBe(
      result.results.length,
    );
    expect(await visit.page.locator('table:has(th:text-is("difference")) td:text-is("+22.1 pts")').count()).toBe(1);
    await saveScreenshot(visit.page, 'bench-sweep-rows-report.png');
    await visit.page.close();
  });

  it('shows markup from a scenario name as text instead of running it', async () => {
    const result = readBenchFixture('bench-result.json');
    const hostile = '</script><script>window.injected = true</script><img src=x onerror="window.injected = true">';
    result.config.scenario = { name: hostile, description: '<b>bold?</b>', file: 'x.yaml' };
    const visit = await visitReport(browser, writeReport('hostile.html', result));
    expect(await visit.page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
    expect(visit.charts.rendered).toBe(4);
    expect(await visit.page.locator('h1').innerText()).toContain('<script>');
    await visit.page.close();
  });

  it('bench --html writes a page that renders, from a real run, before a failed threshold exits 99', async () => {
    const file = join(dir, 'cli.html');
    const run = await runCli(
      [
        'bench',
        '--requests',
        '300',
        '--warmup',
        '0',
        '--concurrency',
        '4',
        '--pool-size',
        '2,4',
        '--html',
        file,
        '--threshold',
        'pooled:latency:max<0',
      ],
      {
        env: { REDIS_URL: undefined },
      },
    );
    expect(run.exitCode).toBe(99);
    const visit = await visitReport(browser, file);
    expectHealthyPage(visit, [
      'Request latency by percentile',
      'Acquire wait by percentile',
      'Throughput',
      'Connections',
      'Pool-size sweep: share of requests that waited',
    ]);
    expect(await visit.page.locator('main').innerText()).toContain('❌ fail');
    await visit.page.close();
  });

  it('report --html draws the charts of every bench given as evidence', async () => {
    const file = join(dir, 'plan.html');
    const fixtures = ['bench-result.json', 'bench-sweep-result.json'].map(fixturePath);
    const run = await runCli([
      'report',
      '--size',
      fixturePath('size-result.json'),
      '--bench',
      ...fixtures,
      '--html',
      file,
    ]);
    expect(run.exitCode).toBe(0);
    const visit = await visitReport(browser, file);
    const charts = ['Request latency by percentile', 'Acquire wait by percentile', 'Throughput', 'Connections'];
    expectHealthyPage(visit, [...charts, ...charts, 'Pool-size sweep: share of requests that waited']);
    // Each bench's charts sit under its own evidence, before the next bench's heading.
    const order = await visit.page.evaluate(() =>
      Array.from(document.querySelectorAll('h3, canvas')).map((e) => e.tagName),
    );
    expect(order).toEqual(['H3', ...charts.map(() => 'CANVAS'), 'H3', ...charts.map(() => 'CANVAS'), 'CANVAS']);
    expect(await visit.page.locator('h1').innerText()).toBe('Capacity plan');
    await saveScreenshot(visit.page, 'capacity-report.png');
    await visit.page.close();
  });
});
