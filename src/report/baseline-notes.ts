import type { BaselineComparison, BaselineDelta, ConfigDifference } from '../schema/bench.js';

/**
 * What a baseline comparison left out or compared unlike with unlike, for every renderer. Results written before
 * these fields existed lack them: read as none.
 */
export interface BaselineNotes {
  /** "Not in base.json: …" and "Only in base.json: …", when runs had no counterpart. */
  unmatched: string[];
  differences: ConfigDifference[];
}

export function baselineNotes(comparison: BaselineComparison): BaselineNotes {
  const list = (labels: string[] | undefined): string => (labels ?? []).join(', ');
  return {
    unmatched: [
      ...(comparison.unmatched.length > 0 ? [`Not in ${comparison.file}, so not compared: ${list(comparison.unmatched)}`] : []),
      ...((comparison.baselineUnmatched ?? []).length > 0 ? [`Only in ${comparison.file}, so not compared: ${list(comparison.baselineUnmatched)}`] : []),
    ],
    differences: comparison.configDifferences ?? [],
  };
}

/** The run cell of a delta: both labels when the pair's labels differ (the pool was resized). */
export const deltaRunName = (d: BaselineDelta): string => (d.baselineRun !== undefined && d.baselineRun !== d.run ? `${d.run} vs ${d.baselineRun}` : d.run);

export const differenceSetting = (d: ConfigDifference): string => (d.run !== null ? `${d.field} (${d.run})` : d.field);

export const DIFFERENCES_TITLE = 'Measured differently (the deltas compare unlike runs)';
