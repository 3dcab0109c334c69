import type { StrategyResult } from '../../schema/bench.js';
import type { Warning } from '../../schema/warning.js';
import { formatCount, formatDecimal, formatMs, formatPercent, formatRate, plural } from '../../format.js';
import { cpuUsed } from './generator-health.js';
import { refusedForMaxclients } from './maxclients.js';

/** An open loop that left more than this share of the requests due in its window unstarted did not keep its rate. */
export const UNSTARTED_SHARE_LIMIT = 0.01;

/**
 * What one strategy's result says went wrong: an open-loop rate it could not keep, connections left open, ports run
 * out, faults not injected, failed requests.
 */
export function strategyWarnings(result: StrategyResult, concurrency?: number): Warning[] {
  const warnings: Warning[] = [...rateNotHeld(result, concurrency)];
  const { connections } = result;
  if (connections.serverClientsAfter > connections.serverClientsBefore) {
    warnings.push({
      code: 'clients-not-released',
      message:
        `${result.label}: the server had ${plural(connections.serverClientsAfter, 'client')} ` +
        `after the run, ${formatCount(connections.serverClientsBefore)} before`,
      remedy: 'another client may have connected meanwhile; otherwise this is a bug in redis-pool, please report it',
    });
  }
  warnings.push(...poolChurn(result));
  const portErrors = result.errorsByKind['ephemeral-ports'] ?? 0;
  if (portErrors > 0) {
    warnings.push({
      code: 'ephemeral-ports-exhausted',
      message:
        `${result.label}: ${plural(portErrors, 'connection')} failed with EADDRNOTAVAIL: ` +
        `the machine ran out of local ports, ` +
        `because every closed connection keeps its port in TIME_WAIT for about 60 s`,
      remedy:
        'reuse connections (a pool); or widen net.ipv4.ip_local_port_range and enable net.ipv4.tcp_tw_reuse on the client machine',
    });
  }
  for (const fault of result.faults.filter((f) => f.error !== null)) {
    warnings.push({
      code: 'fault-not-injected',
      message: `${result.label}: the fault ${fault.fault} could not be injected (${fault.error})`,
      remedy:
        'give it a time inside the measured window; stall needs DEBUG (enabled on the throwaway server for Redis 7)',
    });
  }
  if (result.errors > 0) {
    const kinds = Object.entries(result.errorsByKind)
      .map(([kind, n]) => `${formatCount(n)} ${kind}`)
      .join(', ');
    warnings.push({
      code: 'request-errors',
      message: `${result.label}: ${formatCount(result.errors)} of ${plural(result.requests, 'request')} failed (${kinds})`,
      remedy: errorRemedy(result),
    });
  }
  return warnings;
}

/**
 * A pool that closed at least as many connections in its window as it may hold, with no failed request to explain
 * them, closed idle connections and opened them again: an idle timeout (node-redis' cleanupDelay) shorter than the
 * quiet spells of the load. Every one of them is a connect and a TIME_WAIT that a kept connection does not cost.
 */
function poolChurn(result: StrategyResult): Warning[] {
  const { pool, connections } = result;
  if (pool === null || result.errors > 0 || connections.closedInWindow < Math.max(2, pool.max)) return [];
  const seconds = result.durationMs / 1000;
  const connect = result.connect !== null ? `, each a connect (p50 ${formatMs(result.connect.p50)})` : '';
  return [
    {
      code: 'pool-churn',
      message:
        `${result.label}: the pool closed ${formatCount(connections.closedInWindow)} and opened ` +
        `${formatCount(connections.openedInWindow)} connections in its ${formatDecimal(seconds, 1)} s window ` +
        `(${formatDecimal(connections.openedInWindow / seconds, 1)} a second) for at most ${formatCount(pool.max)} at once` +
        `${connect}: it closed idle connections between the bursts of the load and opened them again`,
      remedy:
        'keep idle connections longer than the quiet spells between bursts (--idle-timeout, node-redis’ cleanupDelay), ' +
        'or keep as many as a burst needs (--min-idle)',
    },
  ];
}

/** An open loop that left more than 1 % of the requests due in its window unstarted: its latencies are a backlog's. */
export function fellBehind(result: StrategyResult): boolean {
  const { requestedRate, unstartedRequests } = result.load;
  if (requestedRate === null || unstartedRequests === undefined) return false;
  const due = result.requests + unstartedRequests;
  return due > 0 && unstartedRequests > UNSTARTED_SHARE_LIMIT * due;
}

/**
 * An open loop run for a time ends on time: a strategy that could not keep the rate leaves requests due in the
 * window unstarted. That is a finding about the strategy (per-request cannot open connections that fast), said with
 * how far behind it fell; the latency of the requests that did start counts from their due time.
 */
function rateNotHeld(result: StrategyResult, concurrency: number | undefined): Warning[] {
  const { requestedRate, unstartedRequests, achievedRate } = result.load;
  if (requestedRate === null || unstartedRequests === undefined || !fellBehind(result)) return [];
  const due = result.requests + unstartedRequests;
  const workers = concurrency !== undefined ? ` with ${plural(concurrency, 'worker')}` : '';
  const cpuBound = (result.generator?.eventLoopUtilization ?? 0) >= 0.9;
  const why: Record<StrategyResult['strategy'], string> = {
    'per-request':
      `reuse connections (a pool, or one shared connection: see their rows); ` +
      `one per request cannot keep this rate${workers}, ` +
      `each request holding a worker ${formatMs(result.load.holdMeanMs)} (connect, command, close)` +
      (cpuBound
        ? `, and opening them kept the client's event ` +
          `loop ${formatPercent(result.generator!.eventLoopUtilization)} busy ` +
          `(${cpuUsed(result.generator!)}): a cost that a service opening a connection per request pays too`
        : '; more workers (--concurrency) would open more at once'),
    pooled:
      `the pool (max ${formatCount(result.pool?.max ?? 0)})${workers} cannot serve this rate: ` +
      `grow --pool-size (see redis-pool size --rate) or --concurrency`,
    multiplexed:
      `one shared connection${workers} cannot serve this rate here: ` +
      `more workers (--concurrency) put more requests in flight on it; ` +
      `or the generator itself is the limit (see the load generator table)`,
  };
  return [
    {
      code: 'rate-not-held',
      message:
        `${result.label}: the open loop asked for ${formatRate(requestedRate)} requests/s and got ${formatCount(achievedRate)}: ` +
        `${formatCount(unstartedRequests)} of the ${plural(due, 'request')} due in the window never started, ` +
        `and those that did took up to ${formatMs(result.latency.max)} ` +
        'counted from their due time (p50 ' +
        formatMs(result.latency.p50) +
        ')',
      remedy: why[result.strategy],
    },
  ];
}

function errorRemedy(result: StrategyResult): string {
  const kinds = result.errorsByKind;
  if (kinds['acquire-timeout'] || kinds['pool-exhausted'])
    return 'the pool is too small for this load, or --acquire-timeout too short: see the sweep (--pool-size 2..20)';
  if (refusedForMaxclients(result) > 0)
    return 'the server refused connections at its maxclients limit (most read as connection resets): see the maxclients warning';
  if (result.faults.length > 0) return 'these follow the injected faults: see the fault table for the recovery times';
  if (kinds['command-timeout'] || kinds['socket-timeout'])
    return 'the server answered slower than --command-timeout/--socket-timeout';
  return 'check the server and the network; errorsByKind says which failures';
}
