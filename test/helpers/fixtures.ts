// The one way tests reach test/fixtures: a file's path (to hand to the CLI) or its JSON document, parsed afresh on
// every call so that a test may change what it reads. `npm run fixtures` regenerates the files (scripts/fixtures.mjs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSweep } from '../../src/bench/findings/sweep.js';
import { mergeResults } from '../../src/bench/scale-out/merge.js';
import type { BenchResult, GeneratorResult, StrategyResult } from '../../src/schema/bench.js';
import type { SizeResult } from '../../src/schema/size.js';

/** The absolute path of a file in test/fixtures, e.g. `bench-result.json` or `scenarios/api.yaml`. */
export const fixturePath = (name: string): string => join(import.meta.dirname, '..', 'fixtures', name);

/** A JSON file of test/fixtures, parsed. */
export const readFixture = <T>(name: string): T => JSON.parse(readFileSync(fixturePath(name), 'utf8')) as T;

/** A bench result file of test/fixtures (`bench --output`), parsed. */
export const readBenchFixture = (name: string): BenchResult => readFixture<BenchResult>(name);

/** A size result file of test/fixtures (`size --json`), parsed. */
export const readSizeFixture = (name: string): SizeResult => readFixture<SizeResult>(name);

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
export function withGenerator(
  result: BenchResult,
  generatorOf: (run: StrategyResult, index: number) => GeneratorResult | undefined = () => HEALTHY_GENERATOR,
): BenchResult {
  const results = result.results.map((run, i) => {
    const generator = generatorOf(run, i);
    const { generator: _, ...rest } = run;
    return generator ? { ...rest, generator } : rest;
  });
  return { ...result, results, sweep: buildSweep(result.config, results) };
}

/**
 * A bench fixture as two load machines would merge it (`merge a.json b.json`): two copies of the run against one
 * server, started together, each run added up; it stands for 2 instances (a capacity curve's too).
 */
export function twoMachinesOf(fixture: string): BenchResult {
  const machine = (n: number): BenchResult => {
    const result = readBenchFixture(fixture);
    result.instanceId = `machine-${n}`;
    result.target = { ...result.target, mode: 'external', serverRunId: 'f'.repeat(40) };
    const start = Date.UTC(2026, 11, 1, 12, 0, 0);
    for (const run of result.results)
      run.window = {
        startedAt: new Date(start).toISOString(),
        endedAt: new Date(start + run.durationMs).toISOString(),
      };
    return result;
  };
  const merged = mergeResults([
    { file: 'a.json', result: machine(1) },
    { file: 'b.json', result: machine(2) },
  ]);
  return { ...merged, thresholds: [], baseline: null };
}
