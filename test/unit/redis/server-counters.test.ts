import { describe, expect, it } from 'vitest';
import {
  acceptedBetween,
  rejectedBetween,
  ServerSampler,
  type ServerCounters,
} from '../../../src/redis/server-counters.js';

const reading = (totalConnectionsReceived: number, runId = 'a'.repeat(40)): ServerCounters => ({
  connectedClients: 1,
  totalConnectionsReceived,
  rejectedConnections: 0,
  runId,
});

describe('connections the server accepted between two readings', () => {
  it('is the difference of total_connections_received on the same server', () => {
    expect(acceptedBetween(reading(120), reading(170))).toBe(50);
  });

  it('after a restart (a new run_id) counts what the new server accepted since it started', () => {
    // The old server had accepted 1,349; the restarted one counts from zero and has accepted 12 so far.
    expect(acceptedBetween(reading(1349), reading(12, 'b'.repeat(40)))).toBe(12);
    // Even when the new server has already accepted more than the old one had.
    expect(acceptedBetween(reading(1349), reading(4289, 'b'.repeat(40)))).toBe(4289);
  });
});

describe('connections the server refused at maxclients between two readings', () => {
  const rejected = (rejectedConnections: number, runId = 'a'.repeat(40)): ServerCounters => ({
    connectedClients: 1,
    totalConnectionsReceived: 0,
    rejectedConnections,
    runId,
  });

  it('is the difference of rejected_connections on the same server, and counts from zero after a restart', () => {
    expect(rejectedBetween(rejected(3), rejected(10))).toBe(7);
    expect(rejectedBetween(rejected(30), rejected(4, 'b'.repeat(40)))).toBe(4);
  });
});

describe('the server sampler', () => {
  /** A monitor whose INFO clients answers the counts in turn (null: a lost sample), and the waits it was told. */
  async function sampled(counts: (number | null)[]): Promise<{ peak: number; waits: number[] }> {
    const waits: number[] = [];
    let finish: (peak: Promise<number>) => void = () => {};
    const finished = new Promise<number>((resolve) => (finish = resolve));
    let next = 0;
    const monitor = {
      call: () => {
        const count = counts[Math.min(next++, counts.length - 1)];
        return count === null
          ? Promise.reject(new Error('LOADING'))
          : Promise.resolve(`# Clients\r\nconnected_clients:${count}\r\n`);
      },
    };
    const sampler = new ServerSampler(monitor, (ms) => {
      waits.push(ms);
      if (waits.length === counts.length) finish(sampler.stop());
      return Promise.resolve();
    });
    sampler.start();
    return { peak: await finished, waits };
  }

  it('keeps the highest count, samples every 10 ms while it moves and backs off to 80 ms while it holds still', async () => {
    const { peak, waits } = await sampled([3, 5, 5, 5, 5, 5, 5, 9, 4, 4]);
    expect(peak).toBe(9);
    expect(waits).toEqual([10, 10, 20, 40, 80, 80, 80, 10, 10, 20]);
  });

  it('takes a lost sample for a move: the next one comes 10 ms later', async () => {
    const { peak, waits } = await sampled([2, 2, null, 2, 2]);
    expect(peak).toBe(2);
    expect(waits).toEqual([10, 20, 10, 10, 20]);
  });
});
