import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import {
  addSummaries,
  decode,
  encode,
  newHistogram,
  summarize,
  summarizeIfAny,
  summaryPercentiles,
  valueAtPercentile,
} from '../../src/histograms.js';

describe('histogram summaries', () => {
  it('reports milliseconds from microsecond recordings', () => {
    const histogram = newHistogram();
    for (let us = 1; us <= 10_000; us++) histogram.recordValue(us);
    const summary = summarize(histogram);
    expect(summary.unit).toBe('ms');
    expect(summary.count).toBe(10_000);
    expect(summary.mean).toBeCloseTo(5.0005, 2);
    // 3 significant digits: within 0.1 % of the exact percentile.
    expect(summary.p50).toBeCloseTo(5, 1);
    expect(summary.p90).toBeCloseTo(9, 1);
    expect(summary.p99).toBeCloseTo(9.9, 1);
    expect(summary.p999).toBeCloseTo(9.99, 1);
    expect(summary.max).toBeCloseTo(10, 1);
  });

  it('encodes the exact histogram so results can be merged by adding', () => {
    const a = newHistogram();
    const b = newHistogram();
    for (let i = 0; i < 100; i++) {
      a.recordValue(100);
      b.recordValue(5000);
    }
    const merged = decodeFromCompressedBase64(summarize(a).hdr);
    merged.add(decodeFromCompressedBase64(summarize(b).hdr));
    expect(merged.totalCount).toBe(200);
    expect(merged.getValueAtPercentile(25)).toBeCloseTo(100, -1);
    expect(merged.getValueAtPercentile(75)).toBeCloseTo(5000, -2);
  });

  it('adds summaries exactly: the sum of two runs is the summary of one histogram of both sets of values', () => {
    let state = 7;
    const draw = (): number => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return 1 + Math.floor(-800 * Math.log(1 - state / 2 ** 31));
    };
    const a = newHistogram();
    const b = newHistogram();
    const both = newHistogram();
    for (let i = 0; i < 20_000; i++) {
      const value = draw();
      (i % 3 === 0 ? a : b).recordValue(value);
      both.recordValue(value);
    }
    b.recordValue(250_000);
    both.recordValue(250_000);
    const sum = addSummaries([summarize(a), summarize(b)]);
    const one = summarize(both);
    expect(sum.count).toBe(one.count);
    expect(sum.max).toBe(one.max);
    for (const p of ['p50', 'p90', 'p99', 'p999'] as const) expect(sum[p]).toBe(one[p]);
    expect(sum.mean).toBeCloseTo(one.mean, 6);
    const decoded = decode(sum.hdr);
    for (const percentile of [1, 10, 33, 66, 95, 99.99])
      expect(decoded.getValueAtPercentile(percentile)).toBe(both.getValueAtPercentile(percentile));
    expect(addSummaries([]).count).toBe(0);
  });

  it('never reports a percentile above the maximum', () => {
    const histogram = newHistogram();
    for (let i = 0; i < 100; i++) histogram.recordValue(8202);
    const summary = summarize(histogram);
    expect(summary.max).toBe(8.202);
    expect(summary.p99).toBeLessThanOrEqual(summary.max);
    expect(summary.p999).toBeLessThanOrEqual(summary.max);
  });

  it('decodes what it encodes', () => {
    const histogram = newHistogram();
    for (let us = 1; us <= 1000; us++) histogram.recordValue(us * 7);
    const back = decode(encode(histogram));
    expect(back.totalCount).toBe(1000);
    expect(back.mean).toBe(histogram.mean);
    for (const p of [1, 50, 90, 99, 99.9]) expect(back.getValueAtPercentile(p)).toBe(histogram.getValueAtPercentile(p));
    expect(summarize(histogram).hdr).toBe(encode(histogram));
  });

  it('clamps any percentile to the exact maximum', () => {
    const histogram = newHistogram();
    for (let i = 0; i < 100; i++) histogram.recordValue(8202);
    // The bucket of 8202 µs ends at 8207 µs: that is what HDR reports at every percentile.
    expect(histogram.getValueAtPercentile(95)).toBe(8207);
    expect(valueAtPercentile(histogram, 95)).toBe(8202);
    expect(valueAtPercentile(histogram, 95, 8000)).toBe(8000);
  });

  it("reads a summary's percentiles from its histogram, never above the summary's exact maximum", () => {
    const histogram = newHistogram();
    for (let i = 0; i < 100; i++) histogram.recordValue(8202);
    for (let us = 1; us <= 900; us++) histogram.recordValue(us);
    const summary = summarize(histogram);
    const msAt = summaryPercentiles(summary);
    expect([msAt(50), msAt(90), msAt(99), msAt(99.9)]).toEqual([summary.p50, summary.p90, summary.p99, summary.p999]);
    // A decoded histogram knows its maximum only to the bucket (8207 µs); the summary knows it exactly.
    expect(decode(summary.hdr).getValueAtPercentile(95)).toBe(8207);
    expect(msAt(95)).toBe(8.202);
    expect(msAt(100)).toBe(summary.max);
  });

  it('keeps values far past the initial range', () => {
    const histogram = newHistogram();
    histogram.recordValue(7_200_000_000);
    expect(summarize(histogram).max).toBeGreaterThan(7_000_000);
  });

  it('summarises an empty histogram as nothing', () => {
    expect(summarizeIfAny(newHistogram())).toBeNull();
    expect(summarize(newHistogram())).toMatchObject({ count: 0, p99: 0, max: 0 });
  });
});
