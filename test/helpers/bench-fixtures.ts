import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSweep } from '../../src/bench/sweep.js';
import type { BenchResult, GeneratorResult, StrategyResult } from '../../src/schema/bench.js';

/** A result file of test/fixtures, parsed. */
export const readBenchFixture = (name: string): BenchResult => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8')) as BenchResult;

/** The generator figures of a healthy run: a precise scheduler, lateness well under the hold time. */
export const HEALTHY_GENERATOR: GeneratorResult = {
  eventLoopUtilization: 0.93,
  lagP99Ms: 1.25,
  wakeLateness: { count: 41_234, p50Us: 18, p90Us: 47, p99Us: 131, maxUs: 2_480 },
  cpuMs: 7_512,
  cpuShare: 0.939,
};

/**
 * A fixture as the tool writes it now: every run with its generator's figures (`generatorOf`, healthy by default;
 * undefined leaves a run without them, as an old file has), and the sweep rebuilt with per-row predictions.
 */
export function withGenerator(result: BenchResult, generatorOf: (run: StrategyResult, index: number) => GeneratorResult | undefined = () => HEALTHY_GENERATOR): BenchResult {
  const results = result.results.map((run, i) => {
    const generator = generatorOf(run, i);
    const { generator: _, ...rest } = run;
    return generator ? { ...rest, generator } : rest;
  });
  return { ...result, results, sweep: buildSweep(result.config, results) };
}
