import type { StrategyResult } from '../report/bench-schema.js';
import type { Warning } from '../report/warnings.js';

/** The tutorial's alert levels for a connection pool. */
export const ALERT_LEVELS = {
  activeShareOfMax: 0.8,
  acquireWaitMs: 100,
  connectionErrorRate: 0.01,
  timeoutRate: 0.005,
} as const;

/**
 * The alerts a monitoring system would raise on this run: mean active connections above 80 % of the pool,
 * p99 acquire wait above 100 ms, connection errors above 1 %, timeouts above 0.5 % of requests.
 */
export function alertWarnings(result: StrategyResult, concurrency: number): Warning[] {
  const warnings: Warning[] = [];
  const share = (n: number): number => (result.requests === 0 ? 0 : n / result.requests);
  const kinds = result.errorsByKind;
  if (result.pool) {
    // Mean connections in use = total hold time ÷ wall time = measured utilization × workers.
    const active = (result.load.measuredUtilization * concurrency) / result.pool.max;
    if (active > ALERT_LEVELS.activeShareOfMax) {
      warnings.push({
        code: 'alert-pool-active',
        message: `${result.label}: on average ${Math.round(active * 100)} % of the pool's connections were in use (alert level 80 %)`,
        remedy: 'a burst will make requests wait: grow the pool (see size and the sweep) or shorten the time each request holds a connection',
      });
    }
  }
  if (result.acquireWait && result.acquireWait.p99 > ALERT_LEVELS.acquireWaitMs) {
    warnings.push({
      code: 'alert-acquire-wait',
      message: `${result.label}: p99 acquire wait ${result.acquireWait.p99.toFixed(1)} ms (alert level 100 ms)`,
      remedy: 'the pool is too small for the load: grow it, or look for requests that hold a connection too long',
    });
  }
  const connectionErrors = share((kinds.connection ?? 0) + (kinds['ephemeral-ports'] ?? 0));
  if (connectionErrors > ALERT_LEVELS.connectionErrorRate) {
    warnings.push({
      code: 'alert-connection-errors',
      message: `${result.label}: ${(connectionErrors * 100).toFixed(2)} % of requests failed on a connection error (alert level 1 %)`,
      remedy: 'check the server, the network and maxclients; enable test-on-borrow or health checks to drop dead connections before use',
    });
  }
  const timeouts = share((kinds['acquire-timeout'] ?? 0) + (kinds['command-timeout'] ?? 0) + (kinds['socket-timeout'] ?? 0));
  if (timeouts > ALERT_LEVELS.timeoutRate) {
    warnings.push({
      code: 'alert-timeouts',
      message: `${result.label}: ${(timeouts * 100).toFixed(2)} % of requests timed out (alert level 0.5 %)`,
      remedy: 'acquire timeouts mean the pool is too small; command and socket timeouts mean a slow or stalled server',
    });
  }
  return warnings;
}
