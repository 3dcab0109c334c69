import { newHistogram, type Histogram } from '../../histograms.js';
import { nodeAddress, slotOf, slotOwners } from '../../redis/cluster-topology.js';
import { REDIRECT_KINDS } from '../../schema/names.js';
import type { ClusterTopology, RedirectCounts, RedirectKind } from '../../schema/bench.js';

export function noRedirects(): RedirectCounts {
  return { moved: 0, ask: 0, tryagain: 0, clusterdown: 0 };
}

/** A cluster's redirection, parsed from its error reply: `MOVED 3999 127.0.0.1:6381`, `ASK …`, `TRYAGAIN …`, `CLUSTERDOWN …`. */
export interface Redirect {
  kind: RedirectKind;
  /** MOVED and ASK: the slot and the node that serves it now (host:port). */
  slot: number | null;
  to: string | null;
}

export function parseRedirect(error: unknown): Redirect | null {
  if (!(error instanceof Error)) return null;
  const [word, slot, to] = error.message.split(' ');
  const kind = word?.toLowerCase() as RedirectKind;
  if (!REDIRECT_KINDS.includes(kind)) return null;
  return kind === 'moved' || kind === 'ask'
    ? { kind, slot: Number(slot), to: to ?? null }
    : { kind, slot: null, to: null };
}

/**
 * Which shard serves each hash tag of the workload, as a cluster client knows it: the slot map read at the start,
 * updated by every MOVED (the slot's new owner, at once) and read again after it, as go-redis and Jedis do. It
 * also keeps the per-shard tallies: redirections per node, and the latency of the requests each shard served.
 */
export class ClusterRouting {
  /** Shard index → node (host:port), in the order the nodes were first seen. */
  readonly addresses: string[] = [];
  /** Hash tag index → shard index, kept current by MOVED and refreshes. */
  readonly shardOfTag: number[];
  readonly redirects = new Map<string, RedirectCounts>();
  /** Redirections no node could be named for. */
  readonly unattributed = noRedirects();
  private readonly tagSlots: number[];
  private owners: string[];
  private refreshing: Promise<void> | null = null;

  constructor(
    topology: ClusterTopology,
    tags: readonly string[],
    /** Reads the slot map again (CLUSTER NODES on any node). */
    private readonly readTopology: () => Promise<ClusterTopology>,
  ) {
    for (const node of topology.nodes) if (node.role === 'master') this.shardIndex(nodeAddress(node));
    if (tags.length === 0) throw new Error('a cluster workload needs at least one hash tag');
    this.tagSlots = tags.map((tag) => slotOf(`{${tag}}`));
    this.owners = slotOwners(topology);
    this.shardOfTag = this.tagSlots.map((slot) => this.shardIndex(this.owners[slot]!));
  }

  /** The node that serves hash tag `tag`. */
  nodeOfTag(tag: number): string {
    return this.addresses[this.shardOfTag[tag]!]!;
  }

  /** The node that served `slot` before any redirection told otherwise. */
  nodeOfSlot(slot: number): string {
    return this.owners[slot]!;
  }

  shardIndex(address: string): number {
    let index = this.addresses.indexOf(address);
    if (index < 0) index = this.addresses.push(address) - 1;
    return index;
  }

  /**
   * Count a redirection sent by `from` (when known; else the slot's owner for MOVED and ASK) and act on it: MOVED
   * gives the slot to its new owner at once and reads the whole map again; CLUSTERDOWN reads it again.
   */
  noteRedirect(redirect: Redirect, from: string | null): void {
    const sender = from ?? (redirect.slot !== null ? this.owners[redirect.slot] : null) ?? null;
    const counts = sender ? this.countsOf(sender) : this.unattributed;
    counts[redirect.kind]++;
    if (redirect.kind === 'moved' && redirect.slot !== null && redirect.to !== null) {
      this.assign(redirect.slot, redirect.to);
      void this.refresh();
    } else if (redirect.kind === 'clusterdown') {
      void this.refresh();
    }
  }

  /** Read the slot map again; calls while one reading is under way share it. A failed reading keeps the old map. */
  refresh(): Promise<void> {
    this.refreshing ??= this.readTopology()
      .then((topology) => {
        this.owners = slotOwners(topology);
        this.tagSlots.forEach((slot, tag) => (this.shardOfTag[tag] = this.shardIndex(this.owners[slot]!)));
      })
      .catch(() => undefined)
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** Every redirection, attributed or not. */
  totalRedirects(): RedirectCounts {
    const total = { ...this.unattributed };
    for (const counts of this.redirects.values()) for (const kind of REDIRECT_KINDS) total[kind] += counts[kind];
    return total;
  }

  /** Latency histograms by shard for one measured window: record(tag, µs) files each request under its shard now. */
  shardLatency(): { record(tag: number, latencyUs: number): void; histograms: Map<string, Histogram> } {
    const byShard: Histogram[] = [];
    const histograms = new Map<string, Histogram>();
    return {
      histograms,
      record: (tag, latencyUs) => {
        const shard = this.shardOfTag[tag]!;
        let histogram = byShard[shard];
        if (histogram === undefined) {
          histogram = newHistogram();
          byShard[shard] = histogram;
          histograms.set(this.addresses[shard]!, histogram);
        }
        histogram.recordValue(latencyUs);
      },
    };
  }

  private countsOf(address: string): RedirectCounts {
    let counts = this.redirects.get(address);
    if (!counts) {
      counts = noRedirects();
      this.redirects.set(address, counts);
    }
    return counts;
  }

  private assign(slot: number, address: string): void {
    this.owners[slot] = address;
    const shard = this.shardIndex(address);
    this.tagSlots.forEach((tagSlot, tag) => {
      if (tagSlot === slot) this.shardOfTag[tag] = shard;
    });
  }
}
