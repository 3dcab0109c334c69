import { spawnSync } from 'node:child_process';
import { PROMTOOL, requireTestTool } from './test-tools.js';

export interface PromtoolCheck {
  exitCode: number | null;
  /** What promtool said: lint problems and parse errors (empty when the text passes). */
  output: string;
}

/**
 * `promtool check metrics` on an exposition text: Prometheus' own parser and linter. A missing promtool fails
 * the test with a clear message instead of skipping it.
 */
export function promtoolCheckMetrics(text: string): PromtoolCheck {
  const run = spawnSync(requireTestTool(PROMTOOL), ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (run.error !== undefined) throw run.error;
  return { exitCode: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}
