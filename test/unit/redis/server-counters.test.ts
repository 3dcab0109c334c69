import { describe, expect, it } from 'vitest';
import { acceptedBetween, rejectedBetween, type ServerCounters } from '../../../src/redis/server-counters.js';

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
