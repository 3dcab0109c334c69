import { describe, expect, it } from 'vitest';
import { estimateGroup } from '../../../src/observe/estimate.js';
import { groupFindings, serverFindings } from '../../../src/observe/findings.js';
import { groupSamples, type GroupFigures } from '../../../src/observe/groups.js';
import { parseCommandStats, type Sample } from '../../../src/observe/samples.js';
import type { ClientEntry } from '../../../src/redis/client-list.js';

const client = (id: string, name: string, over: Partial<ClientEntry> = {}): ClientEntry => ({
  id,
  host: '10.0.0.1',
  addr: `10.0.0.1:${1000 + Number(id)}`,
  name,
  age: 10,
  idle: 0,
  flags: 'N',
  db: 0,
  cmd: 'get',
  libName: null,
  libVer: null,
  totCmds: null,
  ...over,
});

/** Samples one second apart, each with its clients and the server's total_connections_received. */
function samples(perSample: ClientEntry[][], accepted: number[]): Sample[] {
  return perSample.map((clients, i) => ({
    atMs: i * 1000,
    clients,
    info: new Map([
      ['total_connections_received', String(accepted[i])],
      ['connected_clients', String(clients.length)],
    ]),
  }));
}

describe('client groups from samples', () => {
  it('a churning group: new ids younger than the interval, and its share of what the server accepted unseen', () => {
    const s = samples(
      [[client('1', 'web', { age: 0 })], [client('2', 'web', { age: 0 })], [client('3', 'web', { age: 0 })]],
      [100, 110, 130],
    );
    const { groups, seenNew, acceptedInWindow } = groupSamples(s, 1000, new Set());
    expect(seenNew).toBe(2);
    expect(acceptedInWindow).toBe(30);
    const web = groups[0]!;
    expect(web.newConnections).toEqual({ seen: 2, estimated: 30, perSecond: 15 });
    expect(web.youngShare).toBe(1);
    expect(groupFindings(web, { samples: 3, acceptedInWindow: 30 }).map((f) => f.kind)).toEqual(['churn']);
  });

  it("the unseen go to the groups whose new connections lived less than an interval, not to a pool's reconnect", () => {
    const pool = (reconnected: boolean) =>
      ['1', '2', '3', reconnected ? '9' : '4'].map((id) => client(id, 'api', { age: id === '9' ? 0 : 60 }));
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
    const s = samples(
      [
        [...idle, ...busy],
        [...idle, ...busy],
        [...idle, ...busy],
      ],
      [5, 5, 5],
    );
    const { groups } = groupSamples(s, 1000, new Set());
    const byName = new Map(groups.map((g) => [g.name, g]));
    const window = { samples: 3, acceptedInWindow: 0 };
    expect(groupFindings(byName.get('idle')!, window).map((f) => f.kind)).toEqual(['idle-pool']);
    expect(groupFindings(byName.get('busy')!, window).map((f) => f.kind)).toEqual(['at-ceiling']);
    expect(byName.get('busy')!.connections).toEqual({ min: 3, mean: 3, max: 3 });
  });

  it("where the server counts commands per client, a sighting is active when its count grew, whatever its idle's whole seconds read", () => {
    // A busy connection that reads idle 1 at two samples (its last command just before a second ticked over), and a
    // held one whose count never moves though the first sighting reads idle 0.
    const busy = [0, 1, 1, 0].map((idle, i) => client('1', 'busy', { idle, totCmds: 1000 * (i + 1) }));
    const held = [0, 2, 3, 4].map((idle) => client('2', 'held', { idle, totCmds: 7 }));
    const { groups } = groupSamples(
      samples(
        busy.map((b, i) => [b, held[i]!]),
        [2, 2, 2, 2],
      ),
      500,
      new Set(),
    );
    const byName = new Map(groups.map((g) => [g.name, g]));
    expect(byName.get('busy')!).toMatchObject({ activeShare: 1, everActive: 1, activeSightings: 4 });
    expect(byName.get('held')!).toMatchObject({ activeShare: 0.25, everActive: 1, activeSightings: 1 });
    // Without the counter, the same idles: the two idle-1 sightings are not active.
    const untracked = groupSamples(
      samples(
        busy.map((b) => [{ ...b, totCmds: null }]),
        [2, 2, 2, 2],
      ),
      500,
      new Set(),
    ).groups[0]!;
    expect(untracked.activeShare).toBe(0.5);
  });

  it('leaves out its own connection, replicas and MONITOR clients; keys groups by host, name and library', () => {
    const own = client('1', 'redis-pool:observe:abc');
    const s = samples(
      [
        [
          own,
          client('2', '', { flags: 'S' }),
          client('3', '', { flags: 'O' }),
          client('4', 'api', { libName: 'ioredis', libVer: '5.4.1' }),
        ],
      ],
      [1],
    );
    const { groups } = groupSamples(s, 1000, new Set([own.addr]));
    expect(groups.map((g) => g.key)).toEqual(['10.0.0.1 / api / ioredis 5.4.1']);
  });

  it('blocking: a connection flagged b or in a blocking command', () => {
    const s = samples(
      [[client('1', 'jobs', { flags: 'b', cmd: 'blpop' })], [client('1', 'jobs', { flags: 'b', cmd: 'blpop' })]],
      [1, 1],
    );
    const [jobs] = groupSamples(s, 1000, new Set()).groups;
    expect(jobs!.blocked).toBe(1);
    expect(groupFindings(jobs!, { samples: 2, acceptedInWindow: 0 }).map((f) => f.kind)).toEqual(['blocking']);
  });

  /** One connection of the group "api" seen twice a second apart, with 1,000 GETs of 2 µs on the server. */
  const apiEstimate = (totCmds: [number, number] | null, server: { name: string; version: string }) => {
    const seen = (n: number | undefined) => client('1', 'api', n === undefined ? {} : { totCmds: n });
    const [api] = groupSamples(samples([[seen(totCmds?.[0])], [seen(totCmds?.[1])]], [1, 1]), 1000, new Set()).groups;
    const commands = parseCommandStats(new Map([['cmdstat_get', 'calls=1000,usec=2000,usec_per_call=2.00']]));
    return estimateGroup(api!, {
      commands,
      windowSec: 1,
      roundTripMs: 0.1,
      activeSightings: api!.activeSightings,
      server,
    })!;
  };

  it('tot-cmds, where the server counts them, gives the group its own rate', () => {
    const estimate = apiEstimate([100, 600], { name: 'valkey', version: '8.0.1' });
    expect(estimate).toMatchObject({ commandsPerSec: 500, rateSource: 'tot-cmds', serverMsPerCall: 0.002 });
    expect(estimate.assumptions[0]).toBe("the rate is the growth of its connections' tot-cmds");
    // 500/s × 0.102 ms = 0.051 connections busy, far from its one connection.
    expect(estimate.busyConnections).toBeCloseTo(0.051, 9);
    expect(estimate.saturated).toBe(false);
    expect(estimate.holdMs).toBeCloseTo(0.102, 9);
  });

  it('without tot-cmds, the rate is a share of all the calls, and the assumption names the server', () => {
    const estimate = apiEstimate(null, { name: 'redis', version: '7.0.15' });
    expect(estimate).toMatchObject({ commandsPerSec: 1000, rateSource: 'commandstats-share' });
    expect(estimate.assumptions[0]).toMatch(
      /^Redis 7\.0\.15 does not count commands per client \(CLIENT LIST's tot-cmds,/,
    );
  });
});

describe('server-wide findings', () => {
  const base = {
    redisVersion: '7.0.15',
    maxclients: 100,
    peakCounted: 10,
    connectedClientsPeak: 10,
    acceptedInWindow: 0,
    seenNew: 0,
    rejectedInWindow: 0,
    evictedInWindow: 0,
    commandsPerSec: 0,
  };
  const redis = { name: 'redis', version: '7.0.15' };
  it('headroom past 80 % of maxclients, refused and evicted clients; none on a quiet server', () => {
    expect(serverFindings(base, redis)).toEqual([]);
    expect(
      serverFindings({ ...base, peakCounted: 80, rejectedInWindow: 3, evictedInWindow: 1 }, redis).map((f) => f.kind),
    ).toEqual(['maxclients-headroom', 'rejected-connections', 'evicted-clients']);
    expect(serverFindings({ ...base, maxclients: null, peakCounted: 9999 }, redis)).toEqual([]);
  });

  it('the headroom finding names the server whose rule it applies', () => {
    const [headroom] = serverFindings({ ...base, peakCounted: 90 }, { name: 'valkey', version: '8.0.1' });
    expect(headroom!.message).toBe(
      '90 connections counted against maxclients 100 (90 %; Valkey 8.0.1 counts its clients, replicas and ' +
        'cluster bus links against it)',
    );
  });
});

describe('a connection caught in its setup', () => {
  it('unnamed, with no command yet and younger than a second: not a group of its own', () => {
    const s = samples(
      [
        [client('1', 'web'), client('2', '', { cmd: 'NULL', age: 0 })],
        [client('1', 'web'), client('3', '', { cmd: 'NULL', age: 4 })],
      ],
      [1, 2],
    );
    // The second one is older: a pool opened and never used, which is a group.
    expect(groupSamples(s, 1000, new Set()).groups.map((g) => g.key)).toEqual([
      '10.0.0.1 / (no name)',
      '10.0.0.1 / web',
    ]);
    expect(groupSamples(s, 1000, new Set()).groups[0]!.distinct).toBe(1);
  });

  it('unnamed after only the HELLO a RESP3 client opens with (ioredis 6): still connecting', () => {
    const s = samples([[client('1', 'web'), client('2', '', { cmd: 'hello', age: 0 })]], [1]);
    expect(groupSamples(s, 1000, new Set()).groups.map((g) => g.key)).toEqual(['10.0.0.1 / web']);
  });

  it('named, and caught before it names its library (CLIENT SETINFO): still connecting, not a group without a library', () => {
    const lib = { libName: 'ioredis', libVer: '6.1.0' };
    const s = samples(
      [
        [
          client('1', 'web', lib),
          client('2', 'web', { cmd: 'client|setname', age: 0 }),
          client('3', 'web', { cmd: 'client|setinfo', age: 0 }),
          // Between lib-name and lib-ver: it would be a group of its own, `web / ioredis`.
          client('6', 'web', { cmd: 'client|setinfo', age: 0, libName: 'ioredis' }),
          // Older than a second: a client that never names its library is a group of its own.
          client('4', 'web', { cmd: 'client|setname', age: 3 }),
          // Its first command of its own ran: it belongs where its key says.
          client('5', 'web', { cmd: 'get', age: 0 }),
        ],
      ],
      [5],
    );
    const { groups } = groupSamples(s, 1000, new Set());
    expect(groups.map((g) => [g.key, g.distinct])).toEqual([
      ['10.0.0.1 / web', 2],
      ['10.0.0.1 / web / ioredis 6.1.0', 1],
    ]);
  });
});

describe('the blocking finding names the blocking commands only', () => {
  it('BLPOP is named, BITCOUNT (a b-command that does not block) is not', () => {
    const s = samples(
      [[client('1', 'jobs', { flags: 'b', cmd: 'blpop' }), client('2', 'jobs', { cmd: 'bitcount' })]],
      [1],
    );
    const [jobs] = groupSamples(s, 1000, new Set()).groups;
    expect(groupFindings(jobs!, { samples: 1, acceptedInWindow: 0 }).find((f) => f.kind === 'blocking')!.message).toBe(
      '1 connection blocked in blpop',
    );
  });
});

/**
 * A group's figures over a 30 s window of 31 samples, as groupSamples makes them: a pool of `size` connections kept
 * open and used, with `newInWindow` new connections of which `seenNew` were seen; `young` of its sightings young.
 */
function pool(
  size: number,
  newInWindow: number,
  over: { seenNew?: number; young?: number; mean?: number } = {},
): GroupFigures {
  const sightings = size * 31;
  return {
    key: '10.0.0.1 / api',
    host: '10.0.0.1',
    name: 'api',
    lib: null,
    connections: { min: size, mean: over.mean ?? size, max: size + (newInWindow > 0 ? 1 : 0) },
    newConnections: { seen: over.seenNew ?? newInWindow, estimated: newInWindow, perSecond: newInWindow / 30 },
    youngShare: (over.young ?? 0) / sightings,
    distinct: size + (over.seenNew ?? newInWindow),
    everActive: size + (over.seenNew ?? newInWindow),
    age: { p50: 600, p90: 900, max: 1200 },
    idle: { p50: 0, p90: 1, max: 2 },
    activeShare: 0.7,
    activeSightings: sightings,
    blocked: 0,
    dbs: [0],
    commands: ['get'],
    commandsInWindow: null,
  };
}

const churnOf = (group: GroupFigures, acceptedInWindow: number) =>
  groupFindings(group, { samples: 31, acceptedInWindow }).find((f) => f.kind === 'churn');

describe("churn judged by its rate, against the group's size and the server's accepts", () => {
  it('a kept pool of 8 and a path that connects per request (1,350 a second): churn by renewal, though few of its sightings are young', () => {
    // The figures observe measured on such a group (test/helpers/client-group.mjs mixed), scaled to 30 s.
    const mixed = pool(8, 40_500, { seenNew: 27, young: 27, mean: 8.8 });
    expect(mixed.youngShare).toBeLessThan(0.5);
    const churn = churnOf(mixed, 40_500)!;
    expect(churn.evidence).toMatchObject({
      rule: 'renewal',
      newPerSecond: 1350,
      connections: 8.8,
      serverShare: 1,
      serverAccepted: 40_500,
    });
    expect(churn.evidence.renewSeconds).toBeCloseTo(8.8 / 1350, 9);
    expect(churn.message).toBe(
      "1,350 new connections a second (27 seen), 100 % of the server's accepts: it renews its 8.8 connections every 6.52 ms",
    );
    // It stays churn among other groups' accepts: the rule reads its own size.
    expect(churnOf(mixed, 400_000)!.evidence.rule).toBe('renewal');
  });

  it('a steady pool with rare reconnects, and a large one renewed by its max lifetime, do not churn', () => {
    expect(churnOf(pool(20, 3), 3)).toBeUndefined();
    // 1,000 connections, each replaced after 10 minutes: 1.7 a second, all of the server's, renewed every 600 s.
    expect(churnOf(pool(1000, 50), 50)).toBeUndefined();
    // A whole pool of 40 reconnected once in the window: 1.3 a second, renewed every 30 s.
    expect(churnOf(pool(40, 40), 40)).toBeUndefined();
  });

  it('an idle pool does not churn, and keeps its own finding', () => {
    const idle = { ...pool(8, 0), everActive: 0, activeShare: 0, idle: { p50: 60, p90: 60, max: 60 } };
    expect(groupFindings(idle, { samples: 31, acceptedInWindow: 0 }).map((f) => f.kind)).toEqual(['idle-pool']);
  });

  it('a group made of young connections still churns by the young share', () => {
    const young = { ...pool(1, 900), youngShare: 1 };
    expect(churnOf(young, 900)!.evidence.rule).toBe('young');
    expect(churnOf(young, 900)!.message).toMatch(/: 100 % of its sightings younger than an interval$/);
  });

  it("a large pool with a per-request path too slow to renew it: churn when it opens half the server's new connections, at 10 a second or more", () => {
    // 320 kept (16 processes on one host), 20 new a second: renewed every 16 s.
    const large = pool(320, 600);
    expect(churnOf(large, 600)!.evidence).toMatchObject({ rule: 'server-share', serverShare: 1 });
    expect(churnOf(large, 600)!.message).toBe(
      "20 new connections a second (600 seen), 100 % of the server's accepts: the server's main source of new connections",
    );
    expect(churnOf(large, 1500)).toBeUndefined();
    // Half of a quiet server's accepts, but 5 a second: a large pool's reconnects, not churn.
    expect(churnOf(pool(320, 150), 150)).toBeUndefined();
  });
});
