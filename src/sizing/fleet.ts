/**
 * Fleet budget: every instance of the service keeps its own pool, and a cluster client keeps one pool per shard,
 * so each Redis node sees instances × poolSize client connections and each process holds poolSize × shards sockets.
 */

export interface FleetInputs {
  instances: number;
  shards: number;
  maxclients: number;
  fdLimit: number;
}

export interface FleetBudget {
  poolSize: number;
  /** Client connections one Redis node (each shard's primary) receives from the whole fleet. */
  connectionsPerNode: number;
  /** maxclients used on each node, as a fraction. */
  maxclientsFraction: number;
  /** Connections (file descriptors) one service process holds: one pool per shard. */
  connectionsPerProcess: number;
  fdFraction: number;
  /** All client connections across the fleet and every shard. */
  totalConnections: number;
}

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
