import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../../src/schema/bench.js';
import { predictionSection, ratioSection } from '../../../src/report/bench-sections.js';
import { clusterSection } from '../../../src/report/cluster-section.js';
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
    for (const result of [
      readBenchFixture('bench-result.json'),
      readBenchFixture('bench-sweep-generator-result.json'),
    ]) {
      const items = ratioSection(result).items;
      // Each run against per-request, then (not in a sweep) multiplexed against pooled.
      const multiplexed = result.results.find((r) => r.strategy === 'multiplexed')!;
      const betweenThem = result.sweep ? [] : [`${multiplexed.label}:`];
      expect(items.map((item) => item.lead.text)).toEqual([
        ...result.results.slice(1).map((r) => `${r.label}:`),
        ...betweenThem,
      ]);
      if (!result.sweep) expect(items.at(-1)!.text).toMatch(/the throughput of pooled\(max=\d+\)/);
      const terminal = renderBenchTable(result).split('\n');
      const markdown = renderBenchMarkdown(result).split('\n');
      const capacity = renderCapacityMarkdown(readSizeFixture('size-result.json'), [
        { file: 'bench.json', result },
      ]).split('\n');
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
    const reports = [
      renderBenchTable(sweep),
      renderBenchMarkdown(sweep),
      renderCapacityMarkdown(readSizeFixture('size-result.json'), [{ file: 'sweep.json', result: sweep }]),
    ];
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
    expect(ratioSection(withoutPerRequest).items.map((item) => item.text)).toEqual([
      expect.stringContaining('the throughput of pooled(max=10)'),
    ]);
  });
});

describe('a cluster run in every report', () => {
  const cluster = readBenchFixture('bench-cluster-result.json');

  it('has a Cluster nodes table: a row per run and master, the shares adding up to the whole', () => {
    const section = clusterSection(cluster)!;
    expect(section.rows).toHaveLength(cluster.results.length * 3);
    expect(section.rows.map((row) => row[0]!.text)).toEqual(
      cluster.results.flatMap((r) => [r.label, r.label, r.label]),
    );
    for (const run of cluster.results)
      expect(run.cluster!.nodes.reduce((sum, n) => sum + n.requests, 0)).toBe(run.latency.count);
    const renders = [
      renderBenchTable(cluster),
      renderBenchMarkdown(cluster),
      renderCapacityMarkdown(readSizeFixture('size-result.json'), [{ file: 'cluster.json', result: cluster }]),
    ];
    for (const report of renders) {
      expect(report).toContain('Cluster nodes');
      for (const node of cluster.results[0]!.cluster!.nodes) expect(report).toContain(node.node);
    }
    expect(renders[2]).toMatch(/Per node, the plan holds [\d,]+ connections \(40 instances × a pool of \d+\)/);
    expect(clusterSection(readBenchFixture('bench-result.json'))).toBeNull();
  });

  it('sets what size predicts beside what was measured, the same lines in every report', () => {
    const items = predictionSection(cluster).items;
    // per-request holds no pool: no prediction.
    expect(items.map((item) => item.lead.text)).toEqual(
      cluster.results.filter((r) => r.strategy !== 'per-request').map((r) => `${r.label}:`),
    );
    expect(items[0]!.text).toMatch(
      new RegExp(
        /^size --shards 3 --instances 2 with a pool of 3 per shard predicts 6 connections to /.source +
          /each node \(9 per instance\); measured: at most \d+ open at once to the busiest node/.source,
      ),
    );
    const terminal = renderBenchTable(cluster).split('\n');
    const markdown = renderBenchMarkdown(cluster).split('\n');
    for (const { lead, text } of items) {
      expect(terminal).toContain(`${lead.text} ${text}`);
      expect(markdown).toContain(`- ${lead.text} ${text}`);
    }
    // One instance against one server: the pool size is the prediction, and no line repeats it.
    expect(predictionSection(readBenchFixture('bench-sweep-generator-result.json')).items).toEqual([]);
  });
});
