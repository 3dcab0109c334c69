/** Client-side connection counts over a factory's whole life: every socket its clients opened and closed. */
export interface ConnectionCounts {
  opened: number;
  closed: number;
  /** Most sockets open at once since the factory was made. */
  peakOpen: number;
  connectErrors: number;
}

/** The counts of one set of sockets (all of a factory's, or those to one cluster node), with the peak since a mark. */
export class ConnectionTally {
  readonly counts: ConnectionCounts = { opened: 0, closed: 0, peakOpen: 0, connectErrors: 0 };
  openNow = 0;
  /** Most sockets open at once since markPeak(); counts.peakOpen keeps the peak over the whole life. */
  peakOpenSinceMark = 0;

  /** Start a second peak afresh (at the start of the measured window), from the connections open now. */
  markPeak(): void {
    this.peakOpenSinceMark = this.openNow;
  }

  socketOpened(): void {
    this.counts.opened++;
    this.openNow++;
    if (this.openNow > this.counts.peakOpen) this.counts.peakOpen = this.openNow;
    if (this.openNow > this.peakOpenSinceMark) this.peakOpenSinceMark = this.openNow;
  }

  socketClosed(): void {
    this.counts.closed++;
    this.openNow--;
  }
}

/**
 * What the measured window reads of a strategy's connections, whichever client library opened them: the counts,
 * the sockets open now, the peak since a mark, and against a cluster the same per node.
 */
export interface CountedConnections {
  readonly counts: ConnectionCounts;
  readonly openNow: number;
  readonly peakOpenSinceMark: number;
  /** Per cluster node (host:port); empty against a single server. */
  readonly byNode: Map<string, ConnectionTally>;
  /** Start the window's peaks afresh. */
  markPeak(): void;
}
