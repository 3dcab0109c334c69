import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../src/schema/bench.js';
import { startRedis } from '../helpers/redis-server.js';
import { runCli, writtenDocument } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Faults need a server redis-pool starts itself, so these runs have no --url; 4 workers back to back. */
async function benchWithFault(args: string[]): Promise<BenchResult> {
  const run = await runCli(['bench', '--json', '--warmup', '0', '--concurrency', '4', '--think', '0', ...args], {
    env: { REDIS_URL: undefined },
  });
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  return writtenDocument(run.stdout, 'bench');
}

describe('faults', () => {
  it('restart: every strategy keeps going, counts the failures, reconnects and recovers', async () => {
    const result = await benchWithFault(['--duration', '3s', '--fault', 'restart@1s']);
    expect(result.results.map((r) => r.strategy)).toEqual(['per-request', 'pooled', 'multiplexed']);
    for (const r of result.results) {
      const [fault] = r.faults;
      expect(fault).toMatchObject({ kind: 'restart', atMs: 1000, error: null });
      expect(fault!.injectedAtMs).toBeGreaterThanOrEqual(990);
      expect(r.errors, r.label).toBeGreaterThan(0);
      expect(r.errorsByKind.connection, r.label).toBeGreaterThan(0);
      expect(fault!.errorsAfter).toBe(r.errors);
      expect(fault!.recoveryMs, r.label).not.toBeNull();
      expect(fault!.recoveryMs!).toBeLessThan(1900);
      expect(r.requests - r.errors).toBeGreaterThan(100);
    }
    // The pool and the shared connection had to open new connections after the restart.
    expect(result.results[1]!.connections.openedInWindow).toBeGreaterThan(0);
    expect(result.results[2]!.connections.openedInWindow).toBeGreaterThan(0);
    // The restarted server counts from zero: what it accepted since the restart is still counted.
    expect(result.results[1]!.connections.serverAcceptedInWindow).toBeGreaterThan(0);
  });

  it('kill-clients: test-on-borrow finds the dead idle connections and replaces them', async () => {
    // 8 pre-opened connections for 4 workers: some are always idle when the clients are killed, so the
    // next borrows must find dead idle ones (with only as many connections as workers, all may be busy).
    const result = await benchWithFault([
      '--strategy',
      'pooled',
      '--pool-size',
      '8',
      '--min-idle',
      '8',
      '--duration',
      '2s',
      '--fault',
      'kill-clients@1s',
      '--test-on-borrow',
    ]);
    const r = result.results[0]!;
    expect(r.faults[0]).toMatchObject({ kind: 'kill-clients', error: null });
    expect(r.pool!.staleConns).toBeGreaterThan(0);
    expect(r.pool!.created).toBeGreaterThan(0);
    expect(r.faults[0]!.recoveryMs).not.toBeNull();
  });

  it('several faults in one window: each is recorded with its own recovery, the shared connection reconnects', async () => {
    const result = await benchWithFault([
      '--strategy',
      'multiplexed',
      '--duration',
      '3s',
      '--fault',
      'restart@1s',
      '--fault',
      'kill-clients@2s',
    ]);
    const r = result.results[0]!;
    expect(r.faults.map((f) => f.kind)).toEqual(['restart', 'kill-clients']);
    for (const f of r.faults.slice(0, 2)) {
      expect(f.error).toBeNull();
      expect(f.recoveryMs).not.toBeNull();
    }
    // The shared connection was replaced after each fault.
    expect(r.connections.openedInWindow).toBeGreaterThanOrEqual(2);
    expect(r.connections.serverClientsAfter).toBe(r.connections.serverClientsBefore);
  });

  it('a window counted in requests that ends before the fault: reported as not injected, not silently dropped', async () => {
    const result = await benchWithFault(['--strategy', 'multiplexed', '--requests', '200', '--fault', 'pause:100@10m']);
    const r = result.results[0]!;
    expect(r.faults).toEqual([
      expect.objectContaining({ kind: 'pause', error: 'the measured window ended before it was due' }),
    ]);
    expect(r.errors).toBe(0);
    expect(result.warnings.map((w) => w.code)).toContain('fault-not-injected');
  });

  it('refuses a fault due after the end of a timed window before starting a server', async () => {
    // An empty PATH has no redis-server: starting one would exit 3, so exit 2 shows the check came first.
    const run = await runCli(['bench', '--duration', '3s', '--fault', 'restart@5s'], {
      env: { REDIS_URL: undefined, PATH: tempDir('empty-path') },
    });
    expect(run.stderr).toBe(
      'redis-pool: --fault restart@5s is due 5 s into a measured window that lasts 3 s (--duration): give it a time below 3 s, or a longer --duration\n',
    );
    expect(run.exitCode).toBe(2);
  });

  it.each(['pause:500@1s', 'stall:500@1s'])('%s: no request fails, but they wait through it', async (fault) => {
    const result = await benchWithFault(['--strategy', 'pooled', '--duration', '2500ms', '--fault', fault]);
    const r = result.results[0]!;
    expect(r.faults[0]!.error).toBeNull();
    expect(r.errors).toBe(0);
    expect(r.latency.max).toBeGreaterThan(400);
    expect(r.faults[0]!.recoveryMs!).toBeGreaterThanOrEqual(400);
  });

  it('enforces the command timeout during a stall', async () => {
    const result = await benchWithFault([
      '--strategy',
      'multiplexed',
      '--duration',
      '2s',
      '--fault',
      'stall:800@500ms',
      '--command-timeout',
      '200',
    ]);
    expect(result.results[0]!.errorsByKind['command-timeout']).toBeGreaterThan(0);
  });

  it('enforces the socket timeout during a stall, and replaces the dropped connections', async () => {
    const result = await benchWithFault([
      '--strategy',
      'pooled',
      '--duration',
      '2s',
      '--fault',
      'stall:800@500ms',
      '--socket-timeout',
      '200',
    ]);
    const r = result.results[0]!;
    expect(r.errorsByKind['socket-timeout']).toBeGreaterThan(0);
    expect(r.pool!.created).toBeGreaterThan(0);
  });

  it('counts pool exhaustion as acquire timeouts, never a crash', async () => {
    const result = await benchWithFault([
      '--strategy',
      'pooled',
      '--pool-size',
      '1',
      '--concurrency',
      '20',
      '--acquire-timeout',
      '1',
      '--requests',
      '2000',
      '--command',
      'set',
      '--value-size',
      '20000',
    ]);
    const r = result.results[0]!;
    expect(r.errorsByKind['acquire-timeout']).toBeGreaterThan(0);
    expect(r.pool!.timeouts).toBe(r.errorsByKind['acquire-timeout']);
    expect(result.warnings.map((w) => w.code)).toContain('request-errors');
  });

  it('refuses faults against a server it did not start, and bad fault specs', async () => {
    const redis = await startRedis();
    try {
      const external = await runCli(['bench', '--url', redis.url, '--fault', 'restart@1s']);
      expect(external.exitCode).toBe(2);
      expect(external.stderr).toMatch(/--fault needs a server redis-pool started itself/);
    } finally {
      await redis.stop();
    }
    for (const bad of ['explode@1s', 'pause@1s', 'restart', 'stall:0@1s', 'restart@soon']) {
      const run = await runCli(['bench', '--fault', bad], { env: { REDIS_URL: undefined } });
      expect(run.exitCode, bad).toBe(2);
      expect(run.stderr).toMatch(/--fault/);
    }
  });
});
