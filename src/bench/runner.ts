import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { RedisPoolError } from '../errors.js';
import type { BenchConfig, BenchResult, StrategyResult } from '../schema/bench.js';
import type { CheckedRedis } from '../redis/checked-redis.js';
import { ClientFactory } from '../redis/client-factory.js';
import { connectMonitor, readRedisVersion } from '../redis/monitor.js';
import { readServerCounters, ServerSampler, waitForClients } from '../redis/server-counters.js';
import { connectFailure } from '../redis/target-errors.js';
import { formatTarget, urlSourceOf, type RedisTarget } from '../redis/url.js';
import { BENCH_SCHEMA } from '../schema/bench.js';
import type { Warning } from '../schema/warning.js';
import { TOOL } from '../version.js';
import { newHistogram } from '../histograms.js';
import { newHoldStats, newRecorder } from './load-loop.js';
import { alertWarnings } from './alerts.js';
import { generatorWarnings } from './generator-health.js';
import { holdContentionWarnings } from './hold-by-busy.js';
import { endsTheRun } from './error-kinds.js';
import type { MeasuredBench } from './gate.js';
import { maxclientsWarnings, readMaxclients, refusedForMaxclients } from './maxclients.js';
import { runPhase, type PhaseContext } from './phase.js';
import type { OnProgress } from './progress.js';
import { strategyResult } from './strategy-result.js';
import { strategyWarnings } from './strategy-warnings.js';
import { plannedRuns, type PlannedRun } from './run-plan.js';
import { buildSweep } from './sweep.js';
import { createStrategy } from './strategies/index.js';
import { measureWindow } from './window.js';
import { deleteRunKeys, Workload } from './workload.js';

export interface BenchTarget {
  target: RedisTarget;
  mode: 'ephemeral' | 'external';
  /** A server redis-pool started itself can be restarted by the `restart` fault. */
  restartServer?: () => Promise<void>;
  /** The real server when `target` is the --rtt proxy in front of it: what the result names. */
  shownAs?: RedisTarget;
}

export interface BenchHooks {
  /** Aborting stops the load at once; the result is then marked interrupted. */
  signal?: AbortSignal;
  /** Handed a snapshot of the running phase every 250 ms (a progress display); nothing is fed without it. */
  onProgress?: OnProgress;
  /** Awaited before each planned run (--threads: every thread starts each strategy together). */
  beforeRun?: () => Promise<void>;
}

/**
 * Every planned run against the target, one after another, with the tool's own monitor connection beside them;
 * the keys it wrote deleted at the end whatever happens. Returns the measured result, not judged yet: the
 * thresholds and the baseline are applied after it (gate.ts).
 */
export async function runBench(config: BenchConfig, benchTarget: BenchTarget, hooks: BenchHooks = {}): Promise<MeasuredBench> {
  const { target, mode } = benchTarget;
  // Unique to this process whatever --run-id says: its keys, its connection names, its cleanup.
  const instance = randomBytes(4).toString('hex');
  const runId = config.runId ?? instance;
  const startedAt = new Date().toISOString();
  const shown = benchTarget.shownAs ?? target;
  const monitor = await connectMonitor(target, shown, { connectTimeoutMs: config.connectTimeoutMs, name: `redis-pool:${instance}:monitor` });
  const results: StrategyResult[] = [];
  const warnings: Warning[] = [];
  let redisVersion = 'unknown';
  try {
    redisVersion = await readRedisVersion(monitor);
    const workload = new Workload(instance, config.workload);
    await workload.preload(monitor);
    const runs = plannedRuns(config);
    for (const [index, run] of runs.entries()) {
      if (hooks.signal?.aborted) break;
      await hooks.beforeRun?.();
      if (hooks.signal?.aborted) break;
      const result = await runStrategy(run, config, benchTarget, instance, monitor, workload, { ...hooks, run: index + 1, runs: runs.length });
      results.push(result);
      warnings.push(...strategyWarnings(result), ...alertWarnings(result, config), ...generatorWarnings(result));
      if (config.poolSizes !== null) warnings.push(...holdContentionWarnings(result));
    }
    if (results.some((r) => refusedForMaxclients(r) > 0)) warnings.push(...maxclientsWarnings(results, await readMaxclients(monitor)));
  } catch (error) {
    throw unusableTarget(error, monitor, shown);
  } finally {
    await deleteRunKeys(monitor, instance).catch(() => 0);
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
    target: { url: formatTarget(shown), mode, redisVersion, tls: target.tls },
    machine: machineInfo(),
    config,
    results,
    sweep: buildSweep(config, results),
    warnings,
  };
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

/**
 * One strategy: its connections opened, the warm-up, the measured window, everything closed and the server back
 * to the clients it had before; then its result from the counts.
 */
async function runStrategy(
  { strategy: name, label, pool }: PlannedRun,
  config: BenchConfig,
  { target, restartServer, shownAs }: BenchTarget,
  instance: string,
  monitor: CheckedRedis,
  workload: Workload,
  hooks: BenchHooks & { run: number; runs: number },
): Promise<StrategyResult> {
  const connectHistogram = newHistogram();
  const settings = {
    connectTimeoutMs: config.connectTimeoutMs,
    commandTimeoutMs: config.commandTimeoutMs,
    socketTimeoutMs: config.socketTimeoutMs,
    autoPipelining: config.workload.autoPipelining,
  };
  const phases = name === 'per-request' ? { socket: newHistogram(), setup: newHistogram() } : null;
  const factory = new ClientFactory(target, settings, `redis-pool:${instance}:${name}`, connectHistogram, phases);
  const strategy = createStrategy(name, factory, pool);
  const context: PhaseContext = { strategy, label, workload, config, holdStats: newHoldStats(), run: hooks.run, runs: hooks.runs, signal: hooks.signal, onProgress: hooks.onProgress };
  const before = await readServerCounters(monitor);
  const sampler = new ServerSampler(monitor);
  sampler.start();
  try {
    // The connections a strategy opens before its first request are the ones it cannot do without.
    await strategy.start().catch((error: unknown) => {
      throw connectFailure(error, shownAs ?? target);
    });
    await runPhase('warmup', newRecorder(null, null), context);
    const window = await measureWindow({ ...context, factory, pool, monitor, connectionNamePrefix: `redis-pool:${instance}:`, restartServer });

    await strategy.close();
    const serverAfter = await waitForClients(monitor, before.connectedClients);
    const peakClients = await sampler.stop();
    const { start, end } = window;
    return strategyResult({
      strategy: name,
      label,
      pool,
      concurrency: config.concurrency,
      ratePerSec: config.load.ratePerSec,
      recorder: window.recorder,
      durationMs: window.durationMs,
      windowStartNs: window.startNs,
      windowStartMs: window.startMs,
      injected: window.injected,
      generator: window.generator,
      connect: connectHistogram,
      connectPhases: phases,
      client: { start: start.counts, end: end.counts, closed: { ...factory.counts }, openAtStart: start.openNow, peakOpenInWindow: end.peakOpenSinceStart },
      server: { before, start: start.server, end: end.server, closed: serverAfter, peakClients },
      poolStats: start.pool && end.pool ? { start: start.pool, end: end.pool } : null,
    });
  } finally {
    await sampler.stop();
    await strategy.close().catch(() => undefined);
  }
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
