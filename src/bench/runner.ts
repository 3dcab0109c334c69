import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { RedisPoolError, TargetError } from '../errors.js';
import type { BenchConfig, BenchResult, PoolConfig, StrategyName, StrategyResult } from '../schema/bench.js';
import type { CheckedRedis } from '../redis/checked-redis.js';
import { ClientFactory } from './strategies/client-factory.js';
import type { ClientSettings } from '../redis/client-options.js';
import { nodeAddress } from '../redis/cluster-topology.js';
import { serverDisplayName } from '../redis/info.js';
import { connectMonitor, readClusterEnabled, readServerIdentity } from '../redis/monitor.js';
import { readServerCounters, ServerSampler, waitForClients } from '../redis/server-counters.js';
import { connectFailure } from '../redis/target-errors.js';
import { formatTarget, urlSourceOf, type RedisTarget } from '../redis/url.js';
import { BENCH_SCHEMA } from '../schema/names.js';
import type { ServerIdentity, Warning } from '../schema/warning.js';
import { TOOL } from '../version.js';
import { newHistogram, type Histogram } from '../histograms.js';
import { newHoldStats } from './run/load-loop.js';
import { alertWarnings } from './findings/alerts.js';
import { generatorWarnings } from './findings/generator-health.js';
import { poolAnswer } from './findings/pool-answer.js';
import { holdContentionWarnings } from './run/hold-by-busy.js';
import { endsTheRun } from './run/error-kinds.js';
import type { MeasuredBench } from './gates/gate.js';
import { maxclientsWarnings, readMaxclients, refusedForMaxclients } from './findings/maxclients.js';
import { runPhase, type PhaseContext } from './run/phase.js';
import type { OnProgress } from './run/progress.js';
import { connectionsResult, strategyResult, type ConnectionEdges } from './run/strategy-result.js';
import { ClusterRun } from './cluster/cluster-run.js';
import { predictedConnections } from './findings/predicted-connections.js';
import { watchCluster, type ClusterTarget, type WatchedServer } from './cluster/cluster-target.js';
import { strategyWarnings } from './findings/strategy-warnings.js';
import { plannedRuns, type PlannedRun } from './gates/run-plan.js';
import { buildSweep } from './findings/sweep.js';
import { buildCapacity } from './findings/capacity-curve.js';
import { createStrategy } from './strategies/index.js';
import type { CountedConnections } from './strategies/connection-tally.js';
import type { Strategy } from './strategies/strategy.js';
import { measureWindow, newPhaseRecorder } from './run/window.js';
import { deleteRunKeys, hashTags, Workload } from './run/workload.js';

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
export async function runBench(
  config: BenchConfig,
  benchTarget: BenchTarget,
  hooks: BenchHooks = {},
): Promise<MeasuredBench> {
  const { target, mode } = benchTarget;
  // Unique to this process whatever --run-id says: its keys, its connection names, its cleanup.
  const instance = randomBytes(4).toString('hex');
  const runId = config.runId ?? instance;
  const startedAt = new Date().toISOString();
  const shown = benchTarget.shownAs ?? target;
  const monitorOptions = { connectTimeoutMs: config.connectTimeoutMs, name: `redis-pool:${instance}:monitor` };
  const monitor = await connectMonitor(target, shown, monitorOptions);
  const results: StrategyResult[] = [];
  const warnings: Warning[] = [];
  let server: Awaited<ReturnType<typeof readServerIdentity>>;
  let cluster: ClusterTarget | null = null;
  // The servers whose counters are read and whose keys of this run are deleted: the one server, or every node (a
  // replica refuses the deletion, and its master's is replicated to it).
  let servers: WatchedServer[] = [{ address: nodeAddress(target), id: null, monitor }];
  try {
    server = await readServerIdentity(monitor);
    checkClusterMode(config, await readClusterEnabled(monitor), shown, server.server);
    if (config.cluster) {
      cluster = await watchCluster(monitor, target, monitorOptions);
      servers = cluster.nodes;
    }
    const workload = new Workload(instance, config.workload, cluster ? hashTags() : []);
    await preload(
      workload,
      cluster ? new ClientFactory(target, clientSettings(config), `redis-pool:${instance}:preload`, null) : null,
      monitor,
    );
    const runs = plannedRuns(config);
    for (const [index, run] of runs.entries()) {
      if (hooks.signal?.aborted) break;
      await hooks.beforeRun?.();
      if (hooks.signal?.aborted) break;
      // A step of a capacity curve runs the strategy at its own rate.
      const runConfig =
        run.ratePerSec !== undefined ? { ...config, load: { ...config.load, ratePerSec: run.ratePerSec } } : config;
      const context = { config: runConfig, benchTarget, instance, monitor, servers, cluster, workload };
      const result = await runStrategy(run, context, { ...hooks, run: index + 1, runs: runs.length });
      results.push(result);
      warnings.push(
        ...strategyWarnings(result, config.concurrency),
        ...alertWarnings(result, runConfig),
        ...poolAnswer(result, runConfig),
        ...generatorWarnings(result),
      );
      if (config.poolSizes !== null) warnings.push(...holdContentionWarnings(result));
    }
    if (results.some((r) => refusedForMaxclients(r) > 0))
      warnings.push(...maxclientsWarnings(results, await readMaxclients(monitor)));
  } catch (error) {
    throw unusableTarget(error, monitor, shown);
  } finally {
    await Promise.all(servers.map((server) => deleteRunKeys(server.monitor, instance).catch(() => 0)));
    await cluster?.close();
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
    instanceId: instance,
    startedAt,
    interrupted: hooks.signal?.aborted === true,
    target: {
      url: formatTarget(shown),
      mode,
      redisVersion: server.redisVersion,
      server: server.server,
      serverRunId: server.runId,
      tls: target.tls,
      ...(cluster ? { cluster: cluster.topology } : {}),
    },
    machine: machineInfo(),
    config,
    results,
    sweep: buildSweep(config, results),
    ...capacityOf(config, results),
    warnings,
  };
}

/** Before anything is written: --cluster against a cluster node, and only then. */
function checkClusterMode(
  config: BenchConfig,
  clusterEnabled: boolean,
  shown: RedisTarget,
  server: ServerIdentity,
): void {
  const url = formatTarget(shown);
  // Redis Cluster, Valkey Cluster: each names its cluster after itself.
  const kind = `${serverDisplayName(server)} Cluster`;
  if (config.cluster && !clusterEnabled)
    throw new TargetError(
      `${url} is not a ${kind} node (INFO cluster says cluster_enabled:0): drop --cluster, or give the URL of a cluster node`,
    );
  if (!config.cluster && clusterEnabled)
    throw new TargetError(
      `${url} is a ${kind} node: add --cluster (one server's benchmark would meet MOVED for the keys of the other shards)`,
    );
}

function clientSettings(config: BenchConfig): ClientSettings {
  return {
    connectTimeoutMs: config.connectTimeoutMs,
    commandTimeoutMs: config.commandTimeoutMs,
    socketTimeoutMs: config.socketTimeoutMs,
    autoPipelining: config.workload.autoPipelining,
  };
}

/** The keys GETs read, written once: on the monitor, or against a cluster through a cluster client (each key to its shard). */
async function preload(workload: Workload, clusterFactory: ClientFactory | null, monitor: CheckedRedis): Promise<void> {
  if (clusterFactory === null) return workload.preload(monitor);
  const client = await clusterFactory.connectCluster();
  try {
    await workload.preload(client);
  } finally {
    await clusterFactory.close(client);
  }
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

/** What every strategy's run of one benchmark shares. */
interface RunContext {
  config: BenchConfig;
  benchTarget: BenchTarget;
  instance: string;
  monitor: CheckedRedis;
  servers: WatchedServer[];
  cluster: ClusterTarget | null;
  workload: Workload;
}

/**
 * One strategy: its connections opened, the warm-up, the measured window, everything closed and the servers back
 * to the clients they had before; then its result from the counts.
 */
async function runStrategy(
  { strategy: name, label, pool }: PlannedRun,
  { config, benchTarget, instance, monitor, servers, cluster, workload }: RunContext,
  hooks: BenchHooks & { run: number; runs: number },
): Promise<StrategyResult> {
  const { target, restartServer, shownAs } = benchTarget;
  const connectHistogram = newHistogram();
  const phases = name === 'per-request' && !cluster ? { socket: newHistogram(), setup: newHistogram() } : null;
  const connectionName = `redis-pool:${instance}:${name}`;
  const clusterRun = cluster ? await ClusterRun.start(cluster, workload) : null;
  const opening: StrategyOpening = {
    name,
    pool,
    target,
    settings: clientSettings(config),
    connectionName,
    connectHistogram,
  };
  const { factory, strategy, ioredisFactory } =
    config.client?.name === 'node-redis' ? await openNodeRedis(opening) : openIoredis(opening, phases, clusterRun);
  const context: PhaseContext = {
    strategy,
    label,
    workload,
    config,
    holdStats: newHoldStats(),
    run: hooks.run,
    runs: hooks.runs,
    signal: hooks.signal,
    onProgress: hooks.onProgress,
  };
  const before = await Promise.all(servers.map((server) => readServerCounters(server.monitor)));
  const samplers = servers.map((server) => new ServerSampler(server.monitor));
  for (const sampler of samplers) sampler.start();
  const stopSamplers = (): Promise<number[]> => Promise.all(samplers.map((sampler) => sampler.stop()));
  try {
    // The connections a strategy opens before its first request are the ones it cannot do without.
    await strategy.start().catch((error: unknown) => {
      throw connectFailure(error, shownAs ?? target);
    });
    await runPhase('warmup', newPhaseRecorder(strategy.name, config.load), context);
    const window = await measureWindow({
      ...context,
      factory,
      pool,
      monitor,
      servers: servers.map((server) => server.monitor),
      connectionNamePrefix: `redis-pool:${instance}:`,
      restartServer,
      byShard: clusterRun?.byShard,
    });

    await strategy.close();
    const after = await Promise.all(
      servers.map((server, i) => waitForClients(server.monitor, before[i]!.connectedClients)),
    );
    const peaks = await stopSamplers();
    const serverEdges = (i: number): ConnectionEdges['server'] => ({
      before: before[i]!,
      start: window.start.servers[i]!,
      end: window.end.servers[i]!,
      closed: after[i]!,
      peakClients: peaks[i]!,
    });
    const client: ConnectionEdges['client'] = {
      start: window.start.counts,
      end: window.end.counts,
      closed: { ...factory.counts },
      openAtStart: window.start.openNow,
      peakOpenInWindow: window.end.peakOpenSinceStart,
    };
    // Against a cluster, the connections are counted node by node and added up.
    const counted = clusterRun
      ? await clusterRun.result(ioredisFactory!, window, serverEdges)
      : { connections: connectionsResult({ client, server: serverEdges(0) }) };
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
      ...counted,
      poolStats: window.start.pool && window.end.pool ? { start: window.start.pool, end: window.end.pool } : null,
      predictedConnections: predictedConnections(name, pool.size, config.threads ?? 1, cluster ? cluster.masters : 1),
    });
  } finally {
    await stopSamplers();
    await strategy.close().catch(() => undefined);
  }
}

/** The capacity curves of a rate sweep, as the result's `capacity`; nothing without one. */
function capacityOf(
  config: BenchConfig,
  results: StrategyResult[],
): { capacity?: NonNullable<BenchResult['capacity']> } {
  const capacity = buildCapacity(config, results);
  return capacity === null ? {} : { capacity };
}

/** A strategy's connections, and the factory that counts them; ioredisFactory for a cluster's counts by node. */
interface OpenedStrategy {
  strategy: Strategy;
  factory: CountedConnections;
  ioredisFactory: ClientFactory | null;
}

/** What either client needs to open a strategy's connections. */
interface StrategyOpening {
  name: StrategyName;
  pool: PoolConfig;
  target: RedisTarget;
  settings: ClientSettings;
  connectionName: string;
  connectHistogram: Histogram;
}

function openIoredis(
  { name, pool, target, settings, connectionName, connectHistogram }: StrategyOpening,
  phases: { socket: Histogram; setup: Histogram } | null,
  clusterRun: ClusterRun | null,
): OpenedStrategy {
  const factory = new ClientFactory(target, settings, connectionName, connectHistogram, phases);
  return {
    strategy: createStrategy(name, factory, pool, clusterRun?.strategy ?? null),
    factory,
    ioredisFactory: factory,
  };
}

/** node-redis is loaded only by the runs that use it. */
async function openNodeRedis({
  name,
  pool,
  target,
  settings,
  connectionName,
  connectHistogram,
}: StrategyOpening): Promise<OpenedStrategy> {
  const [{ NodeRedisFactory }, { createNodeRedisStrategy }] = await Promise.all([
    import('./strategies/node-redis-client.js'),
    import('./strategies/node-redis-strategies.js'),
  ]);
  const factory = new NodeRedisFactory(target, settings, connectionName, connectHistogram);
  return { strategy: createNodeRedisStrategy(name, factory, pool), factory, ioredisFactory: null };
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
