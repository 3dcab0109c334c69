import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import {
  InvalidValueError,
  parseChoice,
  parseCountList,
  parseDuration,
  parseFraction,
  parseInteger,
  parseNumber,
  parseSize,
  parseWarmup,
  type DurationRange,
} from '../../src/values.js';

/** The one-line message a parser refuses `parse` with. */
function refusal(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidValueError);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

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
    expect(parseNumber('--rate', '1.5', { min: 0, minExclusive: true })).toBe(1.5);
    expect(parseNumber('--rate', '1e4', { min: 0, minExclusive: true })).toBe(10000);
  });

  it.each(['0', '-1', 'NaN', 'Infinity', '-Infinity', '1e999', '', '2ms'])(
    'refuses %j for a positive number',
    (raw) => {
      expect(() => parseNumber('--rate', raw, { min: 0, minExclusive: true })).toThrow(UsageError);
    },
  );
});

describe('parseFraction: 10% or 0.1', () => {
  it('reads fractions and percentages', () => {
    expect(parseFraction('--utilization', '0.1')).toBe(0.1);
    expect(parseFraction('--utilization', '10%')).toBe(0.1);
    expect(parseFraction('--utilization', '100%')).toBe(1);
    expect(parseFraction('--utilization', '1')).toBe(1);
    expect(parseFraction('--target-wait', '0.5 %', { allowMax: false })).toBe(0.005);
  });

  it.each(['0', '0%', '1.5', '150%', '10', '-0.1', 'NaN', 'Infinity', '%', 'ten'])('refuses %j', (raw) => {
    expect(() => parseFraction('--utilization', raw)).toThrow(UsageError);
  });

  it('refuses exactly 1 where a certainty makes no sense', () => {
    expect(() => parseFraction('--target-wait', '1', { allowMax: false })).toThrow(
      '--target-wait must be a percentage such as 10% or a fraction such as 0.1, more than 0% and less than 100% (got "1")',
    );
  });

  it('refuses a bare number above 1, which reads as a percentage without its sign, and says how to write it', () => {
    expect(refusal(() => parseFraction('--max-regression', '15', { allowZero: true, max: 10 }))).toBe(
      '--max-regression must be a percentage such as 10% or a fraction such as 0.1, from 0% to 1000% (got "15"); ' +
        'a bare number is a fraction (0.1 = 10%): write 15% for 15 percent',
    );
  });

  it('takes 0 and shares above 100 % where the range says so', () => {
    const regression = { allowZero: true, max: 10 };
    expect(parseFraction('--max-regression', '0', regression)).toBe(0);
    expect(parseFraction('--max-regression', '15%', regression)).toBe(0.15);
    expect(parseFraction('--max-regression', '0.15', regression)).toBe(0.15);
    expect(parseFraction('--max-regression', '250%', regression)).toBe(2.5);
    expect(() => parseFraction('--max-regression', '1001%', regression)).toThrow(UsageError);
  });
});

describe('parseDuration', () => {
  const runLength: DurationRange = { bare: 'refused', min: 0, minExclusive: true, max: 24 * 3_600_000 };
  const timeout: DurationRange = { bare: 'ms', min: 0, max: 600_000, whole: true };

  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['1.5m', 90_000],
    ['2m', 120_000],
    ['1.5h', 5_400_000],
    ['1.1s', 1_100],
    ['250 MS', 250],
  ])('%s = %i ms', (raw, ms) => {
    expect(parseDuration('--duration', raw, runLength)).toBe(ms);
  });

  it.each(['', '0', '0s', '-1s', '10 years', 'Infinity', '25h', '1e3ms', 's'])('--duration refuses %j', (raw) => {
    expect(() => parseDuration('--duration', raw, runLength)).toThrow(InvalidValueError);
  });

  it('keeps a sub-microsecond duration instead of rounding it to 0', () => {
    const hold: DurationRange = { bare: 'ms', min: 0, minExclusive: true, max: 3_600_000 };
    expect(parseDuration('--hold-ms', '0.0000001', hold)).toBe(1e-7);
    expect(parseDuration('--hold-ms', '0.000000000000000000000000000001', hold)).toBe(1e-30);
  });

  it('refuses a bare number where the name does not say ms, and shows both readings', () => {
    expect(refusal(() => parseDuration('--duration', '10', runLength))).toBe(
      '--duration must be a duration with a unit, such as 500ms, 10s, 1.5m or 1h, more than 0 and at most 24h (got "10"); ' +
        'a bare number has no unit here: write 10s for seconds or 10ms for milliseconds',
    );
  });

  it('reads a bare number as milliseconds where the name says ms, and takes a unit there too', () => {
    expect(parseDuration('--acquire-timeout', '5000', timeout)).toBe(5000);
    expect(parseDuration('--acquire-timeout', '5s', timeout)).toBe(5000);
    expect(parseDuration('--acquire-timeout', '0', timeout)).toBe(0);
    expect(parseDuration('--acquire-timeout', '0.5m', timeout)).toBe(30_000);
    expect(() => parseDuration('--acquire-timeout', '1.5', timeout)).toThrow(
      '--acquire-timeout must be a duration such as 500ms, 5s or 1.5m, or a bare number of milliseconds, from 0 to 10m in whole milliseconds (got "1.5")',
    );
    expect(() => parseDuration('--acquire-timeout', '11m', timeout)).toThrow(UsageError);
    expect(parseDuration('--think', '0.5', { bare: 'ms', min: 0, max: 3_600_000 })).toBe(0.5);
  });
});

describe('parseWarmup: a time or a count, never a bare number', () => {
  it.each([
    ['2s', { requests: null, durationMs: 2000 }],
    ['500ms', { requests: null, durationMs: 500 }],
    ['500req', { requests: 500, durationMs: null }],
    ['500 requests', { requests: 500, durationMs: null }],
    ['0', { requests: null, durationMs: null }],
    ['0s', { requests: null, durationMs: null }],
  ])('%s', (raw, warmup) => {
    expect(parseWarmup('--warmup', raw)).toEqual(warmup);
  });

  it('refuses a bare number other than 0 with both spellings', () => {
    expect(refusal(() => parseWarmup('--warmup', '500'))).toBe(
      '--warmup must be a duration such as 2s or 500ms, a request count such as 500req, or 0 for none (got "500"); ' +
        'a bare number is ambiguous here: write 500req for 500 requests, or 500s or 500ms for a time',
    );
  });

  it.each(['-1', '1.5req', '0req', 'soon', '25h', '2 days'])('refuses %j', (raw) => {
    expect(() => parseWarmup('--warmup', raw)).toThrow(InvalidValueError);
  });
});

describe('parseSize: KB = 1000 bytes, KiB = 1024', () => {
  const range = { min: 1, max: 64 * 1024 * 1024 };

  it.each([
    ['64', 64],
    ['64B', 64],
    ['1KB', 1000],
    ['1kb', 1000],
    ['4KiB', 4096],
    ['1.5KiB', 1536],
    ['1.005KB', 1005],
    ['1MB', 1_000_000],
    ['1MiB', 1_048_576],
    ['64 MiB', 67_108_864],
  ])('%s = %i bytes', (raw, bytes) => {
    expect(parseSize('--value-size', raw, range)).toBe(bytes);
  });

  it.each(['0', '', '-1KB', '1.5', '1.5B', '65MiB', '1GiB', '4 kilobytes', '1e3', 'KiB'])('refuses %j', (raw) => {
    expect(() => parseSize('--value-size', raw, range)).toThrow(InvalidValueError);
  });

  it('says what it accepts', () => {
    expect(() => parseSize('--value-size', '4K', range)).toThrow(
      '--value-size must be a size such as 512 (bytes), 4KB (4000 bytes), 4KiB (4096 bytes) or 1MiB, from 1B to 64MiB (got "4K")',
    );
  });
});

describe('parseCountList', () => {
  const range = { min: 1, max: 10_000, maxItems: 50 };

  it('reads one count, a list and a range with an optional step', () => {
    expect(parseCountList('--pool-size', '12', range)).toEqual([12]);
    expect(parseCountList('--pool-size', '2, 4,8', range)).toEqual([2, 4, 8]);
    expect(parseCountList('--pool-size', '2..5', range)).toEqual([2, 3, 4, 5]);
    expect(parseCountList('--pool-size', '2..12:5', range)).toEqual([2, 7, 12]);
  });

  it.each(['0', '4,4', '5..2', '2..x', '1..100000', 'a,b', '1..100'])('refuses %j', (raw) => {
    expect(() => parseCountList('--pool-size', raw, range)).toThrow(UsageError);
  });
});

describe('parseChoice', () => {
  it('lists the choices when the value is not one of them', () => {
    expect(parseChoice('--preset', 'api', ['api', 'worker'] as const)).toBe('api');
    expect(() => parseChoice('--preset', 'web', ['api', 'worker'] as const)).toThrow(
      '--preset must be one of api, worker (got "web")',
    );
  });
});
