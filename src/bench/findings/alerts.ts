import type { BenchConfig, LoadConfig, PoolResult, StrategyResult } from '../../schema/bench.js';
import type { Warning } from '../../schema/warning.js';
import { formatCount, formatDecimal, plural } from '../../format.js';
import { measuredWaitProbability } from './sweep.js';

/** The tutorial's alert levels for a connection pool. */
export const ALERT_LEVELS = {
  activeShareOfMax: 0.8,
  acquireWaitMs: 100,
  connectionErrorRate: 0.01,
  timeoutRate: 0.005,
} as const;

/** What the alerts need to know about the run besides the result. */
export type AlertContext = Pick<BenchConfig, 'concurrency' | 'load' | 'pool'>;

/**
 * The alerts a monitoring system would raise on this run: mean active connections above 80 % of the pool,
 * p99 acquire wait above 100 ms, connection errors above 1 %, timeouts above 0.5 % of requests. Each one says
 * only what can help this run: where the load cannot make a request wait for a busy connection (no more workers
 * than connections), a bigger pool cannot help, and a busy pool gets a note on what the figure means instead.
 */
export function alertWarnings(result: StrategyResult, context: AlertContext): Warning[] {
  return [
    ...activeAlert(result, context),
    ...acquireWaitAlert(result, context),
    ...connectionErrorAlert(result),
    ...timeoutAlert(result, context),
  ];
}

/**
 * Closed loop with no think time: every worker runs requests back to back, so it holds a connection all the time
 * (per-request and pooled alike) and the share of the pool in use is workers ÷ pool size by construction.
 */
export function isSaturatingClosedLoop(load: LoadConfig): boolean {
  const thinks = (load.thinkMs ?? 0) > 0 || (load.targetUtilization !== null && load.targetUtilization < 1);
  return load.ratePerSec === null && !thinks;
}

/** Requests can queue for a busy connection only when there are more workers than connections. */
export function canWaitForConnection(pool: PoolResult, concurrency: number): boolean {
  return concurrency > pool.max;
}

const workersAndConnections = (workers: number, connections: number): string =>
  `${plural(workers, 'worker')} and ${plural(connections, 'connection')}`;

const share = (result: StrategyResult, n: number): number => (result.requests === 0 ? 0 : n / result.requests);

/**
 * Mean connections in use = total hold time ÷ wall time = measured utilization × workers. Pooled only: per-request
 * has no pool to be full, and multiplexed's one connection is shared, never held exclusively.
 */
function activeAlert(result: StrategyResult, { concurrency, load }: AlertContext): Warning[] {
  const { pool } = result;
  const utilization = result.load.measuredUtilization;
  if (!pool || utilization === null) return [];
  const active = (utilization * concurrency) / pool.max;
  if (active <= ALERT_LEVELS.activeShareOfMax) return [];
  const percent = `${Math.round(active * 100)} %`;
  if (canWaitForConnection(pool, concurrency)) {
    const waited =
      pool.waitCount > 0
        ? `, and ${formatDecimal(measuredWaitProbability(result) * 100, 1)} % of the acquires waited for one`
        : '';
    return [
      {
        code: 'alert-pool-active',
        message: `${result.label}: on average ${percent} of the pool's connections were in use (alert level 80 %)${waited}`,
        remedy:
          `with ${workersAndConnections(concurrency, pool.max)} a burst makes requests wait: ` +
          `grow the pool (see size and the sweep, --pool-size 2..${concurrency}) ` +
          `or shorten the time each request holds a connection`,
      },
    ];
  }
  if (isSaturatingClosedLoop(load)) {
    return [
      {
        code: 'pool-busy-by-construction',
        level: 'note',
        message:
          `${result.label}: closed loop without think time: ` +
          `each of the ${plural(concurrency, 'worker')} always holds a connection, ` +
          `so ${formatCount(concurrency)} of the pool's ${plural(pool.max, 'connection')} ` +
          `are busy by construction (measured ${percent}) and no request waits for one`,
        remedy:
          'a bigger pool would only add idle connections; add --utilization or --rate (a realistic load) to see whether the pool is big enough',
      },
    ];
  }
  return [
    {
      code: 'pool-busy-no-wait',
      level: 'note',
      message:
        `${result.label}: on average ${percent} of the pool's connections were in use, ` +
        `but with ${workersAndConnections(concurrency, pool.max)} no request can wait for one`,
      remedy:
        'a bigger pool cannot help this load; to see what a burst does, ' +
        'run more workers than connections (--concurrency) or size for more threads with redis-pool size',
    },
  ];
}

function acquireWaitAlert(result: StrategyResult, { concurrency, pool: poolConfig }: AlertContext): Warning[] {
  const { pool, acquireWait } = result;
  if (!acquireWait || acquireWait.p99 <= ALERT_LEVELS.acquireWaitMs) return [];
  const message = `${result.label}: p99 acquire wait ${acquireWait.p99.toFixed(1)} ms (alert level 100 ms)`;
  if (pool && canWaitForConnection(pool, concurrency) && pool.waitCount > 0) {
    return [
      {
        code: 'alert-acquire-wait',
        message,
        remedy: 'the pool is too small for the load: grow it, or look for requests that hold a connection too long',
      },
    ];
  }
  // No acquire queued behind a busy connection: the wait is the pool opening connections, or testing them.
  const connect = result.connect ? ` (connect p99 ${result.connect.p99.toFixed(1)} ms)` : '';
  const borrowCheck = poolConfig.testOnBorrow ? ', or drop --test-on-borrow (a PING before every acquire)' : '';
  return [
    {
      code: 'alert-acquire-wait',
      message: `${message}, though no request waited for a busy connection`,
      remedy: `the wait is the pool opening connections${connect}: pre-open them with --min-idle or a warm-up${borrowCheck}; a bigger pool would not help`,
    },
  ];
}

function connectionErrorAlert(result: StrategyResult): Warning[] {
  const kinds = result.errorsByKind;
  const rate = share(result, (kinds.connection ?? 0) + (kinds['ephemeral-ports'] ?? 0));
  if (rate <= ALERT_LEVELS.connectionErrorRate) return [];
  return [
    {
      code: 'alert-connection-errors',
      message: `${result.label}: ${(rate * 100).toFixed(2)} % of requests failed on a connection error (alert level 1 %)`,
      remedy: connectionErrorRemedy(result),
    },
  ];
}

function connectionErrorRemedy(result: StrategyResult): string {
  if (result.faults.length > 0)
    return 'they follow the injected faults: see the fault table for how long the load took to recover';
  switch (result.strategy) {
    case 'per-request':
      return "every request opens a connection here: check the server, the network, maxclients and the client machine's local ports; a pool opens far fewer";
    case 'multiplexed':
      return 'every request in flight fails when the one shared connection breaks: check the server and the network';
    case 'pooled':
      return 'check the server, the network and maxclients; --test-on-borrow or --health-check-interval drop dead connections before use';
  }
}

function timeoutAlert(result: StrategyResult, { concurrency }: AlertContext): Warning[] {
  const kinds = result.errorsByKind;
  const acquireTimeouts = kinds['acquire-timeout'] ?? 0;
  const serverTimeouts = (kinds['command-timeout'] ?? 0) + (kinds['socket-timeout'] ?? 0);
  const rate = share(result, acquireTimeouts + serverTimeouts);
  if (rate <= ALERT_LEVELS.timeoutRate) return [];
  const remedies: string[] = [];
  if (result.faults.length > 0) remedies.push('they follow the injected faults: see the fault table');
  if (acquireTimeouts > 0 && result.pool) {
    remedies.push(
      canWaitForConnection(result.pool, concurrency)
        ? 'acquire timeouts: the pool is too small for the load (grow it) or --acquire-timeout too short'
        : `acquire timeouts with no more workers than connections: ` +
            `opening a connection took longer than --acquire-timeout ` +
            `(${formatCount(result.pool.acquireTimeoutMs)} ms); a bigger pool would not help`,
    );
  }
  if (serverTimeouts > 0)
    remedies.push(
      'command and socket timeouts: the server answered slower than --command-timeout/--socket-timeout, or stalled',
    );
  return [
    {
      code: 'alert-timeouts',
      message: `${result.label}: ${(rate * 100).toFixed(2)} % of requests timed out (alert level 0.5 %)`,
      remedy: remedies.join('; '),
    },
  ];
}
