import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import type { Redis } from 'ioredis';
import { RedisPoolError } from '../errors.js';
import type { PoolStats, BenchConfig, BenchResult, ConnectionsResult, FaultResult, LoadResult, PoolConfig, StrategyName, StrategyResult } from '../schema/bench.js';
import type { CheckedRedis } from '../redis/checked-redis.js';
import { ClientFactory, type ConnectionCounts } from '../redis/client-factory.js';
import { connectMonitor, readRedisVersion } from '../redis/monitor.js';
import { acceptedBetween, readServerCounters, rejectedBetween, ServerSampler, waitForClients, type ServerCounters } from '../redis/server-counters.js';
import { connectFailure } from '../redis/target-errors.js';
import { formatTarget, urlSourceOf, type RedisTarget } from '../redis/url.js';
import { BENCH_SCHEMA } from '../schema/bench.js';
import type { Warning } from '../schema/warning.js';
import { formatCount } from '../format.js';
import { TOOL } from '../version.js';
import { BusyOccupancy } from './busy-occupancy.js';
import { newHistogram, summarize, summarizeIfAny } from '../histograms.js';
import { newHoldStats, newRecorder, runLoad, type HoldStats, type PhaseLimit, type Recorder } from './load-loop.js';
import { alertWarnings } from './alerts.js';
import { generatorWarnings } from './generator-health.js';
import { holdContentionWarnings, summarizeHoldByBusy } from './hold-by-busy.js';
import { startGeneratorProbe } from './generator-probe.js';
import { endsTheRun } from './error-kinds.js';
import { maxclientsWarnings, readMaxclients, refusedForMaxclients } from './maxclients.js';
import { buildSweep } from './sweep.js';
import { evaluateThresholds, parseThreshold } from './thresholds.js';
import { scheduleFaults, type InjectedFault } from './faults/injector.js';
import { recoveryMs, Timeline } from './faults/recovery.js';
import { createStrategy } from './strategies/index.js';
import type { Strategy } from './strategies/strategy.js';
import { deleteRunKeys, Workload } from './workload.js';

export interface BenchTarget {
  target: RedisTarget;
  mode: 'ephemeral' | 'external';
  /** A server redis-pool started itself can be restarted by the `restart` fault. */
  restartServer?: () => Promise<void>;
  /** The real server when `target` is the --rtt proxy in front of it: what the result names. */
  shownAs?: RedisTarget;
}

/** What a progress display reads while a phase runs. */
export interface PhaseProgress {
  strategy: StrategyName;
  label: string;
  /** This run's place in the benchmark: run `run` of `runs` (each size of a sweep is a run). */
  run: number;
  runs: number;
  phase: 'warmup' | 'measure';
  startedNs: bigint;
  /** How long the phase lasts: a number of requests or a time; null for the one not used. */
  requests: number | null;
  durationMs: number | null;
  /** Live counts (requests, errors) of the phase; read it, never write it. */
  recorder: Recorder;
}

export interface BenchHooks {
  /** Aborting stops the load at once; the result is then marked interrupted. */
  signal?: AbortSignal;
  onPhase?: (progress: PhaseProgress) => void;
}

/** The hooks of one run, with its place in the benchmark. */
type RunHooks = BenchHooks & { run: number; runs: number };

const NEVER = BigInt(Number.MAX_SAFE_INTEGER) * 1_000_000n;

export async function runBench(config: BenchConfig, benchTarget: BenchTarget, hooks: BenchHooks = {}): Promise<BenchResult> {
  const { target, mode } = benchTarget;
  const runId = randomBytes(4).toString('hex');
  const startedAt = new Date().toISOString();
  const shown = benchTarget.shownAs ?? target;
  const monitor = await connectMonitor(target, shown, { connectTimeoutMs: config.connectTimeoutMs, name: `redis-pool:${runId}:monitor` });
  const results: StrategyResult[] = [];
  const warnings: Warning[] = [];
  let redisVersion = 'unknown';
  try {
    redisVersion = await readRedisVersion(monitor);
    const workload = new Workload(runId, config.workload);
    await workload.preload(monitor);
    const runs = plannedRuns(config);
    for (const [index, run] of runs.entries()) {
      if (hooks.signal?.aborted) break;
      const result = await runStrategy(run, config, benchTarget, runId, monitor, workload, { ...hooks, run: index + 1, runs: runs.length });
      results.push(result);
      warnings.push(...strategyWarnings(result), ...alertWarnings(result, config), ...generatorWarnings(result));
      if (config.poolSizes !== null) warnings.push(...holdContentionWarnings(result));
    }
    if (results.some((r) => refusedForMaxclients(r) > 0)) warnings.push(...maxclientsWarnings(results, await readMaxclients(monitor)));
  } catch (error) {
    throw unusableTarget(error, monitor, shown);
  } finally {
    await deleteRunKeys(monitor, runId).catch(() => 0);
    await monitor.quit().catch(() => monitor.disconnect());
  }
  if (mode === 'external') {
    warnings.push({
      code: 'external-server-counts',
      message: 'server-side connection counts include any other client of this server during the run',
      remedy: `run without ${urlSourceOf(target)} (a throwaway server) or on a quiet server for exact server-side counts`,
    });
  }
  return {
    schema: BENCH_SCHEMA,
    tool: { ...TOOL },
    runId,
    startedAt,
    interrupted: hooks.signal?.aborted === true,
    target: { url: formatTarget(benchTarget.shownAs ?? target), mode, redisVersion, tls: target.tls },
    machine: machineInfo(),
    config,
    results,
    sweep: buildSweep(config, results),
    thresholds: evaluateThresholds(config.thresholds.map(parseThreshold), results),
    baseline: null,
    warnings,
  };
}

/** One run per strategy; a sweep replaces the single pooled run with one run per pool size. */
export function plannedRuns(config: BenchConfig): PlannedRun[] {
  return config.strategies.flatMap((name): PlannedRun[] =>
    name === 'pooled' && config.poolSizes !== null
      ? config.poolSizes.map((size) => ({ name, pool: { ...config.pool, size } }))
      : [{ name, pool: config.pool }],
  );
}

export interface PlannedRun {
  name: StrategyName;
  pool: PoolConfig;
}

/**
 * A connection the run depends on could not be set up as asked (a refused setup on any strategy's connection,
 * or on the monitor when it reconnected): the target is unusable, exit 3, whatever else failed because of it.
 */
function unusableTarget(error: unknown, monitor: CheckedRedis, shown: RedisTarget): unknown {
  if (error instanceof RedisPoolError) return error;
  const failure = monitor.setupFailure ?? (endsTheRun(error) ? error : null);
  return failure !== null ? connectFailure(failure, shown) : error;
}

async function runStrategy(
  { name, pool }: PlannedRun,
  config: BenchConfig,
  { target, restartServer, shownAs }: BenchTarget,
  runId: string,
  monitor: Redis,
  workload: Workload,
  hooks: RunHooks,
): Promise<StrategyResult> {
  const connectHistogram = newHistogram();
  const timeouts = { connectTimeoutMs: config.connectTimeoutMs, commandTimeoutMs: config.commandTimeoutMs, socketTimeoutMs: config.socketTimeoutMs };
  const phases = name === 'per-request' ? { socket: newHistogram(), setup: newHistogram() } : null;
  const factory = new ClientFactory(target, timeouts, `redis-pool:${runId}:${name}`, connectHistogram, phases);
  const strategy = createStrategy(name, factory, pool);
  const holdStats = newHoldStats();
  const before = await readServerCounters(monitor);
  const sampler = new ServerSampler(monitor);
  sampler.start();
  try {
    // The connections a strategy opens before its first request are the ones it cannot do without.
    await strategy.start().catch((error: unknown) => {
      throw connectFailure(error, shownAs ?? target);
    });
    await runPhase('warmup', strategy, workload, config, newRecorder(null, null), holdStats, hooks);

    const countsAtStart = { ...factory.counts };
    const openAtStart = factory.openNow;
    const poolAtStart = strategy.poolStats();
    factory.markPeak();
    const serverAtStart = await readServerCounters(monitor);
    const openLoop = config.load.ratePerSec !== null;
    const recorder = newRecorder(newHistogram(), name === 'pooled' ? newHistogram() : null, openLoop ? newHistogram() : null, newHistogram());
    if (name === 'pooled') recorder.occupancy = new BusyOccupancy(pool.size);
    const probe = startGeneratorProbe();
    const startNs = process.hrtime.bigint();
    if (config.faults.length > 0) recorder.timeline = new Timeline(startNs);
    const faults = scheduleFaults(config.faults, {
      monitor,
      connectionNamePrefix: `redis-pool:${runId}:`,
      restartServer: restartServer ?? (() => Promise.reject(new Error('restart needs a server redis-pool started itself'))),
    });
    await runPhase('measure', strategy, workload, config, recorder, holdStats, hooks);
    const durationMs = Number(process.hrtime.bigint() - startNs) / 1e6;
    const generator = probe.stop(recorder.wakeLateness, durationMs);
    faults.cancel();
    const injected = await faults.injected;
    const serverAtEnd = await readServerCounters(monitor);
    const countsAtEnd = { ...factory.counts };
    const peakInWindow = factory.peakOpenSinceMark;
    const poolAtEnd = strategy.poolStats();

    await strategy.close();
    const serverAfter = await waitForClients(monitor, before.connectedClients);
    const peak = await sampler.stop();
    const counts: CountsAt = { start: countsAtStart, end: countsAtEnd, closed: { ...factory.counts } };
    const server: ServerAt = { before, start: serverAtStart, end: serverAtEnd, closed: serverAfter };
    return {
      strategy: name,
      label: strategy.label,
      requests: recorder.requests,
      errors: recorder.errors,
      errorsByKind: recorder.errorsByKind,
      durationMs,
      throughput: durationMs > 0 ? ((recorder.requests - recorder.errors) * 1000) / durationMs : 0,
      latency: summarize(recorder.latency!),
      acquireWait: recorder.acquireWait ? summarize(recorder.acquireWait) : null,
      connect: summarizeIfAny(connectHistogram),
      connections: connectionsResult(counts, server, { openAtStart, peakInWindow, serverPeak: peak }),
      pool: poolAtEnd && poolAtStart ? poolResult(poolAtStart, poolAtEnd, pool) : null,
      load: loadResult(name, recorder, config, durationMs),
      connectPhases: phases && phases.socket.totalCount > 0 ? { socket: summarize(phases.socket), setup: summarize(phases.setup) } : null,
      faults: faultResults(injected, recorder.timeline, startNs),
      generator,
    };
  } finally {
    await sampler.stop();
    await strategy.close().catch(() => undefined);
  }
}

async function runPhase(
  phase: 'warmup' | 'measure',
  strategy: Strategy,
  workload: Workload,
  config: BenchConfig,
  recorder: Recorder,
  holdStats: HoldStats,
  hooks: RunHooks,
): Promise<void> {
  const spec = phase === 'warmup' ? config.warmup : { requests: config.requests, durationMs: config.durationMs };
  if (phase === 'warmup' && !spec.requests && !spec.durationMs) return;
  const startedNs = process.hrtime.bigint();
  const limit: PhaseLimit = {
    remainingRequests: spec.requests ?? Infinity,
    deadlineNs: spec.durationMs ? startedNs + BigInt(Math.round(spec.durationMs * 1e6)) : NEVER,
    stopped: () => hooks.signal?.aborted === true,
  };
  hooks.onPhase?.({
    strategy: strategy.name,
    label: strategy.label,
    run: hooks.run,
    runs: hooks.runs,
    phase,
    startedNs,
    requests: spec.requests ?? null,
    durationMs: spec.durationMs ?? null,
    recorder,
  });
  await runLoad(strategy, workload, config.concurrency, config.load, limit, recorder, holdStats);
}

/** The factory's counts when the window began, when it ended, and after the strategy closed everything. */
interface CountsAt {
  start: ConnectionCounts;
  end: ConnectionCounts;
  closed: ConnectionCounts;
}

/** The server's counters before the strategy started, at the window's start and end, and after the close. */
interface ServerAt {
  before: ServerCounters;
  start: ServerCounters;
  end: ServerCounters;
  closed: ServerCounters;
}

/**
 * Every count split by when it happened: before the window (the strategy's start and the warm-up), in it, and
 * at the end (the strategy's close). The unqualified fields are the sums over the whole run.
 */
function connectionsResult(counts: CountsAt, server: ServerAt, at: { openAtStart: number; peakInWindow: number; serverPeak: number }): ConnectionsResult {
  const { start, end, closed } = counts;
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
    peakOpenInWindow: at.peakInWindow,
    used: at.openAtStart + end.opened - start.opened,
    serverAccepted: serverAcceptedBeforeWindow + serverAcceptedInWindow + acceptedBetween(server.end, server.closed),
    serverAcceptedBeforeWindow,
    serverAcceptedInWindow,
    serverRejected: rejectedBetween(server.before, server.closed),
    serverPeakClients: Math.max(0, at.serverPeak - server.before.connectedClients),
    connectErrors: closed.connectErrors,
    connectErrorsInWindow: end.connectErrors - start.connectErrors,
    serverClientsBefore: server.before.connectedClients,
    serverClientsAfter: server.closed.connectedClients,
  };
}

const POOL_COUNTERS = ['hits', 'misses', 'timeouts', 'exhausted', 'waitCount', 'waitDurationUs', 'staleConns', 'created',
  'destroyed', 'createErrors', 'destroyErrors', 'evicted', 'healthChecks', 'healthCheckFailures'] as const;

/** Pool counters over the measured window only (gauges as they were at its end). */
function poolResult(start: PoolStats, end: PoolStats, pool: PoolConfig): StrategyResult['pool'] {
  const window: PoolStats = { ...end };
  for (const counter of POOL_COUNTERS) window[counter] = end[counter] - start[counter];
  return { ...window, acquireTimeoutMs: pool.acquireTimeoutMs, order: pool.order, profile: pool.profile };
}

/** Each injected fault with the time the load took to recover from it and the failures it caused. */
function faultResults(injected: InjectedFault[], timeline: Timeline | null, startNs: bigint): FaultResult[] {
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
function loadResult(name: StrategyName, recorder: Recorder, config: BenchConfig, durationMs: number): LoadResult {
  const holdMeanMs = recorder.holds === 0 ? 0 : recorder.holdUs / recorder.holds / 1000;
  const thinkMeanMs = recorder.holds === 0 ? 0 : recorder.thinkUs / recorder.holds / 1000;
  return {
    holdMeanMs,
    thinkMeanMs,
    modelUtilization: holdMeanMs + thinkMeanMs > 0 ? holdMeanMs / (holdMeanMs + thinkMeanMs) : 0,
    measuredUtilization: name === 'multiplexed' ? null : durationMs > 0 ? recorder.holdUs / 1000 / (config.concurrency * durationMs) : 0,
    requestedRate: config.load.ratePerSec,
    achievedRate: durationMs > 0 ? (recorder.requests * 1000) / durationMs : 0,
    lateRequests: recorder.late,
    uncorrectedLatency: recorder.uncorrected ? summarize(recorder.uncorrected) : null,
    ...(recorder.occupancy ? summarizeHoldByBusy(recorder.occupancy) : {}),
  };
}

function strategyWarnings(result: StrategyResult): Warning[] {
  const warnings: Warning[] = [];
  const { connections } = result;
  if (connections.serverClientsAfter > connections.serverClientsBefore) {
    warnings.push({
      code: 'clients-not-released',
      message: `${result.label}: the server had ${connections.serverClientsAfter} clients after the run, ${connections.serverClientsBefore} before`,
      remedy: 'another client may have connected meanwhile; otherwise this is a bug in redis-pool, please report it',
    });
  }
  const portErrors = result.errorsByKind['ephemeral-ports'] ?? 0;
  if (portErrors > 0) {
    warnings.push({
      code: 'ephemeral-ports-exhausted',
      message: `${result.label}: ${portErrors} connections failed with EADDRNOTAVAIL: the machine ran out of local ports, because every closed connection keeps its port in TIME_WAIT for about 60 s`,
      remedy: 'reuse connections (a pool); or widen net.ipv4.ip_local_port_range and enable net.ipv4.tcp_tw_reuse on the client machine',
    });
  }
  for (const fault of result.faults.filter((f) => f.error !== null)) {
    warnings.push({
      code: 'fault-not-injected',
      message: `${result.label}: the fault ${fault.fault} could not be injected (${fault.error})`,
      remedy: 'give it a time inside the measured window; stall needs DEBUG (enabled on the throwaway server for Redis 7)',
    });
  }
  if (result.errors > 0) {
    const kinds = Object.entries(result.errorsByKind).map(([kind, n]) => `${formatCount(n)} ${kind}`).join(', ');
    warnings.push({
      code: 'request-errors',
      message: `${result.label}: ${formatCount(result.errors)} of ${formatCount(result.requests)} requests failed (${kinds})`,
      remedy: errorRemedy(result),
    });
  }
  return warnings;
}

function errorRemedy(result: StrategyResult): string {
  const kinds = result.errorsByKind;
  if (kinds['acquire-timeout'] || kinds['pool-exhausted']) return 'the pool is too small for this load, or --acquire-timeout too short: see the sweep (--pool-size 2..20)';
  if (refusedForMaxclients(result) > 0) return 'the server refused connections at its maxclients limit (most read as connection resets): see the maxclients warning';
  if (result.faults.length > 0) return 'these follow the injected faults: see the fault table for the recovery times';
  if (kinds['command-timeout'] || kinds['socket-timeout']) return 'the server answered slower than --command-timeout/--socket-timeout';
  return 'check the server and the network; errorsByKind says which failures';
}

function machineInfo(): BenchResult['machine'] {
  const list = cpus();
  return {
    platform: process.platform,
    arch: process.arch,
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}
