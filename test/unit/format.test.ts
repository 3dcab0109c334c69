import { describe, expect, it } from 'vitest';
import { formatCount, formatTwoDigitMs } from '../../src/format.js';

describe('formatTwoDigitMs', () => {
  it('keeps two significant digits', () => {
    expect([0.05891, 0.001, 1.234, 30.4, 99.7, 312.4].map(formatTwoDigitMs)).toEqual(['0.059', '0.001', '1.2', '30', '100', '312']);
  });
});

describe('formatCount', () => {
  it('writes whole numbers with commas between thousands, as en-US does', () => {
    for (const value of [0, 7, 999, 1000, 1204.4, 12_345, 999_999.5, 1_234_567, 9_007_199_254_740_991, -1, -1234, -1_234_567, 1e21, Infinity]) {
      expect(formatCount(value)).toBe(Math.round(value).toLocaleString('en-US'));
    }
    expect(formatCount(1204.4)).toBe('1,204');
    expect(formatCount(-0.4)).toBe('0');
  });
});
