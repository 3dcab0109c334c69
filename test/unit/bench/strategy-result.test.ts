import { defaultPoolConfig } from '../../../src/bench/config/config.js';
import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { BusyOccupancy } from '../../../src/bench/run/busy-occupancy.js';
import { Timeline } from '../../../src/bench/faults/recovery.js';
import { newRecorder } from '../../../src/bench/run/load-loop.js';
import {
  connectionsResult,
  strategyResult,
  type ConnectionEdges,
  type StrategyCounts,
} from '../../../src/bench/run/strategy-result.js';
import { newHistogram } from '../../../src/histograms.js';
import type { ServerCounters } from '../../../src/redis/server-counters.js';
import type { FaultSpec, GeneratorResult, PoolConfig, PoolStats } from '../../../src/schema/bench.js';

const MS = 1_000_000n;
const WINDOW_START = 5_000n * MS;

const histogramOf = (...us: number[]) => {
  const histogram = newHistogram();
  for (const value of us) histogram.recordValue(value);
  return histogram;
};

const server = (
  connectedClients: number,
  totalConnectionsReceived: number,
  rejectedConnections: number,
  runId = 'a'.repeat(40),
): ServerCounters => ({
  connectedClients,
  totalConnectionsReceived,
  rejectedConnections,
  runId,
});

// Settings other than the defaults, so that the result is seen to carry the run's own.
const POOL: PoolConfig = {
  ...defaultPoolConfig(2),
  minIdle: 1,
  acquireTimeoutMs: 750,
  order: 'fifo',
  profile: 'go-redis',
};

const stats = (over: Partial<PoolStats>): PoolStats => ({
  hits: 0,
  misses: 0,
  timeouts: 0,
  exhausted: 0,
  waitCount: 0,
  waitDurationUs: 0,
  pending: 0,
  totalConns: 0,
  idleConns: 0,
  staleConns: 0,
  created: 0,
  destroyed: 0,
  createErrors: 0,
  destroyErrors: 0,
  evicted: 0,
  healthChecks: 0,
  healthCheckFailures: 0,
  peakTotal: 0,
  max: 2,
  minIdle: 1,
  ...over,
});

const fault = (text: string, atMs: number): FaultSpec => ({ kind: 'kill-clients', atMs, durationMs: null, text });

const GENERATOR: GeneratorResult = {
  eventLoopUtilization: 0.4,
  lagP99Ms: 0.2,
  wakeLateness: null,
  cpuMs: 300,
  cpuShare: 0.6,
};

/** A pooled run of 500 ms: 10 requests (2 failed), a fault at 30 ms that the load recovered from, one that was never injected. */
/** The client's and the server's counters around the run that pooledCounts() describes. */
function edges(): ConnectionEdges {
  return {
    client: {
      start: { opened: 4, closed: 1, peakOpen: 3, connectErrors: 1 },
      end: { opened: 10, closed: 6, peakOpen: 6, connectErrors: 3 },
      closed: { opened: 10, closed: 10, peakOpen: 6, connectErrors: 3 },
      openAtStart: 3,
      peakOpenInWindow: 5,
    },
    server: {
      before: server(2, 100, 0),
      start: server(5, 104, 1),
      end: server(7, 110, 3),
      closed: server(2, 111, 3),
      peakClients: 9,
    },
  };
}

function pooledCounts(): StrategyCounts {
  const recorder = newRecorder(
    histogramOf(100, 200, 300, 400),
    histogramOf(10, 30),
    histogramOf(50, 150),
    newHistogram(),
  );
  Object.assign(recorder, {
    requests: 10,
    errors: 2,
    errorsByKind: { 'connection-reset': 2 },
    holdUs: 8000,
    holds: 8,
    thinkUs: 24_000,
    thinks: 8,
    late: 3,
  });
  // One connection busy for 1 ms, left by one release.
  recorder.occupancy = new BusyOccupancy(2);
  recorder.occupancy.acquired(WINDOW_START, 1);
  recorder.occupancy.releasing(WINDOW_START + MS, 1);
  // 10 ms slots: successes in every slot, failures in slots 3 and 4 (2, then 1).
  recorder.timeline = new Timeline(WINDOW_START);
  for (let slot = 0; slot < 10; slot++) recorder.timeline.record(WINDOW_START + BigInt(slot * 10 + 5) * MS, true);
  for (const slot of [3, 3, 4]) recorder.timeline.record(WINDOW_START + BigInt(slot * 10 + 6) * MS, false);
  return {
    strategy: 'pooled',
    label: 'pooled(max=2)',
    pool: POOL,
    concurrency: 2,
    ratePerSec: 20,
    recorder,
    durationMs: 500,
    windowStartNs: WINDOW_START,
    windowStartMs: Date.UTC(2026, 11, 1, 12, 0, 0, 250),
    // Handed over out of order: the result lists them by the time they were injected.
    injected: [
      {
        fault: fault('kill-clients@80ms', 80),
        injectedNs: WINDOW_START + 80n * MS,
        error: 'the measured window ended before it was due',
      },
      { fault: fault('kill-clients@30ms', 30), injectedNs: WINDOW_START + 30n * MS, error: null },
    ],
    generator: GENERATOR,
    connect: histogramOf(500, 1500),
    connectPhases: null,
    connections: connectionsResult(edges()),
    poolStats: {
      start: stats({
        hits: 5,
        misses: 3,
        timeouts: 1,
        waitCount: 2,
        waitDurationUs: 400,
        created: 3,
        destroyed: 1,
        pending: 1,
        totalConns: 2,
        idleConns: 2,
        peakTotal: 2,
      }),
      end: stats({
        hits: 12,
        misses: 4,
        timeouts: 3,
        exhausted: 0,
        waitCount: 6,
        waitDurationUs: 1900,
        created: 5,
        destroyed: 3,
        staleConns: 1,
        createErrors: 1,
        pending: 0,
        totalConns: 2,
        idleConns: 1,
        peakTotal: 2,
      }),
    },
  };
}

describe('a strategy result from raw counts', () => {
  it('counts the requests, their failures and the throughput of the successful ones', () => {
    const result = strategyResult(pooledCounts());
    expect(result.strategy).toBe('pooled');
    expect(result.label).toBe('pooled(max=2)');
    expect(result.requests).toBe(10);
    expect(result.errors).toBe(2);
    expect(result.errorsByKind).toEqual({ 'connection-reset': 2 });
    expect(result.durationMs).toBe(500);
    expect(result.throughput).toBe(16); // (10 − 2) in 0.5 s
    expect(result.generator).toEqual(GENERATOR);
    // The window on the wall clock, by which runs on several machines are lined up.
    expect(result.window).toEqual({ startedAt: '2026-12-01T12:00:00.250Z', endedAt: '2026-12-01T12:00:00.750Z' });
  });

  it('summarizes latency, acquire wait and connect time in ms, with the exact histograms', () => {
    const result = strategyResult(pooledCounts());
    expect(result.latency).toMatchObject({
      unit: 'ms',
      count: 4,
      mean: 0.25,
      p50: 0.2,
      p90: 0.4,
      p99: 0.4,
      p999: 0.4,
      max: 0.4,
    });
    expect(decodeFromCompressedBase64(result.latency.hdr).totalCount).toBe(4);
    expect(result.acquireWait).toMatchObject({ count: 2, mean: 0.02, max: 0.03 });
    expect(result.connect).toMatchObject({ count: 2, mean: 1, max: 1.5 });
    expect(result.connectPhases).toBeNull();
  });

  it('splits the connections into before, in and after the window, on the client and on the server', () => {
    expect(strategyResult(pooledCounts()).connections).toEqual({
      opened: 10,
      openedBeforeWindow: 4,
      openedInWindow: 6,
      closed: 10,
      closedBeforeWindow: 1,
      closedInWindow: 5,
      closedAtEnd: 4,
      peakOpen: 6,
      peakOpenInWindow: 5,
      used: 9, // the 3 open at the start and the 6 opened in the window
      serverAccepted: 11,
      serverAcceptedBeforeWindow: 4,
      serverAcceptedInWindow: 6,
      serverRejected: 3,
      serverPeakClients: 7, // 9 at the peak, 2 before the strategy started
      connectErrors: 3,
      connectErrorsInWindow: 2,
      serverClientsBefore: 2,
      serverClientsAfter: 2,
    });
  });

  it('counts what a restarted server accepted since its restart', () => {
    const restarted = edges();
    restarted.server.end = server(3, 4, 0, 'b'.repeat(40));
    restarted.server.closed = server(2, 5, 0, 'b'.repeat(40));
    const connections = connectionsResult(restarted);
    expect(connections.serverAcceptedInWindow).toBe(4);
    expect(connections.serverAccepted).toBe(4 + 4 + 1);
    expect(connections.serverRejected).toBe(0);
  });

  it('takes the pool counters over the window only, its gauges at the end, and its settings', () => {
    expect(strategyResult(pooledCounts()).pool).toEqual({
      hits: 7,
      misses: 1,
      timeouts: 2,
      exhausted: 0,
      waitCount: 4,
      waitDurationUs: 1500,
      pending: 0,
      totalConns: 2,
      idleConns: 1,
      staleConns: 1,
      created: 2,
      destroyed: 2,
      createErrors: 1,
      destroyErrors: 0,
      evicted: 0,
      healthChecks: 0,
      healthCheckFailures: 0,
      peakTotal: 2,
      max: 2,
      minIdle: 1,
      acquireTimeoutMs: 750,
      order: 'fifo',
      profile: 'go-redis',
    });
    expect(strategyResult({ ...pooledCounts(), poolStats: null }).pool).toBeNull();
  });

  it('derives hold, think, utilization and the schedule from the recorder', () => {
    const { load } = strategyResult(pooledCounts());
    expect(load).toMatchObject({
      holdMeanMs: 1,
      thinkMeanMs: 3,
      modelUtilization: 0.25,
      measuredUtilization: 0.008, // 8 ms held ÷ (2 workers × 500 ms)
      requestedRate: 20,
      achievedRate: 20,
      lateRequests: 3,
      holdByBusy: [{ busy: 1, holds: 1, meanMs: 1 }],
      holdGrowthPerBusy: null,
    });
    expect(load.uncorrectedLatency).toMatchObject({ count: 2, mean: 0.1, max: 0.15 });
  });

  it('times the recovery from each fault, in the order they were injected', () => {
    expect(strategyResult(pooledCounts()).faults).toEqual([
      {
        fault: 'kill-clients@30ms',
        kind: 'kill-clients',
        atMs: 30,
        injectedAtMs: 30,
        recoveryMs: 20,
        errorsAfter: 3,
        error: null,
      },
      {
        fault: 'kill-clients@80ms',
        kind: 'kill-clients',
        atMs: 80,
        injectedAtMs: 80,
        recoveryMs: 0,
        errorsAfter: 0,
        error: 'the measured window ended before it was due',
      },
    ]);
  });

  it('has no utilization for multiplexed, the connect phases for per-request, and zeros for an empty window', () => {
    const base = pooledCounts();
    const multiplexed = strategyResult({ ...base, strategy: 'multiplexed' });
    expect(multiplexed.load.measuredUtilization).toBeNull();

    const perRequest = strategyResult({
      ...base,
      strategy: 'per-request',
      connectPhases: { socket: histogramOf(300, 700), setup: histogramOf(200) },
    });
    expect(perRequest.connectPhases?.socket).toMatchObject({ count: 2, mean: 0.5 });
    expect(perRequest.connectPhases?.setup).toMatchObject({ count: 1, max: 0.2 });
    expect(
      strategyResult({ ...base, connectPhases: { socket: newHistogram(), setup: newHistogram() } }).connectPhases,
    ).toBeNull();

    const recorder = newRecorder(newHistogram(), null);
    const empty = strategyResult({
      ...base,
      recorder,
      durationMs: 0,
      injected: [],
      connect: newHistogram(),
      poolStats: null,
      ratePerSec: null,
    });
    expect(empty).toMatchObject({ requests: 0, throughput: 0, acquireWait: null, connect: null, faults: [] });
    expect(empty.load).toEqual({
      holdMeanMs: 0,
      thinkMeanMs: 0,
      modelUtilization: 0,
      measuredUtilization: 0,
      requestedRate: null,
      achievedRate: 0,
      lateRequests: 0,
      uncorrectedLatency: null,
    });
  });
});
