import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start redis-server processes and load them; two cores do not fit more workers.
    maxWorkers: 2,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    // Its teardown, after the last test file, fails the run if a temporary folder or a redis-server was left behind.
    globalSetup: ['./test/helpers/leftovers.ts'],
    // `npm run test:unit` runs the first (no server, no browser), `npm run test:integration` the second; `npm test` both.
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.test.ts', 'test/browser/**/*.test.ts'] },
      },
    ],
  },
});
