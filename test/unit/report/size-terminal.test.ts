import { describe, expect, it } from 'vitest';
import { formatCount, formatMs, formatPercent } from '../../../src/format.js';
import { visibleWidth } from '../../../src/report/layout.js';
import { renderSizeTable } from '../../../src/report/size-terminal.js';
import { colourStyle, plainStyle } from '../../../src/report/style.js';
import { sizeFlagsFromBench } from '../../../src/sizing/from-bench.js';
import { resolveSizeInputs, withMeasured, type SizeFlags } from '../../../src/sizing/inputs.js';
import { recommendPoolSize } from '../../../src/sizing/recommend.js';
import { readBenchFixture } from '../../helpers/fixtures.js';

const ANSI = /\u001b\[/;

describe('size table', () => {
  const result = recommendPoolSize(resolveSizeInputs({ preset: 'api' }));

  it('explains each number of the result', () => {
    const text = renderSizeTable(result);
    expect(text).toContain('ceil(20 × 10 %) + 10 = 12');
    expect(text).toMatch(/pool size for target\s+│\s+6\s/);
    expect(text).toMatch(/P\(wait\), pool 6\s+│\s+0\.9 %/);
    expect(text).toContain('Recommendation: 12 connections by the rule of thumb (ceil(20 × 10 %) + 10 = 12); 6 keep');
    expect(text).not.toMatch(ANSI);
  });

  it('names the pool behind each figure per Redis node when the rule of thumb and the model differ, one figure when not', () => {
    const oneLine = (text: string): string => text.replace(/\s+/g, ' ');
    const fleet = recommendPoolSize(resolveSizeInputs({ preset: 'api', instances: 3 }));
    expect(fleet.poolSize).not.toBe(fleet.queueing.poolSize);
    expect(oneLine(renderSizeTable(fleet, plainStyle, { width: 200, details: false }))).toContain(
      `${3 * fleet.poolSize} connections per Redis node with the rule of thumb's pools, ` +
        `${3 * fleet.queueing.poolSize} with the model's (${formatPercent((3 * fleet.poolSize) / 10_000)} of maxclients 10,000).`,
    );
    const same = recommendPoolSize(resolveSizeInputs({ threads: 10, utilization: 0.1, buffer: 3, instances: 2 }));
    expect(same.poolSize).toBe(same.queueing.poolSize);
    expect(oneLine(renderSizeTable(same, plainStyle, { width: 200, details: false }))).toContain(
      `. ${2 * same.poolSize} connections per Redis node (${formatPercent((2 * same.poolSize) / 10_000)} of maxclients`,
    );
    // One connection is one.
    const light = recommendPoolSize(resolveSizeInputs({ ratePerSec: 2000, holdMs: 0.23 }));
    expect(light.poolSize).toBe(1);
    expect(oneLine(renderSizeTable(light, plainStyle, { width: 200, details: false }))).toContain(
      `. 1 connection per Redis node with the rule of thumb's pools, ${light.queueing.poolSize} with the model's`,
    );
  });

  it('colours only when asked to', () => {
    expect(renderSizeTable(result, colourStyle(true))).toMatch(ANSI);
  });

  it('prints each warning with its remedy', () => {
    const batch = recommendPoolSize(resolveSizeInputs({ preset: 'batch' }));
    expect(renderSizeTable(batch)).toMatch(
      /warning: the pool \(3\) is larger than the number of threads \(1\).*Fix: cap the pool at 1/,
    );
  });
});

describe('number formats', () => {
  it('keeps small probabilities readable', () => {
    expect(formatPercent(0)).toBe('0 %');
    expect(formatPercent(0.009013)).toBe('0.9 %');
    expect(formatPercent(0.123272)).toBe('12.3 %');
    expect(formatPercent(1e-9)).toBe('< 0.0001 %');
  });

  it('groups the digits of very large shares (a fleet far past its limits)', () => {
    expect(formatPercent(4882.8125)).toBe('488,281 %');
    expect(formatPercent(9.99)).toBe('999 %');
  });

  it('scales milliseconds', () => {
    expect(formatMs(0.04213)).toBe('0.042 ms');
    expect(formatMs(1.2734)).toBe('1.27 ms');
    expect(formatMs(312.4)).toBe('312 ms');
    expect(formatMs(null)).toBe('–');
    expect(formatMs(Infinity)).toBe('unbounded');
  });
});

describe('size --peak-rate in the terminal', () => {
  const curve = readBenchFixture('bench-curve-result.json');
  const fromCurve = sizeFlagsFromBench(curve, 'curve.json');
  const sized = (given: SizeFlags) => recommendPoolSize(resolveSizeInputs(withMeasured(fromCurve, given)));
  const widest = (text: string): number => Math.max(...text.split('\n').map(visibleWidth));

  it('opens with the instances the peak needs, the pool of each and what the fleet opens per node, within 80 columns', () => {
    const result = sized({ peakRatePerSec: 20_000 });
    const knee = fromCurve.knee!.ratePerSec;
    const instances = Math.ceil(20_000 / knee);
    const share = 20_000 / instances;
    const perNode = instances * result.queueing.poolSize;
    for (const details of [false, true]) {
      const text = renderSizeTable(result, plainStyle, { width: 80, details });
      expect(widest(text)).toBeLessThanOrEqual(80);
      const opening = text.split('\n').slice(0, 3).join(' ').replace(/\s+/g, ' ');
      expect(opening).toBe(
        `Peak 20,000 req/s: ${instances} instances (each ${formatCount(share)} req/s, ` +
          `${formatPercent(share / knee)} of the knee ${formatCount(knee)} req/s within p99<5ms), ` +
          `each with a pool of ${result.queueing.poolSize} (erlang-c model); the fleet opens ${perNode} connections ` +
          `per Redis node (${formatPercent(perNode / 10_000)} of maxclients 10,000).`,
      );
    }
    expect(renderSizeTable(result)).toMatch(/^Hold measured in curve\.json, run pooled\(max=50\)@4000:/m);
  });

  it('says how far past the knee too few --instances take each one, and warns', () => {
    const result = sized({ peakRatePerSec: 20_000, instances: 3 });
    const text = renderSizeTable(result, plainStyle, { width: 80, details: false });
    expect(widest(text)).toBeLessThanOrEqual(80);
    expect(text.replace(/\s+/g, ' ')).toContain(
      `Peak 20,000 req/s: 3 instances (each 6,667 req/s, ${formatPercent(20_000 / 3 / 4000)} of the knee`,
    );
    expect(text).toMatch(/^warning: at the peak of 20,000 req\/s, each of the 3 instances/m);
  });

  it('prints no peak line without --peak-rate', () => {
    expect(renderSizeTable(recommendPoolSize(resolveSizeInputs(fromCurve)))).not.toMatch(/^Peak /m);
  });
});
