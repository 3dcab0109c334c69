/**
 * Fleet budget: every instance of the service keeps its own pool, and a cluster client keeps one pool per shard,
 * so each Redis node sees instances × poolSize client connections and each process holds poolSize × shards sockets.
 */
import type { FleetBudget, FleetInputs } from '../schema/size.js';

/** The tutorial's alert level: more than 80 % of a limit in use. */
export const LIMIT_WARNING_FRACTION = 0.8;

export function fleetBudget(poolSize: number, fleet: FleetInputs): FleetBudget {
  const connectionsPerNode = fleet.instances * poolSize;
  const connectionsPerProcess = poolSize * fleet.shards;
  return {
    poolSize,
    connectionsPerNode,
    maxclientsFraction: connectionsPerNode / fleet.maxclients,
    connectionsPerProcess,
    fdFraction: connectionsPerProcess / fleet.fdLimit,
    totalConnections: connectionsPerNode * fleet.shards,
  };
}
