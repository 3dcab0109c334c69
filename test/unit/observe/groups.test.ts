import { describe, expect, it } from 'vitest';
import { estimateGroup } from '../../../src/observe/estimate.js';
import { groupFindings, serverFindings } from '../../../src/observe/findings.js';
import { groupSamples } from '../../../src/observe/groups.js';
import { parseCommandStats, type Sample } from '../../../src/observe/samples.js';
import type { ClientEntry } from '../../../src/redis/client-list.js';

const client = (id: string, name: string, over: Partial<ClientEntry> = {}): ClientEntry => ({
  id, host: '10.0.0.1', addr: `10.0.0.1:${1000 + Number(id)}`, name, age: 10, idle: 0, flags: 'N', db: 0, cmd: 'get', libName: null, libVer: null, totCmds: null, ...over,
});

/** Samples one second apart, each with its clients and the server's total_connections_received. */
function samples(perSample: ClientEntry[][], accepted: number[]): Sample[] {
  return perSample.map((clients, i) => ({ atMs: i * 1000, clients, info: new Map([['total_connections_received', String(accepted[i])], ['connected_clients', String(clients.length)]]) }));
}

describe('client groups from samples', () => {
  it('a churning group: new ids younger than the interval, and its share of what the server accepted unseen', () => {
    const s = samples([[client('1', 'web', { age: 0 })], [client('2', 'web', { age: 0 })], [client('3', 'web', { age: 0 })]], [100, 110, 130]);
    const { groups, seenNew, acceptedInWindow } = groupSamples(s, 1000, new Set());
    expect(seenNew).toBe(2);
    expect(acceptedInWindow).toBe(30);
    const web = groups[0]!;
    expect(web.newConnections).toEqual({ seen: 2, estimated: 30, perSecond: 15 });
    expect(web.youngShare).toBe(1);
    expect(groupFindings(web, 3).map((f) => f.kind)).toEqual(['churn']);
  });

  it("the unseen go to the groups whose new connections lived less than an interval, not to a pool's reconnect", () => {
    const pool = (reconnected: boolean) => ['1', '2', '3', reconnected ? '9' : '4'].map((id) => client(id, 'api', { age: id === '9' ? 0 : 60 }));
    const s = samples(
      [
        [...pool(false), client('20', 'web', { age: 0 })],
        [...pool(true), client('21', 'web', { age: 0 })],
        [...pool(true), client('22', 'web', { age: 0 })],
        [...pool(true), client('23', 'web', { age: 0 })],
      ],
      [100, 140, 180, 220],
    );
    const { groups, seenNew } = groupSamples(s, 1000, new Set());
    const byName = new Map(groups.map((g) => [g.name, g]));
    // 120 accepted, 4 seen new. web's, gone by the next sample, take the 116 unseen; api, whose reconnect stayed, keeps its one.
    expect(seenNew).toBe(4);
    expect(byName.get('api')!.newConnections.estimated).toBe(1);
    expect(byName.get('web')!.newConnections.estimated).toBe(119);
  });

  it('an idle pool: many connections, none ever active; a busy one, flat at its count and always active', () => {
    const idle = Array.from({ length: 6 }, (_, i) => client(String(10 + i), 'idle', { idle: 30 + i, cmd: 'ping' }));
    const busy = Array.from({ length: 3 }, (_, i) => client(String(20 + i), 'busy'));
    const s = samples([[...idle, ...busy], [...idle, ...busy], [...idle, ...busy]], [5, 5, 5]);
    const { groups } = groupSamples(s, 1000, new Set());
    const byName = new Map(groups.map((g) => [g.name, g]));
    expect(groupFindings(byName.get('idle')!, 3).map((f) => f.kind)).toEqual(['idle-pool']);
    expect(groupFindings(byName.get('busy')!, 3).map((f) => f.kind)).toEqual(['at-ceiling']);
    expect(byName.get('busy')!.connections).toEqual({ min: 3, mean: 3, max: 3 });
  });

  it('leaves out its own connection, replicas and MONITOR clients; keys groups by host, name and library', () => {
    const own = client('1', 'redis-pool:observe:abc');
    const s = samples([[own, client('2', '', { flags: 'S' }), client('3', '', { flags: 'O' }), client('4', 'api', { libName: 'ioredis', libVer: '5.4.1' })]], [1]);
    const { groups } = groupSamples(s, 1000, new Set([own.addr]));
    expect(groups.map((g) => g.key)).toEqual(['10.0.0.1 / api / ioredis 5.4.1']);
  });

  it('blocking: a connection flagged b or in a blocking command', () => {
    const s = samples([[client('1', 'jobs', { flags: 'b', cmd: 'blpop' })], [client('1', 'jobs', { flags: 'b', cmd: 'blpop' })]], [1, 1]);
    const [jobs] = groupSamples(s, 1000, new Set()).groups;
    expect(jobs!.blocked).toBe(1);
    expect(groupFindings(jobs!, 2).map((f) => f.kind)).toEqual(['blocking']);
  });

  it('tot-cmds, where the server counts them, gives the group its own rate', () => {
    const s = samples([[client('1', 'api', { totCmds: 100 })], [client('1', 'api', { totCmds: 600 })]], [1, 1]);
    const [api] = groupSamples(s, 1000, new Set()).groups;
    const commands = parseCommandStats(new Map([['cmdstat_get', 'calls=1000,usec=2000,usec_per_call=2.00']]));
    const estimate = estimateGroup(api!, { commands, windowSec: 1, roundTripMs: 0.1, activeSightings: api!.activeSightings })!;
    expect(estimate).toMatchObject({ commandsPerSec: 500, rateSource: 'tot-cmds', serverMsPerCall: 0.002 });
    // 500/s × 0.102 ms = 0.051 connections busy, far from its one connection.
    expect(estimate.busyConnections).toBeCloseTo(0.051, 9);
    expect(estimate.saturated).toBe(false);
    expect(estimate.holdMs).toBeCloseTo(0.102, 9);
  });
});

describe('server-wide findings', () => {
  const base = { redisVersion: '7.0.15', maxclients: 100, peakCounted: 10, connectedClientsPeak: 10, acceptedInWindow: 0, seenNew: 0, rejectedInWindow: 0, evictedInWindow: 0, commandsPerSec: 0 };
  it('headroom past 80 % of maxclients, refused and evicted clients; none on a quiet server', () => {
    expect(serverFindings(base)).toEqual([]);
    expect(serverFindings({ ...base, peakCounted: 80, rejectedInWindow: 3, evictedInWindow: 1 }).map((f) => f.kind)).toEqual(['maxclients-headroom', 'rejected-connections', 'evicted-clients']);
    expect(serverFindings({ ...base, maxclients: null, peakCounted: 9999 })).toEqual([]);
  });
});

describe('a connection caught in its setup', () => {
  it('unnamed, with no command yet and younger than a second: not a group of its own', () => {
    const s = samples([[client('1', 'web'), client('2', '', { cmd: 'NULL', age: 0 })], [client('1', 'web'), client('3', '', { cmd: 'NULL', age: 4 })]], [1, 2]);
    // The second one is older: a pool opened and never used, which is a group.
    expect(groupSamples(s, 1000, new Set()).groups.map((g) => g.key)).toEqual(['10.0.0.1 / (no name)', '10.0.0.1 / web']);
    expect(groupSamples(s, 1000, new Set()).groups[0]!.distinct).toBe(1);
  });
});

describe('the blocking finding names the blocking commands only', () => {
  it('BLPOP is named, BITCOUNT (a b-command that does not block) is not', () => {
    const s = samples([[client('1', 'jobs', { flags: 'b', cmd: 'blpop' }), client('2', 'jobs', { cmd: 'bitcount' })]], [1]);
    const [jobs] = groupSamples(s, 1000, new Set()).groups;
    expect(groupFindings(jobs!, 1).find((f) => f.kind === 'blocking')!.message).toBe('1 connection blocked in blpop');
  });
});
