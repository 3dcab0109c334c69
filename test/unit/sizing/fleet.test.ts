import { describe, expect, it } from 'vitest';
import { fleetBudget } from '../../../src/sizing/fleet.js';

describe('fleet budget', () => {
  it('multiplies pools by instances per node and by shards per process', () => {
    const budget = fleetBudget(12, { instances: 40, shards: 3, maxclients: 10000, fdLimit: 1024 });
    expect(budget).toEqual({
      poolSize: 12,
      connectionsPerNode: 480,
      maxclientsFraction: 0.048,
      connectionsPerProcess: 36,
      fdFraction: 36 / 1024,
      totalConnections: 1440,
    });
  });
});
