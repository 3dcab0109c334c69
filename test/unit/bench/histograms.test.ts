import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { newHistogram, summarize, summarizeIfAny } from '../../../src/histograms.js';

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

  it('never reports a percentile above the maximum', () => {
    const histogram = newHistogram();
    for (let i = 0; i < 100; i++) histogram.recordValue(8202);
    const summary = summarize(histogram);
    expect(summary.max).toBe(8.202);
    expect(summary.p99).toBeLessThanOrEqual(summary.max);
    expect(summary.p999).toBeLessThanOrEqual(summary.max);
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
