import { describe, expect, it } from 'vitest';
import { parseChoice, parseFraction, parseInteger, parseNumber } from '../../../src/cli/parse-values.js';
import { UsageError } from '../../../src/errors.js';

describe('parseInteger', () => {
  it('accepts whole numbers in range', () => {
    expect(parseInteger('--threads', '20', { min: 1 })).toBe(20);
    expect(parseInteger('--buffer', '0', { min: 0 })).toBe(0);
  });

  it.each(['', 'abc', '1.5', '-3', 'NaN', 'Infinity', '1e3', '0x10', '99999999999999999999'])('refuses %j', (raw) => {
    expect(() => parseInteger('--threads', raw, { min: 1 })).toThrow(UsageError);
  });

  it('names the flag, the value and what is accepted', () => {
    expect(() => parseInteger('--threads', 'abc', { min: 1, max: 10 })).toThrow(
      '--threads must be a whole number from 1 to 10 (got "abc")',
    );
  });
});

describe('parseNumber', () => {
  it('accepts decimals and exponents', () => {
    expect(parseNumber('--hold-ms', '1.5', { min: 0, minExclusive: true })).toBe(1.5);
    expect(parseNumber('--rate', '1e4', { min: 0, minExclusive: true })).toBe(10000);
  });

  it.each(['0', '-1', 'NaN', 'Infinity', '-Infinity', '1e999', '', '2ms'])('refuses %j for a positive number', (raw) => {
    expect(() => parseNumber('--hold-ms', raw, { min: 0, minExclusive: true })).toThrow(UsageError);
  });
});

describe('parseFraction', () => {
  it('reads fractions and percentages', () => {
    expect(parseFraction('--utilization', '0.1', { allowOne: true })).toBe(0.1);
    expect(parseFraction('--utilization', '10%', { allowOne: true })).toBe(0.1);
    expect(parseFraction('--utilization', '100%', { allowOne: true })).toBe(1);
    expect(parseFraction('--target-wait', '0.5 %', { allowOne: false })).toBe(0.005);
  });

  it.each(['0', '0%', '1.5', '150%', '10', '-0.1', 'NaN', 'Infinity', '%', 'ten'])('refuses %j', (raw) => {
    expect(() => parseFraction('--utilization', raw, { allowOne: true })).toThrow(UsageError);
  });

  it('refuses exactly 1 where a certainty makes no sense', () => {
    expect(() => parseFraction('--target-wait', '1', { allowOne: false })).toThrow(/\(0, 1\)/);
  });
});

describe('parseChoice', () => {
  it('lists the choices when the value is not one of them', () => {
    expect(parseChoice('--preset', 'api', ['api', 'worker'] as const)).toBe('api');
    expect(() => parseChoice('--preset', 'web', ['api', 'worker'] as const)).toThrow('--preset must be one of api, worker (got "web")');
  });
});
