import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alertWarnings } from '../../../src/bench/alerts.js';
import type { BenchResult, StrategyResult } from '../../../src/report/bench-schema.js';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/bench-result.json', import.meta.url), 'utf8')) as BenchResult;
const pooled = fixture.results.find((r) => r.strategy === 'pooled')!;
const codes = (r: StrategyResult, concurrency = 10): string[] => alertWarnings(r, concurrency).map((w) => w.code);

describe("the tutorial's alert levels", () => {
  it('raises nothing on a healthy run', () => {
    const healthy = { ...pooled, load: { ...pooled.load, measuredUtilization: 0.5 }, acquireWait: { ...pooled.acquireWait!, p99: 1 }, errors: 0, errorsByKind: {} };
    expect(codes(healthy)).toEqual([]);
  });

  it('raises each alert past its level', () => {
    const sick: StrategyResult = {
      ...pooled,
      requests: 1000,
      errors: 30,
      errorsByKind: { connection: 11, 'acquire-timeout': 6 },
      load: { ...pooled.load, measuredUtilization: 0.9 },
      acquireWait: { ...pooled.acquireWait!, p99: 150 },
    };
    expect(codes(sick)).toEqual(['alert-pool-active', 'alert-acquire-wait', 'alert-connection-errors', 'alert-timeouts']);
  });

  it('stays quiet just under each level', () => {
    const borderline: StrategyResult = {
      ...pooled,
      requests: 1000,
      errors: 15,
      errorsByKind: { connection: 10, 'command-timeout': 5 },
      load: { ...pooled.load, measuredUtilization: 0.8 },
      acquireWait: { ...pooled.acquireWait!, p99: 100 },
    };
    expect(codes(borderline)).toEqual([]);
  });
});
