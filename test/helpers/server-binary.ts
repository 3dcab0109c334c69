import { execFileSync } from 'node:child_process';
import { cliBeside, SERVER_BINARY_VARIABLE, serverBinary } from '../../src/redis/ephemeral-server.js';
import { findOnPath } from '../../src/redis/lifeline.js';

/**
 * The server program the integration tests run, and the tool's throwaway servers with them: redis-server, or what
 * REDIS_POOL_SERVER_BINARY names (valkey-server in the Vitest project `valkey`, vitest.config.ts).
 */
export function testServerBinary(): string {
  return serverBinary();
}

/** Every server program a test run may start: what the leftovers check looks for. */
export const SERVER_PROGRAMS = ['redis-server', 'valkey-server'] as const;

/**
 * The program, checked: a missing one fails the tests that need it with one message naming the Debian package,
 * never a skip. With `cli`, the command-line client beside it too (the cluster tests create their cluster with it).
 */
export function requireServerBinary(binary = testServerBinary(), options: { cli?: boolean } = {}): string {
  const valkey = /(^|\/)valkey-server$/.test(binary);
  const install = valkey
    ? "Debian's valkey-server and valkey-tools from bookworm-backports " +
      '(apt-get install -t bookworm-backports valkey-server valkey-tools; .ci/run installs them when missing)'
    : 'Debian/Ubuntu: apt-get install redis-server redis-tools; macOS: brew install redis';
  const why =
    binary === 'redis-server'
      ? 'the integration tests need it'
      : `the tests run against it (${SERVER_BINARY_VARIABLE}=${binary}${valkey ? ': the Vitest project valkey' : ''})`;
  for (const program of [binary, ...(options.cli ? [cliBeside(binary)] : [])])
    if (findOnPath(program) === null) throw new Error(`${program} is not on PATH: ${why}. Install ${install}.`);
  return binary;
}

/**
 * Which server the program is and its version, from its own `--version` ("Valkey server v=8.0.1 …", "Redis server
 * v=7.0.15 …"), as the tool must name it: what the tests expect, never a version written into them.
 */
export function expectedServer(binary = testServerBinary()): { name: string; version: string; label: string } {
  const line = execFileSync(binary, ['--version']).toString();
  const match = /^(\S+) server v=(\S+)/.exec(line);
  if (!match) throw new Error(`${binary} --version does not say which server it is: ${line.trim()}`);
  const [, display, version] = match as unknown as [string, string, string];
  return { name: display.toLowerCase(), version, label: `${display} ${version}` };
}
