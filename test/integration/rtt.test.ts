import { describe, expect, it } from 'vitest';
import { runCli, writtenDocument } from '../helpers/run-cli.js';

describe('--rtt: a network round trip on loopback', () => {
  it('makes every command pay the round trip, and every new connection several', async () => {
    const run = await runCli(
      ['bench', '--rtt', '2', '--requests', '300', '--concurrency', '4', '--warmup', '0', '--json'],
      { env: { REDIS_URL: undefined } },
    );
    expect(run.exitCode).toBe(0);
    const result = writtenDocument(run.stdout, 'bench');
    expect(result.config.rttMs).toBe(2);
    // The result names the real server, not the proxy in front of it.
    expect(result.target.mode).toBe('ephemeral');
    const [perRequest, pooled, multiplexed] = result.results;
    expect(pooled!.latency.p50).toBeGreaterThanOrEqual(2);
    expect(multiplexed!.latency.p50).toBeGreaterThanOrEqual(2);
    // Handshake (1 rtt) + ready check (1 rtt) + the command (1 rtt).
    expect(perRequest!.latency.p50).toBeGreaterThanOrEqual(3 * 2);
    // The proxy accepts at once and holds the first bytes for the handshake's round trip, so that round trip
    // shows in the setup phase: handshake + ready check = 2 rtt.
    const { socket, setup } = perRequest!.connectPhases!;
    expect(socket.p50 + setup.p50).toBeGreaterThanOrEqual(2 * 2);
  });
});
