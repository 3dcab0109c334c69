import { describe, expect, it } from 'vitest';
import { renderHtmlPage } from '../../../src/report/html.js';

const FAKE_CHART_JS = 'window.Chart = function () {};';

describe('renderHtmlPage', () => {
  it('renders the Markdown, a canvas per chart in order, and inlines the chart library', () => {
    const html = renderHtmlPage(
      'T',
      [
        { markdown: '# Title\n\n| a | b |\n|---|---:|\n| x | 1 |' },
        {
          charts: [
            {
              kind: 'bars',
              title: 'One',
              labels: ['x'],
              series: [{ name: 's', values: [1] }],
              logScale: false,
              unit: 'u',
            },
          ],
        },
        { markdown: 'after' },
        {
          charts: [
            {
              kind: 'bars',
              title: 'Two',
              labels: ['x'],
              series: [{ name: 's', values: [2] }],
              logScale: true,
              unit: 'u',
            },
          ],
        },
      ],
      FAKE_CHART_JS,
    );
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<td align="right">1</td>');
    expect(html.indexOf('id="chart-0" aria-label="One"')).toBeLessThan(html.indexOf('<p>after</p>'));
    expect(html.indexOf('<p>after</p>')).toBeLessThan(html.indexOf('id="chart-1" aria-label="Two"'));
    expect(html).toContain(`<script>${FAKE_CHART_JS}</script>`);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
  });

  it('never lets a value end a script element or inject markup', () => {
    const hostile = '</script><script>alert(1)</script>';
    const html = renderHtmlPage(
      hostile,
      [{ markdown: `# ${hostile}` }, { charts: [{ kind: 'percentiles', title: hostile, curves: [] }] }],
      FAKE_CHART_JS,
    );
    expect(html.match(/<script>alert/g)).toBeNull();
    expect(html).toContain('<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });
});
