import { describe, expect, it } from 'vitest';
import type { GeneratorResult } from '../../../src/schema/bench.js';
import { generatorSection } from '../../../src/report/generator-section.js';
import type { Cell } from '../../../src/report/section.js';
import { HEALTHY_GENERATOR, readBenchFixture, withGenerator } from '../../helpers/fixtures.js';

const lineText = (line: string | Cell): string => (typeof line === 'string' ? line : line.text);

const old = readBenchFixture('bench-result.json');
const texts = (cells: { text: string }[]): string[] => cells.map((c) => c.text);

/** Lateness in milliseconds against the fixture's sub-millisecond holds: a saturated generator. */
const SATURATED: GeneratorResult = {
  ...HEALTHY_GENERATOR,
  eventLoopUtilization: 1,
  lagP99Ms: 24.6,
  wakeLateness: { count: 9_000, p50Us: 2_100, p90Us: 6_400, p99Us: 14_900, maxUs: 31_000 },
};

describe('the load generator section', () => {
  it('is absent for a result written before the generator was measured', () => {
    expect(old.results.every((r) => r.generator === undefined)).toBe(true);
    expect(generatorSection(old.results)).toBeNull();
  });

  it("has one row per run: event loop busy, its lag p99, how late the wake-ups fired and the process's CPU", () => {
    const section = generatorSection(withGenerator(old).results)!;
    expect(section.title).toBe('Load generator: how much it distorted the load');
    expect(section.head.map((h) => h.replaceAll('\n', ' '))).toEqual([
      'run',
      'event loop busy',
      'loop lag p99 ms',
      'wake-ups',
      'late p50 µs',
      'late p90 µs',
      'late p99 µs',
      'late max µs',
      'CPU ms',
      'CPU (of a core)',
    ]);
    expect(section.rows.map((row) => row[0]!.text)).toEqual(old.results.map((r) => r.label));
    expect(texts(section.rows[1]!)).toEqual([
      'pooled(max=10)',
      '93 %',
      '1.250',
      '41,234',
      '18',
      '47',
      '131',
      '2,480',
      '7,512',
      '93.9 %',
    ]);
    expect(section.rows[1]!.some((c) => c.tone === 'bad')).toBe(false);
  });

  it('shows dashes for a run without figures, and for the lateness of a run that scheduled no wake-up', () => {
    const result = withGenerator(old, (_, i) =>
      i === 0 ? undefined : i === 1 ? { ...HEALTHY_GENERATOR, wakeLateness: null } : HEALTHY_GENERATOR,
    );
    const section = generatorSection(result.results)!;
    expect(texts(section.rows[0]!)).toEqual(['per-request', '–', '–', '–', '–', '–', '–', '–', '–', '–']);
    expect(texts(section.rows[1]!)).toEqual([
      'pooled(max=10)',
      '93 %',
      '1.250',
      '–',
      '–',
      '–',
      '–',
      '–',
      '7,512',
      '93.9 %',
    ]);
  });

  it('marks the lateness of a run that crossed the generator-saturated limits', () => {
    const result = withGenerator(old, (r) => (r.strategy === 'pooled' ? SATURATED : HEALTHY_GENERATOR));
    // Requests that waited: bursts are judged where they could add waits.
    const runs = result.results.map((r) => (r.pool ? { ...r, pool: { ...r.pool, waitCount: 50 } } : r));
    const section = generatorSection(runs)!;
    const pooledRow = section.rows[1]!;
    expect(texts(pooledRow).slice(4, 8)).toEqual(['2,100', '6,400', '14,900', '31,000']);
    expect(pooledRow.map((c) => c.tone)).toEqual([
      'name',
      undefined,
      undefined,
      undefined,
      undefined,
      'bad',
      'bad',
      undefined,
      undefined,
      undefined,
    ]);
    expect(section.notes.map(lineText).join(' ')).toContain(
      'In a pooled run, a p90 above half the mean hold, or a p99 above two holds, is a generator-saturated warning',
    );
  });
});
