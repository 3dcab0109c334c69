import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../../src/report/bench-schema.js';
import { CONNECTION_DEFINITIONS, LATENCY_DEFINITIONS, renderBenchMarkdown } from '../../../src/report/bench-markdown.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/bench-result.json', import.meta.url), 'utf8')) as BenchResult;

describe('Markdown report', () => {
  const text = renderBenchMarkdown(fixture);

  it('has the comparison, percentile and connection tables with one row per strategy', () => {
    for (const heading of ['## Comparison', '## Latency percentiles (ms)', '## Connections', '## Pool', '## What the numbers mean']) expect(text).toContain(heading);
    for (const r of fixture.results) {
      expect(text).toContain(`| ${r.label} | ${Math.round(r.throughput).toLocaleString('en-US')} |`);
      expect(text).toContain(`| ${r.label} | request latency |`);
    }
    expect(text).toContain('| pooled(max=10) | acquire wait |');
  });

  it('counts connections by when: setup, window, end; and says what a hold spans per strategy', () => {
    expect(text).toContain('| strategy | used (window) | opened (setup) | opened (window) | closed (setup) | closed (window) | closed (end) | peak open | accepted (setup) | accepted (window) | server peak | clients before → after |');
    expect(text).toContain('| pooled(max=10) | 10 | 10 | 0 | 0 | 0 | 10 | 10 | 10 | 0 | 10 | 1 → 1 |');
    expect(text).toContain('| multiplexed(1 conn) | 1 | 1 | 0 | 0 | 0 | 1 | 1 | 1 | 0 | 1 | 1 → 1 |');
    expect(text).toContain('## Hold and utilization');
    expect(text).toContain('| per-request | connect start → closed |');
    expect(text).toContain('| pooled(max=10) | acquired → released |');
    expect(text).toMatch(/\| multiplexed\(1 conn\) \| first command → last reply \(shared\) \| [\d.]+ ms \| – \|/);
  });

  it('writes a note as a note', () => {
    const note = fixture.warnings.find((w) => w.level === 'note')!;
    expect(text).toContain(`- *Note:* ${note.message}. A bigger pool`);
  });

  it('states what each latency and each count means, the environment and the version', () => {
    for (const line of [...LATENCY_DEFINITIONS, ...CONNECTION_DEFINITIONS]) expect(text).toContain(line);
    expect(text).toContain(`Node ${fixture.machine.node}`);
    expect(text).toContain(`redis-pool ${fixture.tool.version}, schema redis-pool.bench/v1`);
  });

  it('lists the thresholds with their verdicts', () => {
    const withVerdicts: BenchResult = {
      ...fixture,
      thresholds: [
        { threshold: 'pooled:latency:p(99)<2', run: 'pooled(max=10)', actual: 1.5, ok: true },
        { threshold: '*:errors:rate<0', run: null, actual: null, ok: false },
      ],
    };
    const md = renderBenchMarkdown(withVerdicts);
    expect(md).toContain('| ✅ pass | `pooled:latency:p(99)<2` | pooled(max=10) | 1.5 |');
    expect(md).toContain('| ❌ fail | `*:errors:rate<0` | no such run | – |');
    expect(text).not.toContain('## Thresholds');
  });

  it('is plain text, without terminal colours', () => {
    expect(text).not.toMatch(/\u001b\[/);
  });
});
