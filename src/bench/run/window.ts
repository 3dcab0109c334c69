import type { Redis } from 'ioredis';
import type { ConnectionCounts, CountedConnections } from '../strategies/connection-tally.js';
import { readServerCounters, type ServerCounters } from '../../redis/server-counters.js';
import type { GeneratorResult, LoadConfig, PoolConfig, PoolStats, StrategyName } from '../../schema/bench.js';
import { newHistogram } from '../../histograms.js';
import { BusyOccupancy } from './busy-occupancy.js';
import { scheduleFaults, type InjectedFault } from '../faults/injector.js';
import { Timeline } from '../faults/recovery.js';
import { startGeneratorProbe } from './generator-probe.js';
import { newRecorder, workersThink, type Recorder, type ShardLatency } from './load-loop.js';
import { runPhase, type PhaseContext } from './phase.js';
import { realClock } from '../../clock.js';

/** One cluster node's client-side counts at an edge of the window. */
export interface NodeEdge {
  counts: ConnectionCounts;
  openNow: number;
  /** Most sockets to the node open at once since the window's start (at the end edge). */
  peakOpenSinceStart: number;
}

/** The counters read at one edge of the measured window. */
export interface WindowEdge {
  /** The client factory's counts. */
  counts: ConnectionCounts;
  /** Against a cluster, the same per node (host:port); empty against one server. */
  nodes: Map<string, NodeEdge>;
  /** The pool's counters; null without a pool. */
  pool: PoolStats | null;
  /** Each watched server's counters (the server, or every master of a cluster), in the order of `servers`. */
  servers: ServerCounters[];
}

/** What the measured window recorded, and the counters at its two edges. */
export interface MeasuredWindow {
  recorder: Recorder;
  startNs: bigint;
  /** The same instant on the wall clock (the clock's epochMs, Date.now()). */
  startMs: number;
  durationMs: number;
  generator: GeneratorResult;
  injected: InjectedFault[];
  start: WindowEdge & { openNow: number };
  end: WindowEdge & { peakOpenSinceStart: number };
}

export interface WindowContext extends PhaseContext {
  factory: CountedConnections;
  pool: PoolConfig;
  /** The tool's own connection: the faults are injected through it. */
  monitor: Redis;
  /** The tool's connections whose server counters are read at the window's edges: the monitor, or one per master. */
  servers: Redis[];
  /** The prefix of this run's connection names (the kill-clients fault kills those). */
  connectionNamePrefix: string;
  restartServer?: () => Promise<void>;
  /** Against a cluster: each request's latency filed under its shard. */
  byShard?: ShardLatency;
}

/**
 * A recorder with the histograms the window keeps for this strategy and load. The warm-up records into one of its
 * own, thrown away: it then runs the code the window runs. One that recorded nothing left the recording without
 * type feedback, and the window's first request threw the compiled load loop away (--trace-deopt).
 */
export function newPhaseRecorder(strategy: StrategyName, load: LoadConfig): Recorder {
  return newRecorder(
    newHistogram(),
    strategy === 'pooled' ? newHistogram() : null,
    load.ratePerSec !== null ? newHistogram() : null,
    newHistogram(),
  );
}

/**
 * The measured window of one strategy: counters read at its start, the load with the faults scheduled into it
 * and the generator watched over it, counters read at its end. Between the two readings runs nothing but the
 * work; the server is read through the monitor before the window opens and right after it closes.
 */
export async function measureWindow(context: WindowContext): Promise<MeasuredWindow> {
  const { factory, strategy, monitor, servers, config, clock = realClock } = context;
  const start = await readStart(factory, strategy.poolStats(), servers);
  const name = strategy.name;
  const recorder = newPhaseRecorder(name, config.load);
  // The holds by load feed the finite-source model of one pool, which only a closed loop that thinks is compared
  // with: other runs (and a pool per shard) skip the bookkeeping on every acquire and release.
  if (name === 'pooled' && workersThink(config.load) && context.byShard === undefined)
    recorder.occupancy = new BusyOccupancy(context.pool.size);
  if (context.byShard) recorder.byShard = context.byShard;
  const probe = startGeneratorProbe();
  const startNs = clock.now();
  const startMs = clock.epochMs();
  if (config.faults.length > 0) recorder.timeline = new Timeline(startNs);
  const faults = scheduleFaults(
    config.faults,
    {
      monitor,
      connectionNamePrefix: context.connectionNamePrefix,
      restartServer:
        context.restartServer ?? (() => Promise.reject(new Error('restart needs a server redis-pool started itself'))),
    },
    clock.now,
  );
  await runPhase('measure', recorder, context);
  const durationMs = Number(clock.now() - startNs) / 1e6;
  const generator = probe.stop(recorder.wakeLateness, durationMs);
  faults.cancel();
  const injected = await faults.injected;
  const end = {
    counts: { ...factory.counts },
    nodes: nodeEdges(factory),
    peakOpenSinceStart: factory.peakOpenSinceMark,
    pool: strategy.poolStats(),
    servers: await readServers(servers),
  };
  return { recorder, startNs, startMs, durationMs, generator, injected, start, end };
}

/** The client's and the pool's counts of the same instant (read synchronously), the peaks marked there, then the servers'. */
async function readStart(
  factory: CountedConnections,
  pool: PoolStats | null,
  servers: Redis[],
): Promise<MeasuredWindow['start']> {
  const counts = { ...factory.counts };
  const openNow = factory.openNow;
  const nodes = nodeEdges(factory);
  factory.markPeak();
  return { counts, nodes, openNow, pool, servers: await readServers(servers) };
}

function nodeEdges(factory: CountedConnections): Map<string, NodeEdge> {
  const edges = new Map<string, NodeEdge>();
  for (const [address, tally] of factory.byNode)
    edges.set(address, {
      counts: { ...tally.counts },
      openNow: tally.openNow,
      peakOpenSinceStart: tally.peakOpenSinceMark,
    });
  return edges;
}

function readServers(servers: Redis[]): Promise<ServerCounters[]> {
  return Promise.all(servers.map((server) => readServerCounters(server)));
}
