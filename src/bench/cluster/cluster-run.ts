import type { ClientFactory } from '../strategies/client-factory.js';
import type { ClusterRunResult, ClusterTopology, ConnectionsResult } from '../../schema/bench.js';
import { clusterRunResult, sumConnections } from './cluster-result.js';
import { slotsMoved, type ClusterTarget } from './cluster-target.js';
import type { ShardLatency } from '../run/load-loop.js';
import { ClusterRouting } from '../strategies/cluster-routing.js';
import type { ClusterStrategyContext } from '../strategies/index.js';
import { connectionsResult, type ConnectionEdges } from '../run/strategy-result.js';
import type { MeasuredWindow } from '../run/window.js';
import type { Workload } from '../run/workload.js';

const NO_CONNECTIONS = { opened: 0, closed: 0, peakOpen: 0, connectErrors: 0 };

/**
 * What one strategy's run against a cluster adds to a single server's: the slot map read when it starts and kept
 * current by the redirections it meets, the latency filed by shard, and at the end the counts node by node.
 */
export class ClusterRun {
  readonly strategy: ClusterStrategyContext;
  readonly byShard: ShardLatency & { histograms: ReturnType<ClusterRouting['shardLatency']>['histograms'] };

  private constructor(
    private readonly cluster: ClusterTarget,
    private readonly topologyBefore: ClusterTopology,
    private readonly routing: ClusterRouting,
    workload: Workload,
  ) {
    this.strategy = { routing, runRequest: (client, tag, asking) => workload.run(client, tag, asking) };
    this.byShard = routing.shardLatency();
  }

  static async start(cluster: ClusterTarget, workload: Workload): Promise<ClusterRun> {
    const topology = await cluster.readTopology();
    return new ClusterRun(
      cluster,
      topology,
      new ClusterRouting(topology, workload.tags, () => cluster.readTopology()),
      workload,
    );
  }

  /** Each node's connections (its client sockets, its server counters), their sum, and the run node by node. */
  async result(
    factory: ClientFactory,
    window: MeasuredWindow,
    serverEdges: (i: number) => ConnectionEdges['server'],
  ): Promise<{ connections: ConnectionsResult; cluster: ClusterRunResult }> {
    const { nodes } = this.cluster;
    const connections = nodes.map((node, i) =>
      connectionsResult({ client: nodeClientEdges(factory, window, node.address), server: serverEdges(i) }),
    );
    const moved =
      slotsMoved(this.topologyBefore, await this.cluster.readTopology()) || this.routing.totalRedirects().moved > 0;
    return {
      connections: sumConnections(connections),
      cluster: clusterRunResult({
        nodes,
        connections,
        routing: this.routing,
        latencyByNode: this.byShard.histograms,
        topologyChanged: moved,
      }),
    };
  }
}

/** The client's counts of the sockets to one cluster node, at the window's edges and after the close. */
function nodeClientEdges(factory: ClientFactory, window: MeasuredWindow, address: string): ConnectionEdges['client'] {
  const start = window.start.nodes.get(address);
  const end = window.end.nodes.get(address);
  return {
    start: start?.counts ?? NO_CONNECTIONS,
    end: end?.counts ?? NO_CONNECTIONS,
    closed: { ...(factory.byNode.get(address)?.counts ?? NO_CONNECTIONS) },
    openAtStart: start?.openNow ?? 0,
    peakOpenInWindow: end?.peakOpenSinceStart ?? 0,
  };
}
