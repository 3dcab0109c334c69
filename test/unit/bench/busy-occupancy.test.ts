import { describe, expect, it } from 'vitest';
import { BusyOccupancy } from '../../../src/bench/run/busy-occupancy.js';
import { summarizeHoldByBusy } from '../../../src/bench/run/hold-by-busy.js';

const ms = (value: number): bigint => BigInt(Math.round(value * 1e6));

describe('the time a pool spends at each number of busy connections', () => {
  it('counts each moment of a hold at the level it ran under, and the releases that left each level', () => {
    const occupancy = new BusyOccupancy(2);
    // A holds 0–3 ms, B holds 1–2 ms: 1 ms with one busy, 1 ms with two, 1 ms with one again.
    occupancy.acquired(ms(0), 1);
    occupancy.acquired(ms(1), 2);
    occupancy.releasing(ms(2), 2);
    occupancy.releasing(ms(3), 1);
    occupancy.acquired(ms(10), 1); // 7 ms with none busy
    expect(occupancy.timeUs).toEqual([7000, 2000, 1000]);
    expect(occupancy.releases).toEqual([0, 1, 1]);
    // Level 2 was left once after 1 ms: a hold there lasts 2 × 1 ms (two holds share the rate of leaving);
    // level 1 was left once after 2 ms.
    expect(summarizeHoldByBusy(occupancy).holdByBusy).toEqual([
      { busy: 1, holds: 1, meanMs: 2 },
      { busy: 2, holds: 1, meanMs: 2 },
    ]);
  });

  it('starts counting at the first event it sees, so a window that opens mid-hold adds no time before it', () => {
    const occupancy = new BusyOccupancy(3);
    occupancy.releasing(ms(5), 3);
    occupancy.releasing(ms(6), 2);
    expect(occupancy.timeUs).toEqual([0, 0, 1000, 0]);
    expect(occupancy.releases).toEqual([0, 0, 1, 1]);
  });

  it('a handover (released to a waiting request at once) leaves the level where it was', () => {
    const occupancy = new BusyOccupancy(1);
    occupancy.acquired(ms(0), 1);
    occupancy.releasing(ms(2), 1);
    occupancy.acquired(ms(2), 1);
    occupancy.releasing(ms(4), 1);
    expect(occupancy.timeUs).toEqual([0, 4000]);
    expect(occupancy.releases).toEqual([0, 2]);
    expect(summarizeHoldByBusy(occupancy).holdByBusy).toEqual([{ busy: 1, holds: 2, meanMs: 2 }]);
  });
});
