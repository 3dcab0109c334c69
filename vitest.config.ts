import { defineConfig } from 'vitest/config';

/**
 * The integration tests that also run against Valkey (the project `valkey`): bench, anatomy, observe, faults and the
 * cluster, each against valkey-server (Debian's bookworm-backports) instead of redis-server. The rest of the suite
 * is about the tool, not the server, and runs against redis-server only.
 */
const AGAINST_VALKEY = [
  'test/integration/bench.test.ts',
  'test/integration/bench-maxclients.test.ts',
  'test/integration/bench-setup-refused.test.ts',
  'test/integration/bench-tls-acl.test.ts',
  'test/integration/anatomy.test.ts',
  'test/integration/observe.test.ts',
  'test/integration/observe-access.test.ts',
  'test/integration/faults.test.ts',
  'test/integration/cluster.test.ts',
  'test/integration/cluster-bench.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start redis-server processes and load them; two cores do not fit more workers.
    maxWorkers: 2,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    // Its teardown, after the last test file, fails the run if a temporary folder or a redis-server was left behind.
    globalSetup: ['./test/helpers/leftovers.ts'],
    // `npm run test:unit` runs the first (no server, no browser), `npm run test:integration` the second,
    // `npm run test:valkey` the third; `npm test` all three.
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.test.ts', 'test/browser/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'valkey',
          include: AGAINST_VALKEY,
          // Read by the test helpers and by the tool they run (its throwaway servers and cluster): valkey-server,
          // and valkey-cli beside it. A missing one fails every file of the project with one message.
          env: { REDIS_POOL_SERVER_BINARY: 'valkey-server' },
          setupFiles: ['./test/helpers/require-server.ts'],
        },
      },
    ],
  },
});
