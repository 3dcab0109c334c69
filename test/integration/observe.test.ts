import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINDING_THRESHOLDS } from '../../src/observe/findings.js';
import { parseInfo, readInfoServer, serverHas } from '../../src/redis/info.js';
import type { ObserveResult } from '../../src/schema/observe.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { runCli, writtenDocument } from '../helpers/run-cli.js';
import { expectedServer } from '../helpers/server-binary.js';
import { tempDir } from '../helpers/temp-dir.js';

const GROUP_SCRIPT = fileURLToPath(new URL('../helpers/client-group.mjs', import.meta.url));

/** A synthetic client group as a process of its own; resolves once its connections are up. */
async function startGroup(port: number, kind: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [GROUP_SCRIPT, String(port), kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  if (!chunk.toString().includes('ready')) throw new Error(`group ${kind} did not start: ${chunk.toString()}`);
  return child;
}

let redis: TestRedis;
const groups: ChildProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  for (const kind of ['churn', 'idle', 'busy', 'blocked']) groups.push(await startGroup(redis.port, kind));
  // The idle pool's connections must have been idle for longer than a sample interval when observe starts.
  await new Promise((resolve) => setTimeout(resolve, 1500));
}, 30_000);

afterAll(async () => {
  for (const child of groups) child.kill('SIGTERM');
  await Promise.all(groups.filter((child) => child.exitCode === null).map((child) => once(child, 'exit')));
  await redis?.stop();
});

const findingsOf = (result: ObserveResult, name: string): string[] =>
  result.groups.find((g) => g.name === name)?.findings.map((f) => f.kind) ?? ['(no such group)'];

async function observeFor(duration: string): Promise<ObserveResult> {
  const run = await runCli(['observe', '--url', redis.url, '--duration', duration, '--interval', '500ms', '--json']);
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  return writtenDocument(run.stdout, 'observe');
}

/**
 * Whether the server counts commands per client, asked of it directly: CLIENT LIST's tot-cmds. What the busy group's
 * rate comes from.
 */
async function countsPerClient(): Promise<boolean> {
  return / tot-cmds=\d+/.test(await ask('CLIENT', 'LIST'));
}

/**
 * One command on a connection of the test's own, closed at once: a connection left open would be a client group of
 * its own in the observations that follow.
 */
async function ask(...args: string[]): Promise<string> {
  const client = new Redis({ host: '127.0.0.1', port: redis.port, lazyConnect: true });
  try {
    await client.connect();
    return String(await client.call(args[0]!, ...args.slice(1)));
  } finally {
    await client.quit();
  }
}

/**
 * What a group's key ends with: ` / ioredis 6.1.0` where the server keeps the library a client names with CLIENT
 * SETINFO (Redis 7.2+, Valkey), nothing where it does not (Redis 7.0). The groups run the test's own ioredis, so the
 * test's connection tells it.
 */
async function librarySuffix(): Promise<string> {
  const own = await ask('CLIENT', 'INFO');
  const name = / lib-name=(\S+)/.exec(own)?.[1];
  const version = / lib-ver=(\S+)/.exec(own)?.[1];
  return name ? ` / ${name}${version ? ` ${version}` : ''}` : '';
}

describe('observe against synthetic client groups', () => {
  let result: ObserveResult;
  beforeAll(async () => {
    // 13 samples: on a server without per-client counters (Redis 7.0) the busy group's connections read idle 1 at a
    // sample taken just past a second while a loaded machine starves their process; one such sample still leaves
    // them 48 in 52 active, above at-ceiling's 9 in 10.
    result = await observeFor('6s');
  }, 30_000);

  it('names the server by its own name and version, in the JSON, the table and the Markdown', async () => {
    const { name, version, label } = expectedServer();
    expect(result.target.server).toEqual({ name, version });
    const markdown = join(tempDir('observe-server'), 'observe.md');
    const run = await runCli([
      'observe',
      '--url',
      redis.url,
      '--duration',
      '1s',
      '--interval',
      '500ms',
      '--markdown',
      markdown,
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    const heading = `${label} at redis://127.0.0.1:${redis.port}/0, observed read-only`;
    expect(run.stdout.split('\n')[0]).toBe(heading);
    expect(readFileSync(markdown, 'utf8')).toContain(heading);
  });

  it('counts commands per client where the docs say the server does: Redis 8.2+, Valkey 8.0+', async () => {
    const info = readInfoServer(parseInfo(await ask('INFO', 'server')));
    expect(await countsPerClient()).toBe(serverHas(info, { redis: '8.2', valkey: '8.0' }));
  });

  it('finds each anti-pattern on the right group, and none on the others', () => {
    expect(findingsOf(result, 'churn')).toEqual(['churn']);
    expect(findingsOf(result, 'idle')).toEqual(['idle-pool']);
    const busy = result.groups.find((g) => g.name === 'busy');
    const busyFigures = JSON.stringify({
      connections: busy?.connections,
      activeShare: busy?.activeShare,
      idle: busy?.idle,
    });
    expect(findingsOf(result, 'busy'), busyFigures).toEqual(['at-ceiling']);
    expect(findingsOf(result, 'blocked')).toEqual(['blocking']);
    expect(result.server.findings).toEqual([]);
  });

  it('groups by source host, client name and library, and leaves its own connection out', async () => {
    const lib = await librarySuffix();
    expect(result.groups.map((g) => g.key).sort()).toEqual(
      ['blocked', 'busy', 'churn', 'idle'].map((name) => `127.0.0.1 / ${name}${lib}`),
    );
    const idle = result.groups.find((g) => g.name === 'idle')!;
    expect(idle.connections).toEqual({ min: 8, mean: 8, max: 8 });
    expect(idle.everActive).toBe(0);
    const busy = result.groups.find((g) => g.name === 'busy')!;
    expect(busy.connections).toMatchObject({ min: 4, max: 4 });
    expect(busy.commands).toContain('get');
    expect(result.groups.find((g) => g.name === 'blocked')!.commands).toEqual(['blpop']);
  });

  it('counts the churn from what it saw and from the server total, and says how much each gave', () => {
    const churn = result.groups.find((g) => g.name === 'churn')!;
    // About 30 connections a second: most open and close between two samples.
    expect(churn.newConnections.perSecond).toBeGreaterThan(5);
    expect(churn.newConnections.estimated).toBeGreaterThan(churn.newConnections.seen);
    expect(result.server.acceptedInWindow).toBeGreaterThanOrEqual(churn.newConnections.seen);
    expect(churn.newConnections.estimated).toBeCloseTo(result.server.acceptedInWindow, 5);
  });

  it('estimates the busy connections of a group from the server figures, and size sizes a pool from it', async () => {
    const busy = result.groups.find((g) => g.name === 'busy')!;
    const estimate = busy.estimate!;
    // Its own tot-cmds where the server counts them (Valkey 8), else its share of the server's calls (Redis 7.0).
    expect(estimate).toMatchObject({ rateSource: (await countsPerClient()) ? 'tot-cmds' : 'commandstats-share' });
    expect(estimate.commandsPerSec).toBeGreaterThan(100);
    // Four connections never idle (GETs back to back, several in flight): all of them busy, so the hold is
    // connections ÷ rate.
    expect(estimate.saturated).toBe(true);
    expect(estimate.busyConnections).toBe(4);
    expect(estimate.holdMs).toBeCloseTo((4 * 1000) / estimate.commandsPerSec, 9);
    // Nothing to estimate where nothing ran on settled connections: the idle pool, the blocked one, the churn.
    for (const name of ['idle', 'blocked']) expect(result.groups.find((g) => g.name === name)!.estimate).toBeNull();
    // A churn connection lives some 40 ms; only one starved past an interval by a loaded machine is ever settled,
    // and then most of the group's sightings are still young.
    const churn = result.groups.find((g) => g.name === 'churn')!;
    if (churn.estimate !== null) expect(churn.youngShare).toBeGreaterThan(0.5);

    const dir = tempDir('observe');
    writeFileSync(join(dir, 'observed.json'), JSON.stringify(result));
    const size = await runCli(['size', '--from', join(dir, 'observed.json'), '--group', 'busy', '--json']);
    expect(size.exitCode).toBe(0);
    const sized = writtenDocument(size.stdout, 'size');
    expect(sized.inputs.ratePerSec).toBeCloseTo(estimate.commandsPerSec, 6);
    expect(sized.inputs.holdMs).toBeCloseTo(estimate.holdMs, 9);
    expect(sized.inputs.from).toMatchObject({ run: `127.0.0.1 / busy${await librarySuffix()}` });
    // At its ceiling, the model asks for more than the four it had.
    expect(sized.queueing.poolSize).toBeGreaterThan(4);
    const ambiguous = await runCli(['size', '--from', join(dir, 'observed.json'), '--group', 'nope']);
    expect(ambiguous.exitCode).toBe(2);
    expect(ambiguous.stderr).toMatch(/--group "nope": no such group with an estimate/);
  });

  it('reads nothing it may not: every access check allowed on a server without ACL rules', () => {
    expect(result.access.every((a) => a.allowed)).toBe(true);
    expect(result.access.map((a) => a.command).sort()).toEqual([
      'client|list',
      'client|setname',
      'config|get',
      'info',
      'ping',
    ]);
  });
});

/**
 * Run after the groups above, on the same server: the loop keeps a core busy, which on a small machine would make the
 * busy group's estimate above a measure of the machine's load rather than of its pool.
 */
describe('observe beside a kept pool with a path that connects per request', () => {
  let result: ObserveResult;
  beforeAll(async () => {
    groups.push(await startGroup(redis.port, 'mixed'));
    result = await observeFor('4s');
  }, 30_000);

  it('finds churn on it, by its rate, and still no churn on the groups that keep their connections', () => {
    expect(result.groups.map((g) => g.name).sort()).toEqual(['blocked', 'busy', 'churn', 'idle', 'mixed']);
    expect(findingsOf(result, 'mixed')).toEqual(['churn']);
    expect(findingsOf(result, 'churn')).toEqual(['churn']);
    // Their own findings are checked above, without the loop: with it, a starved busy group may miss a sample's activity.
    for (const name of ['idle', 'busy', 'blocked']) expect(findingsOf(result, name)).not.toContain('churn');
  });

  it('churn by renewal: it opens its size in new connections faster than every 5 s, though few of its sightings are young', () => {
    const mixed = result.groups.find((g) => g.name === 'mixed')!;
    expect(mixed.connections.min).toBeGreaterThanOrEqual(8);
    expect(mixed.youngShare).toBeLessThan(FINDING_THRESHOLDS.churnYoungShare);
    const churn = mixed.findings[0]!;
    expect(churn.evidence).toMatchObject({
      rule: 'renewal',
      newPerSecond: mixed.newConnections.perSecond,
      connections: mixed.connections.mean,
      serverAccepted: result.server.acceptedInWindow,
    });
    expect(churn.evidence.renewSeconds).toBeLessThanOrEqual(FINDING_THRESHOLDS.churnRenewSeconds);
    expect(churn.message).toMatch(
      /^[\d,]+ new connections a second \([\d,]+ seen\), [\d.]+ % of the server's accepts: it renews its [\d.]+ connections every /,
    );
  });

  it('shares what the server accepted unseen among the two groups whose connections lived less than an interval', () => {
    const estimated = result.groups.reduce((sum, g) => sum + g.newConnections.estimated, 0);
    expect(estimated).toBeCloseTo(result.server.acceptedInWindow, 5);
    for (const name of ['idle', 'busy', 'blocked'])
      expect(result.groups.find((g) => g.name === name)!.newConnections.estimated).toBe(0);
  });
});
