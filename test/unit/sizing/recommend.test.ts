import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { resolveSizeInputs } from '../../../src/sizing/inputs.js';
import { recommendPoolSize } from '../../../src/sizing/recommend.js';

describe('resolving the size flags', () => {
  it('takes a preset and lets explicit flags override it', () => {
    const inputs = resolveSizeInputs({ preset: 'api', buffer: 2 });
    expect(inputs).toMatchObject({ threads: 20, utilization: 0.1, buffer: 2, targetWait: 0.01 });
  });

  it('derives the utilization from a rate when the threads are known', () => {
    const inputs = resolveSizeInputs({ threads: 50, ratePerSec: 1000, holdMs: 5 });
    expect(inputs.utilization).toBeCloseTo(0.1, 12);
  });

  it('lets a rate replace a preset utilization', () => {
    const inputs = resolveSizeInputs({ preset: 'worker', ratePerSec: 2000, holdMs: 10 });
    expect(inputs.utilization).toBeCloseTo(0.2, 12);
  });

  it.each([
    [{}, /no load given/],
    [{ threads: 4 }, /--threads needs --utilization/],
    [{ utilization: 0.5 }, /--utilization needs --threads/],
    [{ ratePerSec: 100 }, /--rate needs --hold-ms/],
    [{ ratePerSec: 100, holdMs: 1, utilization: 0.2, threads: 3 }, /not both/],
    [{ threads: 5, ratePerSec: 10000, holdMs: 2 }, /more than --threads 5/],
  ])('refuses %j', (flags, message) => {
    expect(() => resolveSizeInputs(flags)).toThrow(UsageError);
    expect(() => resolveSizeInputs(flags)).toThrow(message);
  });
});

describe('recommendPoolSize', () => {
  it('answers the api preset with the formula and the finite-source model', () => {
    const result = recommendPoolSize(resolveSizeInputs({ preset: 'api' }));
    expect(result.schema).toBe('redis-pool.size/v1');
    expect(result.poolSize).toBe(12);
    expect(result.formula.expression).toBe('ceil(20 × 10 %) + 10 = 12');
    expect(result.queueing.model).toBe('finite-source');
    expect(result.queueing.poolSize).toBe(6);
    expect(result.queueing.waitProbability).toBeLessThanOrEqual(0.01);
    expect(result.queueing.atFormulaSize.poolSize).toBe(12);
    expect(result.models).toHaveLength(1);
    expect(result.warnings).toEqual([]);
  });

  it("writes the formula's inputs as given, and measured ones to six significant digits", () => {
    const expression = (flags: Parameters<typeof resolveSizeInputs>[0]) =>
      recommendPoolSize(resolveSizeInputs(flags)).formula.expression;
    expect(expression({ ratePerSec: 2000, holdMs: 2.5 })).toBe('ceil(2,000/s × 2.5 ms) + 0 = 5');
    // A hold measured by a bench (size --from), and a utilization measured by one.
    expect(expression({ ratePerSec: 2000, holdMs: 0.230829375 })).toBe('ceil(2,000/s × 0.230829 ms) + 0 = 1');
    expect(expression({ threads: 10, utilization: 0.4213578123 })).toBe('ceil(10 × 42.1358 %) + 0 = 5');
  });

  it('uses Erlang C for a rate and reports the p99 wait in ms', () => {
    const result = recommendPoolSize(resolveSizeInputs({ ratePerSec: 5000, holdMs: 2 }));
    expect(result.formula.busyConnections).toBe(10);
    expect(result.poolSize).toBe(10);
    expect(result.queueing.model).toBe('erlang-c');
    expect(result.queueing.poolSize).toBe(19);
    // With no buffer the formula's pool equals the offered load: the queue grows without bound.
    expect(result.queueing.atFormulaSize).toMatchObject({ waitProbability: 1, meanWaitMs: null, p99WaitMs: null });
    expect(result.warnings.map((w) => w.code)).toContain('formula-below-target');
  });

  it('computes both models when threads and a rate are given, finite-source first', () => {
    const result = recommendPoolSize(resolveSizeInputs({ threads: 64, ratePerSec: 5000, holdMs: 2, buffer: 4 }));
    expect(result.models.map((m) => m.model)).toEqual(['finite-source', 'erlang-c']);
    // A closed population of 64 threads waits less than an open stream with the same load.
    expect(result.models[0]!.poolSize).toBeLessThanOrEqual(result.models[1]!.poolSize);
    expect(result.queueing.meanWaitMs).not.toBeNull();
  });

  it('warns when the pool exceeds the threads (the batch preset)', () => {
    const result = recommendPoolSize(resolveSizeInputs({ preset: 'batch' }));
    expect(result.poolSize).toBe(3);
    expect(result.queueing.poolSize).toBe(1);
    expect(result.warnings.map((w) => w.code)).toEqual(['pool-exceeds-threads']);
  });

  it('budgets the fleet against maxclients and file descriptors', () => {
    const result = recommendPoolSize(resolveSizeInputs({ preset: 'worker', instances: 130, shards: 3, fdLimit: 256 }));
    expect(result.fleet.formula.connectionsPerNode).toBe(9100);
    expect(result.fleet.formula.connectionsPerProcess).toBe(210);
    expect(result.fleet.formula.totalConnections).toBe(27300);
    expect(result.warnings.map((w) => w.code)).toEqual(['maxclients-near-limit', 'fd-limit']);
    const over = recommendPoolSize(resolveSizeInputs({ preset: 'worker', instances: 200 }));
    expect(over.warnings.map((w) => w.code)).toContain('maxclients-exceeded');
  });

  it('serialises to JSON without losing anything (no Infinity or NaN)', () => {
    const result = recommendPoolSize(resolveSizeInputs({ threads: 4, utilization: 1, buffer: 0 }));
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});
