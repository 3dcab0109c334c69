import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

// Registered while the test file that imports this module is collected (Vitest evaluates a file's modules afresh
// for each file), and before that file's own hooks, so it runs after them: after its servers are stopped, whether
// its tests passed, failed, or its setup never finished.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder in the system's temporary folder (`redis-pool-test-<purpose>-…`), removed after the test file. */
export function tempDir(purpose: string): string {
  const dir = mkdtempSync(join(tmpdir(), `redis-pool-test-${purpose}-`));
  made.push(dir);
  return dir;
}
