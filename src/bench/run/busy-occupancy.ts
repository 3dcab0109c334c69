/**
 * How long a pool spent with each number of connections busy, and how many releases it saw at each: the
 * birth-death chain of the finite-source model leaves a state of k busy connections at the rate
 * releases(k) ÷ time(k), so k × time(k) ÷ releases(k) is the mean hold that state actually had. Unlike the mean
 * of the holds that began at k, it counts each moment of a hold at the load it really ran under.
 */
export class BusyOccupancy {
  /** Index = connections busy: the µs spent at that level, and the releases that left it. */
  readonly timeUs: number[];
  readonly releases: number[];
  private level: number | null = null;
  private sinceNs = 0n;

  constructor(maxBusy: number) {
    this.timeUs = new Array<number>(maxBusy + 1).fill(0);
    this.releases = new Array<number>(maxBusy + 1).fill(0);
  }

  /** A connection was handed to a request at `atNs`; `busy` counts it. */
  acquired(atNs: bigint, busy: number): void {
    this.moveTo(atNs, busy);
  }

  /** A request is giving its connection back at `atNs`; `busy` still counts it. */
  releasing(atNs: bigint, busy: number): void {
    this.moveTo(atNs, busy);
    this.releases[busy] = (this.releases[busy] ?? 0) + 1;
    this.level = busy - 1;
  }

  private moveTo(atNs: bigint, busy: number): void {
    if (this.level !== null)
      this.timeUs[this.level] = (this.timeUs[this.level] ?? 0) + Number(atNs - this.sinceNs) / 1000;
    this.level = busy;
    this.sinceNs = atNs;
  }
}
