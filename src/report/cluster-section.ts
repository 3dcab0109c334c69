import type { BenchResult, ClusterNodeResult, StrategyResult } from '../schema/bench.js';
import { formatCount, formatPercent, formatTrimmedMs } from '../format.js';
import { cell, type Cell, type TableSection } from './section.js';

const dash = '–';

/** Slots a node serves, from the topology the run began with. */
function slotCount(result: BenchResult, node: ClusterNodeResult): number {
  const known = result.target.cluster?.nodes.find((n) => n.id === node.id);
  return known ? known.slots.reduce((sum, [first, last]) => sum + last - first + 1, 0) : 0;
}

/** "2 / 0 / 0 / 0": MOVED / ASK / TRYAGAIN / CLUSTERDOWN. */
function redirectCell(node: ClusterNodeResult): Cell {
  const { moved, ask, tryagain, clusterdown } = node.redirects;
  const any = moved + ask + tryagain + clusterdown > 0;
  return cell([moved, ask, tryagain, clusterdown].map(formatCount).join(' / '), any ? 'warn' : undefined);
}

/** A master, or a replica that took part (promoted by a failover, or reached by a client); idle replicas are left out. */
function shown(result: BenchResult, node: ClusterNodeResult): boolean {
  const master = result.target.cluster?.nodes.some((n) => n.id === node.id && n.role === 'master') ?? true;
  return master || node.requests > 0 || node.connections.opened > 0 || node.connections.serverAccepted > 0;
}

function nodeRow(result: BenchResult, run: StrategyResult, node: ClusterNodeResult): Cell[] {
  const predicted = run.predictedConnections ?? null;
  const measured = node.connections.peakOpenInWindow;
  return [
    cell(run.label, 'name'),
    cell(node.node),
    cell(formatCount(slotCount(result, node))),
    cell(formatCount(node.requests)),
    cell(run.latency.count > 0 ? formatPercent(node.requests / run.latency.count) : dash),
    cell(node.latency ? formatTrimmedMs(node.latency.p50) : dash),
    cell(node.latency ? formatTrimmedMs(node.latency.p99) : dash),
    cell(formatCount(node.connections.openedInWindow)),
    cell(formatCount(measured), predicted && measured > predicted.perNode ? 'bad' : undefined),
    cell(formatCount(node.connections.serverPeakClients)),
    cell(predicted ? formatCount(predicted.perNode) : dash),
    redirectCell(node),
  ];
}

/**
 * A cluster run node by node: the share of the requests each shard served and their latency, its connections
 * measured on both sides beside what `size --shards` predicts for it, and the redirections it sent. Null against a
 * single server.
 */
export function clusterSection(result: BenchResult): TableSection | null {
  const runs = result.results.filter((r) => r.cluster);
  if (runs.length === 0) return null;
  const notes: (string | Cell)[] = [
    'predicted: the connections size --shards <masters> --instances ' +
      '<threads> gives each node for this strategy (a pool per shard: ' +
      'its size; multiplexed: 1); per-request holds no pool.',
    'redirects: MOVED / ASK / TRYAGAIN / CLUSTERDOWN replies the node sent over the whole run; followed, they cost a round trip, not a failed request.',
    ...runs
      .filter((r) => r.cluster!.topologyChanged)
      .map((r) =>
        cell(
          `${r.label}: the slot map changed during the run (a resharding or a failover); its redirections were followed.`,
          'warn',
        ),
      ),
  ];
  return {
    title: 'Cluster nodes',
    head: [
      'run',
      'node',
      'slots',
      'requests',
      'share',
      'p50 ms',
      'p99 ms',
      'opened\n(window)',
      'peak open\n(window)',
      'server\npeak',
      'predicted\nper node',
      'redirects\nM / A / T / D',
    ],
    rows: runs.flatMap((run) =>
      run.cluster!.nodes.filter((node) => shown(result, node)).map((node) => nodeRow(result, run, node)),
    ),
    textColumns: 2,
    notes,
  };
}
