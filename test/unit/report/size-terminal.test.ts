import { describe, expect, it } from 'vitest';
import { formatMs, formatPercent } from '../../../src/format.js';
import { renderSizeTable } from '../../../src/report/size-terminal.js';
import { colourStyle } from '../../../src/report/style.js';
import { resolveSizeInputs } from '../../../src/sizing/inputs.js';
import { recommendPoolSize } from '../../../src/sizing/recommend.js';

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
