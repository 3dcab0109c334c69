import type { Histogram } from '../../histograms.js';
import type { ConnectionCounts } from '../strategies/connection-tally.js';
import { acceptedBetween, rejectedBetween, type ServerCounters } from '../../redis/server-counters.js';
import { POOL_COUNTERS } from '../../schema/names.js';
import type {
  ClusterRunResult,
  ConnectionsResult,
  PredictedConnections,
  FaultResult,
  GeneratorResult,
  LoadResult,
  PoolConfig,
  PoolStats,
  StrategyName,
  StrategyResult,
} from '../../schema/bench.js';
import { summarize, summarizeIfAny } from '../../histograms.js';
import type { InjectedFault } from '../faults/injector.js';
import { recoveryMs, type Timeline } from '../faults/recovery.js';
import { summarizeHoldByBusy } from './hold-by-busy.js';
import type { Recorder } from './load-loop.js';

/**
 * Everything one strategy's run counted, as raw numbers: the measured window's recorder, the pool's counters, and
 * the connection counts made from the client's and the server's counters (connectionsResult()). strategyResult()
 * turns them into the result; nothing here is read again.
 */
export interface StrategyCounts {
  strategy: StrategyName;
  label: string;
  pool: PoolConfig;
  concurrency: number;
  /** The open-loop schedule's rate; null for a closed loop. */
  ratePerSec: number | null;
  /** What the measured window recorded (latency, requests, holds, …). */
  recorder: Recorder;
  durationMs: number;
  /** When the window began (process.hrtime.bigint()): fault times are taken from it. */
  windowStartNs: bigint;
  /** When the window began on the wall clock (Date.now()); it ends durationMs later. */
  windowStartMs: number;
  injected: readonly InjectedFault[];
  generator: GeneratorResult;
  /** Connect times of every connection the strategy opened, warm-up and close included. */
  connect: Histogram;
  /** Per-request: the connect time split into socket and setup; null for the others. */
  connectPhases: { socket: Histogram; setup: Histogram } | null;
  /** Connection counts of the run (against a cluster, summed over its nodes): see connectionsResult(). */
  connections: ConnectionsResult;
  /** Against a cluster: the run node by node. */
  cluster?: ClusterRunResult;
  /** What size predicts the run holds (predicted-connections.ts). */
  predictedConnections?: PredictedConnections | null;
  /** The pool's counters at the window's start and end; null without a pool. */
  poolStats: { start: PoolStats; end: PoolStats } | null;
}

/** A count over a window as a rate per second (0 for an empty window). */
export function perSecond(count: number, durationMs: number): number {
  return durationMs > 0 ? (count * 1000) / durationMs : 0;
}

/** One strategy's result from its raw counts: no I/O, no clock. */
export function strategyResult(counts: StrategyCounts): StrategyResult {
  const { recorder, durationMs } = counts;
  return {
    strategy: counts.strategy,
    label: counts.label,
    requests: recorder.requests,
    errors: recorder.errors,
    errorsByKind: recorder.errorsByKind,
    durationMs,
    throughput: perSecond(recorder.requests - recorder.errors, durationMs),
    latency: summarize(recorder.latency!),
    acquireWait: recorder.acquireWait ? summarize(recorder.acquireWait) : null,
    connect: summarizeIfAny(counts.connect),
    connections: counts.connections,
    pool: counts.poolStats ? poolResult(counts.poolStats.start, counts.poolStats.end, counts.pool) : null,
    load: loadResult(counts),
    connectPhases:
      counts.connectPhases && counts.connectPhases.socket.totalCount > 0
        ? { socket: summarize(counts.connectPhases.socket), setup: summarize(counts.connectPhases.setup) }
        : null,
    faults: faultResults(counts.injected, recorder.timeline, counts.windowStartNs),
    generator: counts.generator,
    window: {
      startedAt: new Date(counts.windowStartMs).toISOString(),
      endedAt: new Date(counts.windowStartMs + durationMs).toISOString(),
    },
    ...(counts.cluster ? { cluster: counts.cluster } : {}),
    ...(counts.predictedConnections !== undefined ? { predictedConnections: counts.predictedConnections } : {}),
  };
}

/** The client's and one server's counters at the edges of a strategy's run, as connectionsResult() takes them. */
export interface ConnectionEdges {
  /** The client's counts (of the sockets to that server) at the window's start and end, and after the strategy closed everything. */
  client: {
    start: ConnectionCounts;
    end: ConnectionCounts;
    closed: ConnectionCounts;
    /** Sockets open when the window began. */
    openAtStart: number;
    /** Most sockets open at once during the window. */
    peakOpenInWindow: number;
  };
  /** The server's counters before the strategy started, at the window's start and end, and after the close. */
  server: {
    before: ServerCounters;
    start: ServerCounters;
    end: ServerCounters;
    closed: ServerCounters;
    /** The highest connected_clients the sampler saw while the strategy ran. */
    peakClients: number;
  };
}

/**
 * Every count split by when it happened: before the window (the strategy's start and the warm-up), in it, and
 * at the end (the strategy's close). The unqualified fields are the sums over the whole run.
 */
export function connectionsResult({ client, server }: ConnectionEdges): ConnectionsResult {
  const { start, end, closed } = client;
  const serverAcceptedBeforeWindow = acceptedBetween(server.before, server.start);
  const serverAcceptedInWindow = acceptedBetween(server.start, server.end);
  return {
    opened: closed.opened,
    openedBeforeWindow: start.opened,
    openedInWindow: end.opened - start.opened,
    closed: closed.closed,
    closedBeforeWindow: start.closed,
    closedInWindow: end.closed - start.closed,
    closedAtEnd: closed.closed - end.closed,
    peakOpen: closed.peakOpen,
    peakOpenInWindow: client.peakOpenInWindow,
    used: client.openAtStart + end.opened - start.opened,
    serverAccepted: serverAcceptedBeforeWindow + serverAcceptedInWindow + acceptedBetween(server.end, server.closed),
    serverAcceptedBeforeWindow,
    serverAcceptedInWindow,
    serverRejected: rejectedBetween(server.before, server.closed),
    serverPeakClients: Math.max(0, server.peakClients - server.before.connectedClients),
    connectErrors: closed.connectErrors,
    connectErrorsInWindow: end.connectErrors - start.connectErrors,
    serverClientsBefore: server.before.connectedClients,
    serverClientsAfter: server.closed.connectedClients,
  };
}

/** Pool counters over the measured window only (gauges as they were at its end). */
function poolResult(start: PoolStats, end: PoolStats, pool: PoolConfig): StrategyResult['pool'] {
  const window: PoolStats = { ...end };
  for (const counter of POOL_COUNTERS) window[counter] = end[counter] - start[counter];
  return { ...window, acquireTimeoutMs: pool.acquireTimeoutMs, order: pool.order, profile: pool.profile };
}

/** Each injected fault with the time the load took to recover from it and the failures it caused. */
function faultResults(injected: readonly InjectedFault[], timeline: Timeline | null, startNs: bigint): FaultResult[] {
  const sorted = [...injected].sort((a, b) => Number(a.injectedNs - b.injectedNs));
  return sorted.map((f, i) => {
    const slot = timeline?.slotOf(f.injectedNs) ?? 0;
    const next = sorted[i + 1];
    const endSlot = next && timeline ? timeline.slotOf(next.injectedNs) : (timeline?.ok.length ?? 0);
    return {
      fault: f.fault.text,
      kind: f.fault.kind,
      atMs: f.fault.atMs,
      injectedAtMs: Number(f.injectedNs - startNs) / 1e6,
      recoveryMs: timeline ? recoveryMs(timeline, slot, endSlot) : null,
      errorsAfter: timeline ? timeline.errors.slice(slot, endSlot).reduce((a, b) => a + b, 0) : 0,
      error: f.error,
    };
  });
}

/** Hold, think and utilization over the measured window; the open-loop schedule against what it achieved. */
function loadResult({ strategy, recorder, concurrency, ratePerSec, durationMs }: StrategyCounts): LoadResult {
  const holdMeanMs = recorder.holds === 0 ? 0 : recorder.holdUs / recorder.holds / 1000;
  const thinkMeanMs = recorder.holds === 0 ? 0 : recorder.thinkUs / recorder.holds / 1000;
  return {
    holdMeanMs,
    thinkMeanMs,
    modelUtilization: holdMeanMs + thinkMeanMs > 0 ? holdMeanMs / (holdMeanMs + thinkMeanMs) : 0,
    measuredUtilization:
      strategy === 'multiplexed' ? null : durationMs > 0 ? recorder.holdUs / 1000 / (concurrency * durationMs) : 0,
    requestedRate: ratePerSec,
    achievedRate: perSecond(recorder.requests, durationMs),
    lateRequests: recorder.late,
    ...(ratePerSec !== null ? { unstartedRequests: recorder.unstarted } : {}),
    uncorrectedLatency: recorder.uncorrected ? summarize(recorder.uncorrected) : null,
    ...(recorder.occupancy ? summarizeHoldByBusy(recorder.occupancy) : {}),
  };
}
