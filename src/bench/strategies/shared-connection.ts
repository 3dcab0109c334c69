/**
 * The one connection a multiplexed strategy shares between every worker, whatever the client: opened once, and
 * when it broke, one replacement opened for all the workers that ask at once. Every connection it opened is kept,
 * so that none outlives close() after a replacement.
 */
export class SharedConnection<C> {
  /** The shared connection, or the one being opened, for every worker that asks meanwhile. */
  private shared: Promise<C> | null = null;
  private current: C | null = null;
  private readonly opened = new Set<C>();

  constructor(private readonly open: () => Promise<C>) {}

  get(): Promise<C> {
    if (this.shared === null) {
      const opening = this.open().then((connection) => {
        this.opened.add(connection);
        if (this.shared === opening) this.current = connection;
        return connection;
      });
      this.shared = opening;
      opening.catch(() => {
        if (this.shared === opening) this.shared = null;
      });
    }
    return this.shared;
  }

  /** The shared connection once it is open, without a promise: the load loop's hot path. */
  now(): C | undefined {
    return this.current ?? undefined;
  }

  /** A broken connection is forgotten at once (synchronously), so that the next get() opens a new one. */
  drop(connection: C): void {
    if (this.current !== connection) return;
    this.shared = null;
    this.current = null;
  }

  /** Waits for an opening under way, then closes every connection opened. */
  async close(closeOne: (connection: C) => Promise<unknown>): Promise<void> {
    const opening = this.shared;
    this.shared = null;
    this.current = null;
    await opening?.catch(() => null);
    await Promise.all([...this.opened].map(closeOne));
    this.opened.clear();
  }
}
