import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatRate, formatTwoDigitMs, plural } from '../../src/format.js';

describe('formatTwoDigitMs', () => {
  it('keeps two significant digits', () => {
    expect([0.05891, 0.001, 1.234, 30.4, 99.7, 312.4].map(formatTwoDigitMs)).toEqual([
      '0.059',
      '0.001',
      '1.2',
      '30',
      '100',
      '312',
    ]);
  });
});

describe('formatCount', () => {
  it('writes whole numbers with commas between thousands, as en-US does', () => {
    for (const value of [
      0,
      7,
      999,
      1000,
      1204.4,
      12_345,
      999_999.5,
      1_234_567,
      9_007_199_254_740_991,
      -1,
      -1234,
      -1_234_567,
      1e21,
      Infinity,
    ]) {
      expect(formatCount(value)).toBe(Math.round(value).toLocaleString('en-US'));
    }
    expect(formatCount(1204.4)).toBe('1,204');
    expect(formatCount(-0.4)).toBe('0');
  });
});

describe('plural', () => {
  it('puts the noun in the plural unless the count is exactly one, and groups the count', () => {
    expect(plural(1, 'worker')).toBe('1 worker');
    expect(plural(0, 'error')).toBe('0 errors');
    expect(plural(50, 'worker')).toBe('50 workers');
    expect(plural(1_204, 'connection')).toBe('1,204 connections');
    expect(plural(1, 'client group')).toBe('1 client group');
    expect(plural(2, 'replica')).toBe('2 replicas');
    expect(plural(3, 'process', 'processes')).toBe('3 processes');
  });

  it('takes a phrase whose verb agrees with the count', () => {
    expect(plural(1, 'group has', 'groups have')).toBe('1 group has');
    expect(plural(0, 'group has', 'groups have')).toBe('0 groups have');
  });

  it('writes what the inline copies it replaced wrote, up to 999; from 1,000 up the count is grouped', () => {
    for (const n of [0, 1, 2, 20, 999]) {
      expect(plural(n, 'connection')).toBe(`${n} connection${n === 1 ? '' : 's'}`);
      expect(plural(n, 'example')).toBe(`${n} example${n === 1 ? '' : 's'}`);
    }
    expect(plural(10_000, 'connection')).toBe('10,000 connections');
  });
});

describe('formatBytes', () => {
  it("'prose': a report's text, binary units to one decimal, a space before the unit", () => {
    expect(
      [0, 64, 1000, 1023, 1024, 1536, 4096, 1000 * 1024, 1024 * 1024, 1.25 * 1024 * 1024, 64 * 1024 * 1024].map((b) =>
        formatBytes(b, 'prose'),
      ),
    ).toEqual([
      '0 B',
      '64 B',
      '1000 B',
      '1023 B',
      '1 KiB',
      '1.5 KiB',
      '4 KiB',
      '1000 KiB',
      '1 MiB',
      '1.3 MiB',
      '64 MiB',
    ]);
  });

  it("'flag': exact, as a flag takes it back, the largest unit that divides it, binary before decimal", () => {
    expect(
      [1, 100, 1000, 1500, 1024, 4096, 2_000_000, 64 * 1024 * 1024, 1024 ** 3, 3 * 1000 ** 3].map((b) =>
        formatBytes(b, 'flag'),
      ),
    ).toEqual(['1B', '100B', '1KB', '1500B', '1KiB', '4KiB', '2MB', '64MiB', '1GiB', '3GB']);
  });
});

describe('formatRate', () => {
  it('writes a rate as given: whole rates grouped, fractions kept', () => {
    expect(formatRate(10_000)).toBe('10,000');
    expect(formatRate(0.5)).toBe('0.5');
    expect(formatRate(0.25)).toBe('0.25');
    expect(formatRate(2.5)).toBe('2.5');
    expect(formatRate(1_000.25)).toBe('1,000.25');
    expect(formatRate(5_000_000)).toBe('5,000,000');
  });
});
