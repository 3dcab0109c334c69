import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { testDirPrefix } from './leftovers.js';

const made: string[] = [];

// Registered while the test file that imports this module is collected (Vitest evaluates a file's modules afresh
// for each file), and before that file's own hooks, so it runs after them: after its servers are stopped, whether
// its tests passed, failed, or its setup never finished.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A new empty folder in the system's temporary folder, removed after the test file. Its name says which run made
 * it (`redis-pool-test-<run>-<purpose>-…`), for the end-of-suite check (test/helpers/leftovers.ts).
 */
export function tempDir(purpose: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${testDirPrefix()}${purpose}-`));
  made.push(dir);
  return dir;
}
