/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, requireTestTool } from './test-tools.js';

/** Where tests keep screenshots for a person to look at (gitignored). */
export const ARTIFACTS_DIR = join(import.meta.dirname, '..', '..', 'test-artifacts');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: requireTestTool(CHROMIUM),
    // Without the background-networking flags Chromium keeps trying hosts this closed network refuses.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface ChartReport {
  expected: number;
  rendered: number;
  /** Per canvas: the chart's title, its dataset count, and the share of its pixels that were painted. */
  canvases: { title: string; datasets: number; paintedShare: number }[];
}

export interface PageVisit {
  page: Page;
  errors: string[];
  /** Requests to anything but the file itself: a self-contained page makes none. */
  externalRequests: string[];
  charts: ChartReport;
}

/** Open a report file, collect console errors and outside requests, and measure what each chart canvas drew. */
export async function visitReport(browser: Browser, file: string): Promise<PageVisit> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const externalRequests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      errors.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (request.url() !== `file://${file}`) externalRequests.push(request.url());
  });
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  const charts = await page.evaluate(() => {
    const state = (window as unknown as { redisPoolCharts?: { expected: number; rendered: number } })
      .redisPoolCharts ?? { expected: -1, rendered: -1 };
    const ChartJs = (
      window as unknown as {
        Chart: { getChart(canvas: HTMLCanvasElement): { data: { datasets: unknown[] } } | undefined };
      }
    ).Chart;
    const canvases = Array.from(document.querySelectorAll('canvas')).map((canvas) => {
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted += 1;
      return {
        title: canvas.getAttribute('aria-label') ?? '',
        datasets: ChartJs.getChart(canvas)?.data.datasets.length ?? 0,
        paintedShare: painted / (pixels.length / 4),
      };
    });
    return { ...state, canvases };
  });
  return { page, errors, externalRequests, charts };
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}
