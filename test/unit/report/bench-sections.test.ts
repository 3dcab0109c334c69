import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../../src/schema/bench.js';
import { ratioSection } from '../../../src/report/bench-sections.js';
import { renderBenchMarkdown } from '../../../src/report/bench-markdown.js';
import { renderBenchTable } from '../../../src/report/bench-terminal.js';
import { renderCapacityMarkdown } from '../../../src/report/capacity-markdown.js';
import { readBenchFixture, readSizeFixture } from '../../helpers/fixtures.js';

/** The real sweep with only its pooled runs, as `bench --strategy pooled --pool-size 1..6` writes it. */
function pooledSweep(): BenchResult {
  const result = readBenchFixture('bench-sweep-generator-result.json');
  return { ...result, results: result.results.filter((r) => r.strategy === 'pooled') };
}

describe('ratio lines: one definition for every report', () => {
  it('are the same lines in the terminal, the Markdown and the capacity evidence', () => {
    for (const result of [readBenchFixture('bench-result.json'), readBenchFixture('bench-sweep-generator-result.json')]) {
      const items = ratioSection(result).items;
      expect(items.map((item) => item.lead.text)).toEqual(result.results.slice(1).map((r) => `${r.label}:`));
      const terminal = renderBenchTable(result).split('\n');
      const markdown = renderBenchMarkdown(result).split('\n');
      const capacity = renderCapacityMarkdown(readSizeFixture('size-result.json'), [{ file: 'bench.json', result }]).split('\n');
      for (const { lead, text } of items) {
        expect(terminal).toContain(`${lead.text} ${text}`);
        expect(markdown).toContain(`- ${lead.text} ${text}`);
        expect(capacity).toContain(`- ${lead.text} ${text}`);
      }
    }
  });

  it('are left out of a sweep without per-request in every report: its own table compares the pool sizes', () => {
    const sweep = pooledSweep();
    expect(ratioSection(sweep).items).toEqual([]);
    const reports = [renderBenchTable(sweep), renderBenchMarkdown(sweep), renderCapacityMarkdown(readSizeFixture('size-result.json'), [{ file: 'sweep.json', result: sweep }])];
    for (const report of reports) {
      expect(report).toContain('Pool-size sweep: measured waits beside the model');
      expect(report).not.toContain('× the throughput of');
    }
    // No empty paragraph where the lines would be: the Comparison table runs straight into the next section.
    expect(renderBenchMarkdown(sweep)).not.toMatch(/\n\n\n/);
  });

  it('still compare against the first run when per-request did not run and there is no sweep', () => {
    const result = readBenchFixture('bench-result.json');
    const withoutPerRequest = { ...result, results: result.results.slice(1) };
    expect(ratioSection(withoutPerRequest).items.map((item) => item.text)).toEqual([expect.stringContaining('the throughput of pooled(max=10)')]);
  });
});
