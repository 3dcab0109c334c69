import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';

const root = join(import.meta.dirname, '..', '..');
const dir = tempDir('modules');

/** The modules the built CLI loads for these arguments, as paths inside the repository (node:… kept as is). */
function modulesLoadedBy(args: string[]): string[] {
  const file = join(dir, `${args.join('_').replace(/\W/g, '-')}.txt`);
  execFileSync(
    process.execPath,
    ['--import', join(root, 'test', 'helpers', 'record-modules.mjs'), join(root, 'dist', 'cli', 'main.js'), ...args],
    {
      env: { ...process.env, RECORD_MODULES_FILE: file, REDIS_URL: '' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return [...new Set(readFileSync(file, 'utf8').trim().split('\n'))].map((url) => url.replace(`file://${root}/`, ''));
}

/** What only a run needs: the Redis client, the measurement and the heavy renderers. */
const RUN_ONLY = [
  /^node_modules\/(ioredis|hdr-histogram-js|chart\.js|marked|zod|yaml|asciichart)\//,
  /^dist\/bench\/(runner|load-loop|window|phase)\.js$/,
  /^dist\/report\/.*html.*\.js$/,
  /^dist\/cli\/\w+-run\.js$/,
  /^node:net$/,
];

describe('a command loads only what it needs', () => {
  it.each([[['size', '--preset', 'api']], [['--help']], [['bench', '--help']], [['merge', '--help']]])(
    '%j loads no Redis client, no bench code, no HTML renderer and no Chart.js',
    (args) => {
      const loaded = modulesLoadedBy(args);
      expect(loaded).toContain('dist/cli/program.js');
      expect(loaded.filter((path) => RUN_ONLY.some((pattern) => pattern.test(path)))).toEqual([]);
    },
  );

  it('the recorder sees what a run loads (the check can fail)', () => {
    const loaded = modulesLoadedBy([
      'report',
      '--size',
      join(root, 'test', 'fixtures', 'size-result.json'),
      '--html',
      join(dir, 'report.html'),
    ]);
    expect(loaded).toContain('dist/cli/report-run.js');
    expect(loaded.some((path) => /^dist\/report\/capacity-html\.js$/.test(path))).toBe(true);
  });
});
