import { describe, expect, it } from 'vitest';
import { formatTwoDigitMs } from '../../src/format.js';

describe('formatTwoDigitMs', () => {
  it('keeps two significant digits', () => {
    expect([0.05891, 0.001, 1.234, 30.4, 99.7, 312.4].map(formatTwoDigitMs)).toEqual(['0.059', '0.001', '1.2', '30', '100', '312']);
  });
});
