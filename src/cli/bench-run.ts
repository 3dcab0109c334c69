import { setTimeout as sleep } from 'node:timers/promises';
import { preflight } from '../anatomy/preflight.js';
import { runBench, type BenchTarget } from '../bench/runner.js';
import { runThreads } from '../bench/scale-out/threads.js';
import { RedisPoolError, UsageError, EXIT } from '../errors.js';
import { startEphemeralCluster } from '../redis/ephemeral-cluster.js';
import type { BenchConfig } from '../schema/bench.js';
import { startDelayProxy } from './delay-proxy.js';
import { loadTlsFiles } from '../redis/tls.js';
import { targetFromUrlOptions } from '../redis/url.js';
import { checkBaselineComparable } from '../bench/gates/baseline.js';
import { applyGate, gateFailure } from '../bench/gates/gate.js';
import { plannedRunNames } from '../bench/gates/run-plan.js';
import {
  checkTargetDemand,
  startMatchingServer,
  targetDemand,
  type TargetDemand,
} from '../bench/config/scenario-target.js';
import { readBenchResult } from './files.js';
import { checkedBenchOutputs } from './bench-outputs.js';
import { parseFraction } from '../values.js';
import { parseBench, parseStartAt, type RawBenchOptions } from './bench-options.js';
import { withInterruptHandling } from './interrupt.js';
import { describeCountdown, ProgressLine } from './progress-line.js';

/** `redis-pool bench`: validate everything, start or reach the server, run, write every output, exit as the gate says. */
export async function runBenchCommand(raw: RawBenchOptions): Promise<void> {
  const { config, scenario } = parseBench(raw);
  const given = targetFromUrlOptions(raw.url);
  const demand = targetDemand(scenario);
  checkTargetDemand(demand, config, given);
  const external = given !== null ? { ...given, tlsFiles: loadTlsFiles(raw) } : null;
  if (external !== null && config.faults.length > 0) {
    throw new UsageError(
      `--fault needs a server redis-pool started itself: faults restart, ` +
        `pause or stall the server and kill clients, which is never done to a server given with ${external.urlSource}`,
    );
  }
  const outputs = checkedBenchOutputs(raw);
  const baseline = raw.baseline !== undefined ? readBenchResult('--baseline', raw.baseline) : null;
  if (baseline !== null) checkBaselineComparable(plannedRunNames(config), baseline, raw.baseline!);
  if (raw.maxRegression !== undefined && baseline === null)
    throw new UsageError('--max-regression goes with --baseline');
  const maxRegressionPct =
    raw.maxRegression !== undefined
      ? asPercent(parseFraction('--max-regression', raw.maxRegression, { allowZero: true, max: 10 }))
      : 10;
  const startAtMs = raw.startAt !== undefined ? parseStartAt(raw.startAt) : null;

  const { server, direct } =
    external !== null
      ? { server: null, direct: { target: external, mode: 'external' } as BenchTarget }
      : await throwawayTarget(config, demand);
  const progress = new ProgressLine(process.stderr, process.stderr.isTTY === true && raw.quiet !== true);
  const measured = await withInterruptHandling(server, async (signal) => {
    // Before anything else connects, so that a refused setup step (SELECT, AUTH, CLIENT SETNAME) writes nothing.
    await preflight(direct.target, {
      timeoutMs: config.connectTimeoutMs,
      connectionName: 'redis-pool:preflight',
      signal,
    });
    // Interrupted while waiting: the run then starts already stopped, and writes its (empty) result.
    if (startAtMs !== null) await waitForStart(startAtMs, raw.startAt!, progress, signal);
    const proxy =
      config.rttMs > 0
        ? await startDelayProxy({ targetHost: direct.target.host, targetPort: direct.target.port, rttMs: config.rttMs })
        : null;
    try {
      const benchTarget: BenchTarget = proxy
        ? {
            ...direct,
            target: { ...direct.target, host: proxy.host, port: proxy.port, servername: direct.target.host },
            shownAs: direct.target,
          }
        : direct;
      // Threads report once, at the end: no progress line.
      if ((config.threads ?? 1) > 1) return await runThreads(config, benchTarget, { signal });
      return await runBench(config, benchTarget, {
        signal,
        onProgress: progress.enabled ? progress.update : undefined,
      });
    } finally {
      await proxy?.close();
    }
  }).finally(() => progress.stop());
  const result = applyGate(
    measured,
    baseline !== null ? { result: baseline, file: raw.baseline!, maxRegressionPct } : null,
  );

  outputs.write(result);
  if (result.interrupted) throw new RedisPoolError('interrupted: partial results written', EXIT.interrupted);
  const failure = gateFailure(result);
  if (failure !== null) throw new RedisPoolError(failure, EXIT.thresholdFailed);
}

/**
 * Without --url: a throwaway redis-server that matches the scenario's target, or with --cluster a throwaway cluster
 * of three masters (its first node the seed).
 */
async function throwawayTarget(
  config: BenchConfig,
  demand: TargetDemand | null,
): Promise<{ server: { stop(): Promise<void> }; direct: BenchTarget }> {
  if (config.cluster) {
    const cluster = await startEphemeralCluster(3);
    return { server: cluster, direct: { target: cluster.nodes[0]!.target, mode: 'ephemeral' } };
  }
  const { server, target } = await startMatchingServer(demand, {
    enableDebugCommand: config.faults.some((f) => f.kind === 'stall'),
  });
  return { server, direct: { target, mode: 'ephemeral', restartServer: () => server.restart() } };
}

/**
 * --start-at: waits until the time given, with a countdown on the progress line (on a terminal, without -q) redrawn
 * every 250 ms and erased when the wait ends; an interrupt ends the wait at once.
 */
async function waitForStart(
  startAtMs: number,
  given: string,
  progress: ProgressLine,
  signal: AbortSignal,
): Promise<void> {
  for (let left = startAtMs - Date.now(); left > 0 && !signal.aborted; left = startAtMs - Date.now()) {
    progress.show(describeCountdown(given, left));
    await sleep(progress.enabled ? Math.min(left, 250) : left, undefined, { signal }).catch(() => undefined);
  }
  progress.clear();
}

/** 0.15 → 15 (not 15.000000000000002). */
function asPercent(fraction: number): number {
  return Number((fraction * 100).toPrecision(12));
}
