import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TargetError } from '../errors.js';
import type { CheckedRedis } from '../redis/checked-redis.js';
import { clientOptions } from '../redis/client-options.js';
import { parseClientList } from '../redis/client-list.js';
import { openOwnConnection } from '../redis/monitor.js';
import { parseInfo, readInfoServer, serverHas, serverLabel, type InfoServer } from '../redis/info.js';
import { connectFailure } from '../redis/target-errors.js';
import { formatTarget, type RedisTarget } from '../redis/url.js';
import { OBSERVE_SCHEMA } from '../schema/names.js';
import type { AccessCheck, ObserveCommand, ObserveResult } from '../schema/observe.js';
import type { Warning } from '../schema/warning.js';
import { TOOL } from '../version.js';
import { estimateGroup } from './estimate.js';
import { groupFindings, serverFindings } from './findings.js';
import { groupSamples } from './groups.js';
import { commandStatsBetween, parseCommandStats, type CommandStats, type Sample } from './samples.js';
import { readServerFigures } from './server-figures.js';
import { plural } from '../format.js';

export interface ObserveOptions {
  durationMs: number;
  intervalMs: number;
  connectTimeoutMs: number;
  signal?: AbortSignal;
  /** Called after each sample (a progress line). */
  onSample?: (done: number, planned: number) => void;
}

/** What the report lacks without each command on this server (null before INFO said which server it is). */
function without(command: ObserveCommand, server: InfoServer | null): string {
  switch (command) {
    case 'ping':
      return 'the round trip observe measures (the estimates then add none)';
    case 'info':
      return 'everything: observe reads the server through INFO';
    case 'client|list':
      return 'the client groups and their findings (churn, idle pools, ceilings, blocking): only the server-wide figures and findings remain';
    case 'config|get':
      // INFO clients tells maxclients from Redis 7.0 on, and on every Valkey (forked from 7.2.4).
      return server !== null && serverHas(server, { redis: '7.0' })
        ? `only CONFIG GET's reading of maxclients: ${serverLabel(server.server)} tells it in INFO clients too`
        : `maxclients (${server !== null ? serverLabel(server.server) : 'a server before Redis 7.0'} does not tell it ` +
            'in INFO clients): without it, the headroom finding';
    case 'client|setname':
      return "observe's own connection goes unnamed (it is still left out of the groups, by its address)";
  }
}

/** The server's NOPERM reply: the ACL refused the command. */
const isRefused = (error: unknown): boolean => error instanceof Error && /^NOPERM\b/.test(error.message);

/**
 * Reads a live server for a while, read-only: one connection, and on it only PING, INFO, CLIENT LIST, CONFIG GET
 * maxclients and CLIENT SETNAME (its own name). Each of those is tried once first; what the ACL refuses is said
 * once, with the rule it lacks, and observe goes on with the rest. About two commands a sample (three on a server
 * before 7.0, whose INFO takes one section at a time), one sample per interval.
 */
export async function observe(target: RedisTarget, options: ObserveOptions): Promise<ObserveResult> {
  const startedAt = new Date().toISOString();
  const client = await connect(target, options.connectTimeoutMs);
  const ownAddrs = ownAddresses(client);
  try {
    const checked = await checkAccess(client, target);
    const reader = infoReader(client, checked.server);
    const statsBefore = await readCommandStats(client);
    const { samples, lost } = await takeSamples(client, target, reader.read, checked.listAllowed, options);
    const statsAfter = lost === null ? await readCommandStats(client) : statsBefore;
    const result = buildResult({
      target,
      startedAt,
      interrupted: options.signal?.aborted === true,
      options,
      ...checked,
      samples,
      commands: withoutOwn(commandStatsBetween(statsBefore, statsAfter), samples.length, reader.callsPerSample),
      ownAddrs,
    });
    if (lost !== null) {
      result.warnings.push({
        code: 'observe-connection-lost',
        message:
          `the connection was lost after ${plural(samples.length, 'sample')} (${lost}): ` +
          `the figures cover those only, and the commands per second are not known`,
        remedy: 'check the server and observe again',
      });
    }
    return result;
  } finally {
    // Not QUIT: nothing but the commands listed above goes to the server.
    client.disconnect();
  }
}

interface Access {
  access: AccessCheck[];
  server: InfoServer;
  maxclients: number | null;
  roundTripMs: number;
  listAllowed: boolean;
}

/** Each command once, before sampling: what the ACL allows, and what observe needs to know first. */
async function checkAccess(client: CheckedRedis, target: RedisTarget): Promise<Access> {
  const access: AccessCheck[] = [];
  let server: InfoServer | null = null;
  const tryCommand = async <T>(command: ObserveCommand, run: () => Promise<T>): Promise<T | null> => {
    try {
      const reply = await run();
      access.push({ command, allowed: true, rule: `+${command}`, costs: null });
      return reply;
    } catch (error) {
      if (!isRefused(error)) throw error;
      access.push({ command, allowed: false, rule: `+${command}`, costs: without(command, server) });
      return null;
    }
  };
  const info = await tryCommand('info', async () => parseInfo(String(await client.call('INFO', 'server'))));
  if (info === null)
    throw new TargetError(
      `cannot use ${formatTarget(target)}: the ACL refuses INFO, and observe reads the server through it: ` +
        `allow +info (and +client|list, +config|get, +ping) for this user`,
    );
  server = readInfoServer(info);
  await tryCommand('client|setname', () =>
    client.call('CLIENT', 'SETNAME', `redis-pool:observe:${randomBytes(3).toString('hex')}`),
  );
  const roundTripMs = await tryCommand('ping', () => measureRoundTrip(client));
  const maxclients = await tryCommand('config|get', async () =>
    Number(((await client.call('CONFIG', 'GET', 'maxclients')) as string[])[1]),
  );
  const listAllowed = (await tryCommand('client|list', () => client.call('CLIENT', 'LIST'))) !== null;
  return {
    access,
    server,
    maxclients: maxclients !== null && Number.isFinite(maxclients) ? maxclients : null,
    roundTripMs: roundTripMs ?? 0,
    listAllowed,
  };
}

/**
 * A sample every interval until the duration is covered or the run is stopped. A connection lost on the way ends
 * the sampling: the samples taken so far are still a report (`lost` says why).
 */
async function takeSamples(
  client: CheckedRedis,
  target: RedisTarget,
  readInfo: () => Promise<Map<string, string>>,
  listAllowed: boolean,
  options: ObserveOptions,
): Promise<{ samples: Sample[]; lost: string | null }> {
  const samples: Sample[] = [];
  const startMs = Date.now();
  const planned = Math.max(2, Math.floor(options.durationMs / options.intervalMs) + 1);
  try {
    for (let i = 0; i < planned && !options.signal?.aborted; i++) {
      if (i > 0)
        await sleep(startMs + i * options.intervalMs - Date.now(), undefined, { signal: options.signal }).catch(
          () => undefined,
        );
      if (options.signal?.aborted && samples.length >= 1) break;
      const atMs = Date.now() - startMs;
      const clients = listAllowed ? parseClientList(String(await client.call('CLIENT', 'LIST'))) : null;
      samples.push({ atMs, clients, info: await readInfo() });
      options.onSample?.(samples.length, planned);
    }
    return { samples, lost: null };
  } catch (error) {
    return { samples, lost: connectFailure(error, target).message };
  }
}

async function readCommandStats(client: CheckedRedis): Promise<CommandStats> {
  return parseCommandStats(parseInfo(String(await client.call('INFO', 'commandstats'))));
}

/**
 * One connection, with nothing sent but the credentials: no ready check (INFO may be refused), no library info, no
 * name yet. RESP2, so AUTH rather than ioredis 6's HELLO 3 and its CLIENT MAINT_NOTIFICATIONS: observe sends
 * only the commands it lists.
 */
function connect(target: RedisTarget, connectTimeoutMs: number): Promise<CheckedRedis> {
  const { connectionName: _unnamed, ...options } = clientOptions(
    { ...target, db: 0 },
    { connectTimeoutMs, commandTimeoutMs: 10_000 },
    '',
  );
  return openOwnConnection(
    { ...options, protocol: 2, enableReadyCheck: false, disableClientInfo: true, maintNotifications: 'disabled' },
    target,
  );
}

/** The fastest of five PINGs, ms: the round trip without the queueing a busy server or client adds to the others. */
async function measureRoundTrip(client: CheckedRedis): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = process.hrtime.bigint();
    await client.ping();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return Math.min(...times);
}

/**
 * INFO clients, stats and replication: one call on Redis 7+ and every Valkey, which take several sections; before it,
 * clients and stats in two.
 */
function infoReader(
  client: CheckedRedis,
  server: InfoServer,
): { read: () => Promise<Map<string, string>>; callsPerSample: number } {
  if (serverHas(server, { redis: '7.0' }))
    return {
      read: async () => parseInfo(String(await client.call('INFO', 'clients', 'stats', 'replication'))),
      callsPerSample: 1,
    };
  return {
    read: async () =>
      new Map([
        ...parseInfo(String(await client.call('INFO', 'clients'))),
        ...parseInfo(String(await client.call('INFO', 'stats'))),
      ]),
    callsPerSample: 2,
  };
}

/** The addresses the server sees observe's own connection from (the groups leave it out). */
function ownAddresses(client: CheckedRedis): Set<string> {
  const socket = client.stream as { localAddress?: string; localPort?: number } | undefined;
  if (!socket?.localAddress || !socket.localPort) return new Set();
  const host = socket.localAddress.replace(/^::ffff:/, '');
  return new Set([
    `${host}:${socket.localPort}`,
    `[${host}]:${socket.localPort}`,
    `${socket.localAddress}:${socket.localPort}`,
  ]);
}

/**
 * observe's own calls between the two readings of commandstats are not the services' load: a CLIENT LIST and its
 * INFO calls a sample, and the first INFO commandstats (a reply never counts the call that made it).
 */
function withoutOwn(commands: CommandStats, samples: number, infoCallsPerSample: number): CommandStats {
  const own = new Map([
    ['client|list', samples],
    ['client', samples],
    ['info', samples * infoCallsPerSample + 1],
  ]);
  const result: CommandStats = new Map();
  for (const [name, stats] of commands) {
    const mine = own.get(name) ?? 0;
    const calls = Math.max(0, stats.calls - mine);
    if (calls > 0)
      result.set(name, { calls, usec: calls === stats.calls ? stats.usec : (stats.usec * calls) / stats.calls });
  }
  return result;
}

interface Collected extends Access {
  target: RedisTarget;
  startedAt: string;
  interrupted: boolean;
  options: ObserveOptions;
  samples: Sample[];
  commands: CommandStats;
  ownAddrs: Set<string>;
}

/** The document from what was read: groups, their findings and estimates, the server's figures. */
function buildResult(c: Collected): ObserveResult {
  const { samples } = c;
  const durationMs = samples.length > 1 ? samples.at(-1)!.atMs - samples[0]!.atMs : 0;
  const { groups, seenNew, acceptedInWindow } = groupSamples(samples, c.options.intervalMs, c.ownAddrs);
  const activeSightings = groups.reduce((sum, g) => sum + g.activeSightings, 0);
  const window = { samples: samples.filter((s) => s.clients !== null).length, acceptedInWindow };
  const inputs = {
    commands: c.commands,
    windowSec: durationMs / 1000,
    roundTripMs: c.roundTripMs,
    activeSightings,
    server: c.server.server,
  };
  const serverFigures = readServerFigures(samples, {
    version: c.server.redisVersion,
    maxclients: c.maxclients,
    commands: c.commands,
    seenNew,
    acceptedInWindow,
    durationMs,
  });
  const warnings: Warning[] = c.access
    .filter((a) => !a.allowed)
    .map((a) => ({
      code: 'observe-acl',
      message: `the ACL refuses ${a.command.toUpperCase().replace('|', ' ')} to this user: the report lacks ${a.costs}`,
      remedy: `allow it with the rule ${a.rule} (ACL SETUSER <user> ${a.rule})`,
    }));
  if (samples.length < 2)
    warnings.push({
      code: 'observe-short',
      message: 'fewer than two samples: nothing could be compared over time',
      remedy: 'observe for longer than one --interval',
    });
  return {
    schema: OBSERVE_SCHEMA,
    tool: { ...TOOL },
    startedAt: c.startedAt,
    interrupted: c.interrupted,
    target: { url: formatTarget({ ...c.target, db: 0 }), server: c.server.server },
    config: { durationMs: c.options.durationMs, intervalMs: c.options.intervalMs },
    samples: samples.length,
    durationMs,
    access: c.access,
    server: { ...serverFigures, findings: serverFindings(serverFigures, c.server.server) },
    groups: groups.map(({ activeSightings: _a, commandsInWindow: _c, ...group }, i) => ({
      ...group,
      estimate: estimateGroup(groups[i]!, inputs),
      findings: groupFindings(groups[i]!, window),
    })),
    warnings,
  };
}
