/** Slots after a fault's slot in which its effect must show to count as its own. */
const ONSET_SLOTS = 5;

/** Successes and failures per fixed time slot of the measured window, for recovery times (and charts). */
export class Timeline {
  readonly ok: number[] = [];
  readonly errors: number[] = [];

  constructor(
    readonly startNs: bigint,
    readonly slotMs = 10,
  ) {}

  slotOf(ns: bigint): number {
    return Math.max(0, Math.floor(Number(ns - this.startNs) / 1e6 / this.slotMs));
  }

  record(ns: bigint, ok: boolean): void {
    const slot = this.slotOf(ns);
    while (this.ok.length <= slot) {
      this.ok.push(0);
      this.errors.push(0);
    }
    if (ok) this.ok[slot]!++;
    else this.errors[slot]!++;
  }
}

/**
 * How long after a fault requests flowed normally again, in ms: until the end of the bad streak that starts at
 * the fault (slots with failures or no successes at all), or of the last failure before `endSlot` if later.
 * Null when nothing succeeded after the fault.
 */
export function recoveryMs(timeline: Timeline, faultSlot: number, endSlot: number): number | null {
  const last = Math.min(endSlot, timeline.ok.length) - 1;
  const bad = (slot: number): boolean => (timeline.errors[slot] ?? 0) > 0 || (timeline.ok[slot] ?? 0) === 0;
  // The fault's own slot may hold successes from before it took effect: look a few slots ahead for its trace.
  let recovered = faultSlot;
  while (recovered <= Math.min(last, faultSlot + ONSET_SLOTS) && !bad(recovered)) recovered++;
  if (recovered > Math.min(last, faultSlot + ONSET_SLOTS)) recovered = faultSlot;
  while (recovered <= last && bad(recovered)) recovered++;
  for (let slot = last; slot > recovered; slot--) {
    if ((timeline.errors[slot] ?? 0) > 0) {
      recovered = slot + 1;
      break;
    }
  }
  if (recovered > last) return null;
  return (recovered - faultSlot) * timeline.slotMs;
}
