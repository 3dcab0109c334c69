// Every terminal report fits the width it is given, the answer first and the details only when asked for: each
// renderer at 80, 100 and 120 columns, with and without --details, over every real result the fixtures hold.
import { describe, expect, it } from 'vitest';
import { renderBenchTable } from '../../../src/report/bench-terminal.js';
import { visibleWidth } from '../../../src/report/layout.js';
import { renderObserveTable } from '../../../src/report/observe-terminal.js';
import { renderSizeTable } from '../../../src/report/size-terminal.js';
import { colourStyle, plainStyle } from '../../../src/report/style.js';
import type { ObserveResult } from '../../../src/schema/observe.js';
import { sizeFlagsFromBench } from '../../../src/sizing/from-bench.js';
import { resolveSizeInputs, withMeasured } from '../../../src/sizing/inputs.js';
import { recommendPoolSize } from '../../../src/sizing/recommend.js';
import { readBenchFixture, readFixture, readSizeFixture } from '../../helpers/fixtures.js';

const WIDTHS = [80, 100, 120];
const LAYOUTS = WIDTHS.flatMap((width) => [false, true].map((details) => ({ width, details })));
const BENCHES = [
  'bench-result.json',
  'bench-cluster-result.json',
  'bench-sweep-result.json',
  'bench-sweep-generator-result.json',
];

const widest = (text: string): number => Math.max(...text.split('\n').map(visibleWidth));

describe.each(LAYOUTS)('at $width columns (details: $details)', (layout) => {
  it.each(BENCHES)('bench: %s fits, colour or not', (name) => {
    const result = readBenchFixture(name);
    for (const style of [plainStyle, colourStyle(true)])
      expect(widest(renderBenchTable(result, style, layout))).toBeLessThanOrEqual(layout.width);
  });

  it.each(['size-result.json', 'size-result-near-limits.json'])('size: %s fits', (name) => {
    expect(widest(renderSizeTable(readSizeFixture(name), plainStyle, layout))).toBeLessThanOrEqual(layout.width);
  });

  it('size --peak-rate fits, with too few --instances and their warning', () => {
    const flags = withMeasured(sizeFlagsFromBench(readBenchFixture('bench-curve-result.json'), 'curve.json'), {
      peakRatePerSec: 20_000,
      instances: 3,
    });
    const result = recommendPoolSize(resolveSizeInputs(flags));
    expect(widest(renderSizeTable(result, plainStyle, layout))).toBeLessThanOrEqual(layout.width);
  });

  it('observe fits', () => {
    expect(
      widest(renderObserveTable(readFixture<ObserveResult>('observe-result.json'), plainStyle, layout)),
    ).toBeLessThanOrEqual(layout.width);
  });
});

describe('the answer first', () => {
  it('bench: the compact table and the first verdict line within the first 12 lines, the details only with --details', () => {
    const result = readBenchFixture('bench-result.json');
    const answer = renderBenchTable(result, plainStyle, { width: 80, details: false }).split('\n');
    const firstVerdict = answer.findIndex((line) => /^pooled\(max=10\): .*× the throughput of per-request/.test(line));
    expect(firstVerdict).toBeGreaterThan(0);
    expect(firstVerdict).toBeLessThan(12);
    expect(answer.slice(0, 12).some((line) => line.startsWith('│ multiplexed(1 conn) '))).toBe(true);
    const titles = ['Request latency (ms)', 'Connections', 'Hold, waits and the pool'];
    for (const title of titles) expect(answer).not.toContain(title);
    expect(answer.at(-1)).toMatch(/^more: --details/);
    const details = renderBenchTable(result, plainStyle, { width: 80, details: true });
    for (const title of titles) expect(details).toContain(title);
  });

  it('size: the recommendation within the first lines, the table of every figure only with --details', () => {
    const result = readSizeFixture('size-result.json');
    const answer = renderSizeTable(result, plainStyle, { width: 80, details: false });
    expect(answer.split('\n').findIndex((line) => line.startsWith('Recommendation:'))).toBeLessThan(3);
    expect(answer).not.toContain('│');
    expect(renderSizeTable(result, plainStyle, { width: 80, details: true })).toContain('│ busy connections ');
  });

  it('a table too narrow for any split becomes one block per row, every figure kept whole', () => {
    const result = readBenchFixture('bench-result.json');
    const text = renderBenchTable(result, plainStyle, { width: 40, details: false });
    expect(widest(text)).toBeLessThanOrEqual(40);
    const throughput = Math.round(result.results[1]!.throughput).toLocaleString('en-US');
    expect(text).toContain(`  req/s: ${throughput}`);
  });
});
