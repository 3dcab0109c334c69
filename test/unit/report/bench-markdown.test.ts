import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../../src/schema/bench.js';
import {
  benchMarkdownParts,
  CONNECTION_DEFINITIONS,
  LATENCY_DEFINITIONS,
  renderBenchMarkdown,
} from '../../../src/report/bench-markdown.js';
import { benchCharts, renderBenchHtml } from '../../../src/report/bench-html.js';
import { generatorWarnings } from '../../../src/bench/findings/generator-health.js';
import { GENERATOR_DEFINITIONS } from '../../../src/report/generator-section.js';
import { SWEEP_DEFINITIONS } from '../../../src/report/sweep-section.js';
import { HEALTHY_GENERATOR, readBenchFixture, withGenerator } from '../../helpers/fixtures.js';

const fixture = readBenchFixture('bench-result.json');

describe('Markdown report', () => {
  const text = renderBenchMarkdown(fixture);

  it('has the comparison, percentile and connection tables with one row per strategy', () => {
    for (const heading of [
      '## Comparison',
      '## Latency percentiles (ms)',
      '## Connections',
      '## Pool',
      '## What the numbers mean',
    ])
      expect(text).toContain(heading);
    for (const r of fixture.results) {
      expect(text).toContain(`| ${r.label} | ${Math.round(r.throughput).toLocaleString('en-US')} |`);
      expect(text).toContain(`| ${r.label} | request latency |`);
    }
    expect(text).toContain('| pooled(max=10) | acquire wait |');
  });

  it('counts connections by when: setup, window, end; and says what a hold spans per strategy', () => {
    expect(text).toContain(
      '| strategy | used (window) | opened (setup) | opened (window) ' +
        '| closed (setup) | closed (window) | closed (end) | peak open | accepted (setup) ' +
        '| accepted (window) | server peak | clients before → after |',
    );
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

describe('Markdown report: the sweep and the load generator', () => {
  const result = withGenerator(readBenchFixture('bench-sweep-result.json'), (r) =>
    r.strategy === 'per-request' ? undefined : HEALTHY_GENERATOR,
  );
  const text = renderBenchMarkdown(result);

  it('has the sweep table with the per-row prediction, the difference, the mark, and the agreement line under it', () => {
    expect(text).toContain('## Pool-size sweep: measured waits beside the model');
    expect(text).toContain(
      '| pool size | req/s | u | hold ms | P(wait) measured | P(wait) finite-source | difference | within ±3 pts | acquire p50 ms | acquire p99 ms | marks |',
    );
    expect(text).toContain('| 3 | 27,330 | 40 % | 0.079 | 88 % | 65.9 % | +22.1 pts | ✗ | 0.067 | 0.274 |  |');
    expect(text).toContain(
      '| 4 | 27,068 | 40.1 % | 0.092 | 81.4 % | 31.9 % | +49.5 pts | ✗ | 0.045 | 0.211 | formula |',
    );
    expect(text).toContain(
      '2 of 6 rows agree with the model within ±3 pts (measured − predicted P(wait)); the worst difference is +62.2 pts, at pool 5 (✗).',
    );
  });

  it('has a load generator table, with dashes for a run that did not record it', () => {
    expect(text).toContain('## Load generator: how much it distorted the load');
    expect(text).toContain(
      '| run | event loop busy | loop lag p99 ms | wake-ups | late p50 µs | late p90 µs | late p99 µs | late max µs | CPU ms | CPU (of a core) |',
    );
    expect(text).toContain('| per-request | – | – | – | – | – | – | – | – | – |');
    expect(text).toContain('| pooled(max=2) | 93 % | 1.250 | 41,234 | 18 | 47 | 131 | 2,480 | 7,512 | 93.9 % |');
    expect(text.indexOf('## Hold and utilization')).toBeLessThan(text.indexOf('## Load generator'));
    expect(renderBenchMarkdown(readBenchFixture('bench-sweep-result.json'))).not.toContain('## Load generator');
  });

  it('says what the sweep and the generator figures mean, only when the result has them', () => {
    const definitions = text.slice(text.indexOf('## What the numbers mean'));
    for (const line of [...SWEEP_DEFINITIONS, ...GENERATOR_DEFINITIONS]) expect(definitions).toContain(`- ${line}`);
    const plain = renderBenchMarkdown(fixture);
    for (const line of [...SWEEP_DEFINITIONS, ...GENERATOR_DEFINITIONS]) expect(plain).not.toContain(line);
  });

  it('lists a generator-saturated warning with its fix', () => {
    const late = withGenerator(readBenchFixture('bench-sweep-result.json'), (run) => ({
      ...HEALTHY_GENERATOR,
      wakeLateness: { count: run.requests, p50Us: 900, p90Us: 1800, p99Us: 4000, maxUs: 9000 },
    }));
    const warnings = late.results.flatMap(generatorWarnings);
    const md = renderBenchMarkdown({ ...late, warnings });
    expect(md).toContain(`- ${warnings[0]!.message}. *Fix:* give the generator less to do per hold`);
  });
});

describe('the documents open with the answer', () => {
  it('puts the comparison and the verdict lines in the head, above the HTML charts and every other table', () => {
    const { head, body } = benchMarkdownParts(fixture);
    expect(head).toContain('## Comparison');
    expect(head).toMatch(/- pooled\(max=10\): [\d.,]+× the throughput of per-request/);
    expect(body).not.toContain('## Comparison');
    expect(body).toContain('## Latency percentiles (ms)');
  });

  it('says in words, instead of drawing a flat line, that no request waited for a connection', () => {
    const waited = benchCharts(fixture).map((chart) => chart.title);
    expect(waited).toContain('Acquire wait by percentile');
    const neverWaited: BenchResult = {
      ...fixture,
      results: fixture.results.map((r) =>
        r.acquireWait
          ? { ...r, acquireWait: { ...r.acquireWait, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 } }
          : r,
      ),
    };
    expect(benchCharts(neverWaited).map((chart) => chart.title)).not.toContain('Acquire wait by percentile');
    expect(renderBenchHtml(neverWaited, '')).toContain(
      'No acquire-wait chart: every acquire of every pooled run was served at once',
    );
    expect(renderBenchHtml(fixture, '')).not.toContain('No acquire-wait chart');
  });
});
