import { addSummaries } from '../../histograms.js';
import { addPoolStats } from '../../pool/pool-stats.js';
import { UsageError } from '../../errors.js';
import {
  type BenchConfig,
  type BenchResult,
  type ClusterNodeResult,
  type ClusterRunResult,
  type ConnectionsResult,
  type RedirectCounts,
  type LatencySummary,
  type LoadResult,
  type PoolResult,
  type StrategyResult,
} from '../../schema/bench.js';
import type { Warning } from '../../schema/warning.js';
import type { MeasuredBench } from '../gates/gate.js';
import { predictedConnections } from '../findings/predicted-connections.js';
import { perSecond } from '../run/strategy-result.js';
import { plannedRuns, poolSizeInLabel, runLabel } from '../gates/run-plan.js';
import { curveLabel, stepLabel, stepRate } from '../../step-labels.js';
import { buildCapacity, generatorWasBottleneck } from '../findings/capacity-curve.js';
import { plural } from '../../format.js';

/** The sum of one figure over several items. */
const sumOf = <T>(items: readonly T[], pick: (item: T) => number): number =>
  items.reduce((total, item) => total + pick(item), 0);

/** One result to merge, and the file it came from (what every message names). */
export interface MergeInput {
  file: string;
  result: BenchResult;
}

/**
 * Several machines' runs of one benchmark against one server, as one result: for each run (by label) the
 * histograms are the exact sum of the inputs' (never an average of percentiles), the counts are summed, and the
 * throughput is the sum of the machines' rates over the window they all ran in. Refused, with one line naming
 * the files: fewer than two inputs, the same measurements twice, different servers, different configurations,
 * different runs, runs without a window on the wall clock, windows that do not overlap, and fault runs (each
 * machine's recovery is its own).
 *
 * `threadsOf`: the inputs are the threads of one `bench --threads` run of this configuration, each with its share
 * of the workers (so their configurations differ by design); the merged result carries the whole configuration.
 */
export function mergeResults(inputs: readonly MergeInput[], threadsOf?: BenchConfig): MeasuredBench {
  if (inputs.length < 2)
    throw new UsageError(
      `merge needs two or more bench results (got ${inputs.length}): the runs of one benchmark on several machines`,
    );
  const [first, ...others] = inputs as [MergeInput, ...MergeInput[]];
  checkDistinctMeasurements(inputs);
  for (const other of others)
    if (threadsOf) checkSameRuns(first, other, true);
    else checkSameBenchmark(first, other);
  const sameServer = others.map((other) => checkSameServer(first, other)).every((checked) => checked === 'checked');
  if (first.result.config.faults.length > 0) {
    throw new UsageError(
      `merge: ${first.file} injected faults (${first.result.config.faults.map((f) => f.text).join(', ')}): ` +
        `each machine's recovery is its own, merge runs without --fault`,
    );
  }
  // Every input stands for its threads' service instances (size --instances); merged, for all of them.
  const fleet = {
    instances: sumOf(inputs, ({ result }) => result.config.threads ?? 1),
    poolSize: first.result.config.pool.size,
    sending: first.result.config.workload,
  };
  // Threads of one run made the same runs in the same order; a curve's steps are labelled with each thread's share.
  const planned = threadsOf ? plannedRuns(threadsOf) : null;
  const bottlenecked = new Set<string>();
  const results = first.result.results.map((run, i) => {
    const runs = inputs.map(({ file, result }) => ({
      file,
      run: planned ? result.results[i]! : result.results.find((r) => r.label === run.label)!,
    }));
    const names = planned ? runNames(planned[i]!) : machinesNames(runs, fleet);
    if (runs.some((r) => generatorWasBottleneck(r.run))) bottlenecked.add(names.label);
    return mergeRun(runs, threadsOf !== undefined, fleet, names);
  });
  const config = threadsOf ?? first.result.config;
  const capacity = buildCapacity(config, results, {
    instances: fleet.instances,
    bottlenecked: (run) => bottlenecked.has(run.label),
  });
  const runIds = new Set(inputs.map((i) => i.result.runId));
  return {
    schema: first.result.schema,
    tool: first.result.tool,
    runId: runIds.size === 1 ? first.result.runId : `merged:${[...runIds].join('+')}`,
    startedAt: inputs.map((i) => i.result.startedAt).sort()[0]!,
    interrupted: inputs.some((i) => i.result.interrupted),
    target: first.result.target,
    machine: first.result.machine,
    config,
    results,
    // The sweep compares each pool size with a model of one pool; merged, there are as many pools as machines.
    sweep: null,
    // A capacity curve, step by step: the rates the machines (threads) offered and served together, and their knee.
    ...(capacity ? { capacity } : {}),
    warnings: mergeWarnings(inputs, threadsOf !== undefined, sameServer),
    merged: {
      of: threadsOf ? 'threads' : 'machines',
      inputs: inputs.map(({ file, result }) => ({
        file,
        runId: result.runId,
        instances: instancesOf(result),
        startedAt: result.startedAt,
        machine: result.machine,
        requests: Object.fromEntries(result.results.map((r) => [r.label, r.requests])),
      })),
    },
  };
}

/**
 * The processes (or threads) whose measurements a result holds: its own, or for a merged result its inputs'. A result
 * written before instances were recorded stands for itself by its run id and start time.
 */
function instancesOf(result: BenchResult): string[] {
  if (result.merged)
    return result.merged.inputs.flatMap((input) => input.instances ?? [`${input.runId}@${input.startedAt}`]);
  return [result.instanceId ?? `${result.runId}@${result.startedAt}`];
}

/** No measurement may be counted twice: the same file given twice, two files one run wrote, or a merge and one of its inputs. */
function checkDistinctMeasurements(inputs: readonly MergeInput[]): void {
  const seen = new Map<string, string>();
  for (const { file, result } of inputs) {
    for (const instance of instancesOf(result)) {
      const earlier = seen.get(instance);
      if (earlier !== undefined) {
        throw new UsageError(
          `merge: ${earlier} and ${file} hold the same measurements (bench instance ${instance}): ` +
            `the same result given twice, two files of one run, ` +
            `or a merge and one of its inputs; give each load machine's result once`,
        );
      }
      seen.set(instance, file);
    }
  }
}

/**
 * Every machine loaded the same server: told by its run_id (INFO server), which is the same whatever address each
 * reached it by, or by the cluster's node ids. 'unchecked' for results written before servers were identified
 * (their addresses must then be the same); refused, naming both, when they differ.
 */
function checkSameServer(a: MergeInput, b: MergeInput): 'checked' | 'unchecked' {
  const refuse = (shown: (input: MergeInput) => string): never => {
    const own =
      a.result.target.mode === 'ephemeral' || b.result.target.mode === 'ephemeral'
        ? ' (a run without --url starts a throwaway server of its own)'
        : '';
    throw new UsageError(
      `merge: ${a.file} and ${b.file} ran against different servers ` +
        `(${shown(a)}; ${shown(b)})${own}: merge adds up load machines that share one server, ` +
        `given to each with the same --url`,
    );
  };
  const clusterA = a.result.target.cluster;
  const clusterB = b.result.target.cluster;
  if (clusterA && clusterB) {
    const ids = new Set(clusterA.nodes.map((node) => node.id));
    if (!clusterB.nodes.some((node) => ids.has(node.id)))
      refuse((input) => `${input.file}: the cluster of ${input.result.target.url}`);
    return 'checked';
  }
  const runIdA = a.result.target.serverRunId;
  const runIdB = b.result.target.serverRunId;
  if (runIdA && runIdB) {
    if (runIdA !== runIdB)
      refuse(
        (input) => `${input.file}: ${input.result.target.url}, run_id ${input.result.target.serverRunId!.slice(0, 12)}`,
      );
    return 'checked';
  }
  if (a.result.target.url !== b.result.target.url) refuse((input) => `${input.file}: ${input.result.target.url}`);
  return 'unchecked';
}

/** The same benchmark: one configuration, the same runs, each with a wall-clock window. */
function checkSameBenchmark(a: MergeInput, b: MergeInput): void {
  const difference = firstDifference(a.result.config, b.result.config);
  if (difference !== null) {
    throw new UsageError(
      `merge: ${a.file} and ${b.file} ran different configurations (${difference}): ` +
        `merge adds up the runs of one benchmark, started with the same flags or scenario on every machine`,
    );
  }
  checkSameRuns(a, b);
}

/**
 * The same runs, in the same order. Threads of one capacity curve each offered their share of a step's rate, so their
 * steps are compared without it (`pooled(max=50)@4000` and `@2000` are the same step).
 */
function checkSameRuns(a: MergeInput, b: MergeInput, threads = false): void {
  const labels = (r: BenchResult): string => r.results.map((x) => (threads ? curveLabel(x.label) : x.label)).join(', ');
  if (labels(a.result) !== labels(b.result)) {
    throw new UsageError(
      `merge: ${a.file} has the runs ${labels(a.result)}, ${b.file} has ${labels(b.result)}: merge needs the same runs in every result`,
    );
  }
}

/** The first field (dotted path) where two JSON values differ, with both values; null when they are equal. */
function firstDifference(a: unknown, b: unknown, path = 'config'): string | null {
  if (
    typeof a === 'object' &&
    a !== null &&
    typeof b === 'object' &&
    b !== null &&
    Array.isArray(a) === Array.isArray(b)
  ) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const found = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        `${path}.${key}`,
      );
      if (found !== null) return found;
    }
    return null;
  }
  return a === b ? null : `${path}: ${JSON.stringify(a) ?? 'absent'} against ${JSON.stringify(b) ?? 'absent'}`;
}

/** The service instances the merged result stands for (size --instances), each with a pool of poolSize per shard. */
interface Fleet {
  instances: number;
  poolSize: number;
  /** How the runs sent their commands: the label says it. */
  sending: BenchConfig['workload'];
}

type Names = Pick<StrategyResult, 'label' | 'instanceLabel'>;

/** A run named as its configuration plans it (the threads of one run). */
function runNames({ label, instanceLabel }: Names): Names {
  return instanceLabel === undefined ? { label } : { label, instanceLabel };
}

/**
 * Several machines' run, named by mergedNames; a step of a capacity curve is labelled with the rate the machines
 * offered together, and keeps one machine's label (with its rate) for the thresholds that name it.
 */
function machinesNames(runs: readonly RunOf[], fleet: Fleet): Names {
  const first = runs[0]!.run;
  const names = mergedNames(first, fleet);
  if (stepRate(first.label) === null) return names;
  const label = stepLabel(
    names.label,
    sumOf(runs, ({ run }) => stepRate(run.label) ?? 0),
  );
  const one = first.instanceLabel ?? first.label;
  return label === one ? { label } : { label, instanceLabel: one };
}

/**
 * A merged run is named for every instance it stands for (`multiplexed(2 conns)`, `pooled(2 × max=10)`), and keeps
 * the label of one instance (`multiplexed(1 conn)`) for the thresholds that name it.
 */
function mergedNames(first: StrategyResult, fleet: Fleet): Names {
  const instanceLabel = first.instanceLabel ?? first.label;
  const poolSize = first.strategy === 'pooled' ? (poolSizeInLabel(instanceLabel) ?? fleet.poolSize) : undefined;
  const label = runLabel({
    strategy: first.strategy,
    poolSize,
    sending: fleet.sending,
    cluster: first.cluster !== undefined,
    instances: fleet.instances,
  });
  return label === instanceLabel ? { label } : { label, instanceLabel };
}

interface RunOf {
  file: string;
  run: StrategyResult;
}

/**
 * Machines: the window every input ran in, from the latest start to the earliest end. Threads of one run (which
 * start each strategy together): the run's window, from the first start to the last end.
 */
function commonWindow(runs: readonly RunOf[], threads: boolean): { startMs: number; endMs: number } {
  for (const { file, run } of runs) {
    if (!run.window)
      throw new UsageError(
        `merge: ${file} has no wall-clock window for ${run.label} (a result written before results recorded their windows): run it again`,
      );
  }
  if (threads) {
    return {
      startMs: Math.min(...runs.map(({ run }) => Date.parse(run.window!.startedAt))),
      endMs: Math.max(...runs.map(({ run }) => Date.parse(run.window!.endedAt))),
    };
  }
  const startMs = Math.max(...runs.map(({ run }) => Date.parse(run.window!.startedAt)));
  const endMs = Math.min(...runs.map(({ run }) => Date.parse(run.window!.endedAt)));
  if (endMs <= startMs) {
    const spans = runs.map(({ file, run }) => `${file} ${run.window!.startedAt} – ${run.window!.endedAt}`).join(', ');
    throw new UsageError(
      `merge: the ${runs[0]!.run.label} windows do not overlap (${spans}): ` +
        `start the machines together (bench --start-at <time>) so that they load the server at the same time`,
    );
  }
  return { startMs, endMs };
}

/**
 * Throughput: machines, the sum of their rates over the common window; threads, the run's successful requests
 * over the run's window, as one process would count them.
 */
function mergeRun(runs: readonly RunOf[], threads: boolean, fleet: Fleet, names: Names): StrategyResult {
  const { startMs, endMs } = commonWindow(runs, threads);
  const all = runs.map((r) => r.run);
  const first = all[0]!;
  const sum = (pick: (r: StrategyResult) => number): number => sumOf(all, pick);
  const durationMs = endMs - startMs;
  return {
    strategy: first.strategy,
    ...names,
    requests: sum((r) => r.requests),
    errors: sum((r) => r.errors),
    errorsByKind: addCounts(all.map((r) => r.errorsByKind)),
    durationMs,
    throughput: threads
      ? perSecond(
          sum((r) => r.requests - r.errors),
          durationMs,
        )
      : sum((r) => r.throughput),
    latency: addSummaries(all.map((r) => r.latency)),
    acquireWait: addIfAny(all.map((r) => r.acquireWait)),
    connect: addIfAny(all.map((r) => r.connect)),
    connections: mergeConnections(all.map((r) => r.connections)),
    // Every machine has a pool of its own: counters and gauges add up to the fleet's (max = the fleet's connections).
    pool: first.pool ? addPoolStats(all.map((r) => r.pool!) as [PoolResult, ...PoolResult[]]) : null,
    load: mergeLoad(all),
    connectPhases: first.connectPhases
      ? {
          socket: addSummaries(all.map((r) => r.connectPhases!.socket)),
          setup: addSummaries(all.map((r) => r.connectPhases!.setup)),
        }
      : null,
    faults: [],
    window: { startedAt: new Date(startMs).toISOString(), endedAt: new Date(endMs).toISOString() },
    ...(first.cluster ? { cluster: mergeCluster(all) } : {}),
    ...(first.predictedConnections !== undefined
      ? {
          predictedConnections: predictedConnections(
            first.strategy,
            fleet.poolSize,
            fleet.instances,
            first.cluster ? first.cluster.nodes.length : 1,
          ),
        }
      : {}),
  };
}

/**
 * A cluster run, node by node (nodes by host:port): requests, histograms and redirections added up, connections
 * as mergeConnections() does for one server.
 */
function mergeCluster(all: readonly StrategyResult[]): ClusterRunResult {
  const clusters = all.map((r) => r.cluster!);
  const nodes = clusters[0]!.nodes.map((node): ClusterNodeResult => {
    const same = clusters.flatMap((c) => c.nodes.filter((n) => n.node === node.node));
    return {
      node: node.node,
      id: node.id,
      requests: sumOf(same, (n) => n.requests),
      latency: addIfAny(same.map((n) => n.latency)),
      redirects: addRedirects(same.map((n) => n.redirects)),
      connections: mergeConnections(same.map((n) => n.connections)),
    };
  });
  return {
    nodes,
    redirects: addRedirects(clusters.map((c) => c.redirects)),
    topologyChanged: clusters.some((c) => c.topologyChanged),
  };
}

function addRedirects(all: readonly RedirectCounts[]): RedirectCounts {
  return addCounts(all) as RedirectCounts;
}

function addIfAny(summaries: readonly (LatencySummary | null)[]): LatencySummary | null {
  const present = summaries.filter((s): s is LatencySummary => s !== null);
  return present.length > 0 ? addSummaries(present) : null;
}

function addCounts(records: readonly Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const record of records) for (const [key, n] of Object.entries(record)) total[key] = (total[key] ?? 0) + n;
  return total;
}

/**
 * The client's counts add up over the machines. The server's are the one server's, which every machine read:
 * each input already saw the others' connections where the windows overlapped, so the largest reading is kept
 * (adding them would count the same connections several times).
 */
function mergeConnections(all: readonly ConnectionsResult[]): ConnectionsResult {
  const sum = (key: keyof ConnectionsResult): number => sumOf(all, (c) => c[key] ?? 0);
  const max = (key: keyof ConnectionsResult): number => Math.max(...all.map((c) => c[key] ?? 0));
  return {
    opened: sum('opened'),
    openedBeforeWindow: sum('openedBeforeWindow'),
    openedInWindow: sum('openedInWindow'),
    closed: sum('closed'),
    closedBeforeWindow: sum('closedBeforeWindow'),
    closedInWindow: sum('closedInWindow'),
    closedAtEnd: sum('closedAtEnd'),
    peakOpen: sum('peakOpen'),
    peakOpenInWindow: sum('peakOpenInWindow'),
    used: sum('used'),
    serverAccepted: max('serverAccepted'),
    serverAcceptedBeforeWindow: max('serverAcceptedBeforeWindow'),
    serverAcceptedInWindow: max('serverAcceptedInWindow'),
    serverRejected: max('serverRejected'),
    serverPeakClients: max('serverPeakClients'),
    connectErrors: sum('connectErrors'),
    connectErrorsInWindow: sum('connectErrorsInWindow'),
    serverClientsBefore: Math.min(...all.map((c) => c.serverClientsBefore)),
    serverClientsAfter: Math.min(...all.map((c) => c.serverClientsAfter)),
  };
}

/** Means weighted by the requests behind them; rates and counts summed. */
function mergeLoad(all: readonly StrategyResult[]): LoadResult {
  const requests = sumOf(all, (r) => r.requests);
  const weighted = (pick: (l: LoadResult) => number): number =>
    requests === 0 ? 0 : sumOf(all, (r) => pick(r.load) * r.requests) / requests;
  const uncorrected = all.map((r) => r.load.uncorrectedLatency);
  return {
    holdMeanMs: weighted((l) => l.holdMeanMs),
    thinkMeanMs: weighted((l) => l.thinkMeanMs),
    modelUtilization: weighted((l) => l.modelUtilization),
    measuredUtilization: all[0]!.load.measuredUtilization === null ? null : weighted((l) => l.measuredUtilization ?? 0),
    requestedRate: all[0]!.load.requestedRate === null ? null : sumOf(all, (r) => r.load.requestedRate ?? 0),
    achievedRate: sumOf(all, (r) => r.load.achievedRate),
    lateRequests: sumOf(all, (r) => r.load.lateRequests),
    ...(all.some((r) => r.load.unstartedRequests !== undefined)
      ? { unstartedRequests: sumOf(all, (r) => r.load.unstartedRequests ?? 0) }
      : {}),
    uncorrectedLatency: uncorrected.every((u) => u !== null) ? addSummaries(uncorrected) : null,
  };
}

/** Each input's warnings, named by its file, and what the merge itself could not add up. */
function mergeWarnings(inputs: readonly MergeInput[], threads: boolean, sameServerChecked: boolean): Warning[] {
  const carried = inputs.flatMap(({ file, result }) =>
    result.warnings.map((w) => ({ ...w, message: `${file}: ${w.message}` })),
  );
  const what = threads ? plural(inputs.length, 'thread') : plural(inputs.length, 'result');
  const why = sameServerChecked
    ? 'since each read the same server (the same run_id)'
    : "on the assumption that each read the same server: these results were written before redis-pool recorded the server's run_id, so it could not be checked";
  return [
    ...carried,
    {
      code: 'merged-server-counts',
      level: 'note',
      message: `added up from ${what}: the client-side counts and the histograms add up; the server-side counts are the largest one of them read, ${why}`,
      remedy: threads
        ? "each thread's load generator health and holds by load are its own and not kept here: run with one thread to see them"
        : 'see each input for its own load generator health (results[].generator) and holds by load',
    },
  ];
}
