import { describe, expect, it } from 'vitest';
import { SharedConnection } from '../../../src/bench/strategies/shared-connection.js';

/** Connections numbered in the order they were opened; the first `failures` openings fail. */
function opener(failures = 0) {
  let opened = 0;
  return {
    open: async (): Promise<number> => {
      opened += 1;
      if (opened <= failures) throw new Error(`opening ${opened} failed`);
      return opened;
    },
    count: () => opened,
  };
}

describe('SharedConnection: one connection for every worker of a multiplexed strategy', () => {
  it('opens once for every worker that asks meanwhile, and hands it over without a promise once open', async () => {
    const { open, count } = opener();
    const shared = new SharedConnection(open);
    expect(shared.now()).toBeUndefined();
    expect(await Promise.all([shared.get(), shared.get(), shared.get()])).toEqual([1, 1, 1]);
    expect(count()).toBe(1);
    expect(shared.now()).toBe(1);
  });

  it('opens one replacement once the broken one is dropped; dropping another is nothing', async () => {
    const { open, count } = opener();
    const shared = new SharedConnection(open);
    await shared.get();
    shared.drop(99);
    expect(shared.now()).toBe(1);
    shared.drop(1);
    expect(shared.now()).toBeUndefined();
    expect(await Promise.all([shared.get(), shared.get()])).toEqual([2, 2]);
    expect(count()).toBe(2);
  });

  it('tries again after a failed opening, and closes every connection it opened, the replaced one too', async () => {
    const { open } = opener(1);
    const shared = new SharedConnection(open);
    await expect(shared.get()).rejects.toThrow('opening 1 failed');
    expect(await shared.get()).toBe(2);
    shared.drop(2);
    expect(await shared.get()).toBe(3);
    const closed: number[] = [];
    await shared.close(async (connection) => closed.push(connection));
    expect(closed.sort()).toEqual([2, 3]);
    expect(shared.now()).toBeUndefined();
  });
});
