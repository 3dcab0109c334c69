import { spawnSync } from 'node:child_process';

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
  const binary = process.env.PROMTOOL_PATH ?? 'promtool';
  const run = spawnSync(binary, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (run.error !== undefined) {
    throw new Error(
      `promtool is not on PATH (${(run.error as NodeJS.ErrnoException).code ?? run.error.message}): the Prometheus export tests need it ` +
        '(Debian/Ubuntu: apt-get install prometheus; macOS: brew install prometheus; or set PROMTOOL_PATH)',
    );
  }
  return { exitCode: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}
