import type { StrategyResult } from '../schema/bench.js';
import type { Warning } from '../schema/warning.js';
import { formatCount, plural } from '../format.js';
import { refusedForMaxclients } from './maxclients.js';

/** What one strategy's result says went wrong: connections left open, ports run out, faults not injected, failed requests. */
export function strategyWarnings(result: StrategyResult): Warning[] {
  const warnings: Warning[] = [];
  const { connections } = result;
  if (connections.serverClientsAfter > connections.serverClientsBefore) {
    warnings.push({
      code: 'clients-not-released',
      message: `${result.label}: the server had ${plural(connections.serverClientsAfter, 'client')} after the run, ${formatCount(connections.serverClientsBefore)} before`,
      remedy: 'another client may have connected meanwhile; otherwise this is a bug in redis-pool, please report it',
    });
  }
  const portErrors = result.errorsByKind['ephemeral-ports'] ?? 0;
  if (portErrors > 0) {
    warnings.push({
      code: 'ephemeral-ports-exhausted',
      message: `${result.label}: ${plural(portErrors, 'connection')} failed with EADDRNOTAVAIL: the machine ran out of local ports, because every closed connection keeps its port in TIME_WAIT for about 60 s`,
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
      message: `${result.label}: ${formatCount(result.errors)} of ${plural(result.requests, 'request')} failed (${kinds})`,
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
