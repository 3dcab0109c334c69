import type { Redis } from 'ioredis';
import type { RedisClient } from '../strategies/client-factory.js';
import type { Connection, Pipeline } from '../strategies/connection.js';
import { CLUSTER_SLOTS, slotOf } from '../../redis/cluster-topology.js';
import type { WorkloadCommand, WorkloadConfig } from '../../schema/bench.js';
import { realRandom, type Random } from '../../clock.js';

/** Every key the tool writes lives under this prefix, so the cleanup can find them and nothing else. */
export function keyPrefix(runId: string): string {
  return `redis-pool:${runId}:`;
}

/** One command of the mix, with everything the hot path needs built in advance. */
interface PreparedCommand {
  spec: WorkloadCommand;
  /** Upper bound of this command's share in [0, 1): pick by comparing one random number. */
  cumulative: number;
  keys: string[];
  /** Tagged keys (a cluster): how many of `keys` carry each hash tag (key i carries tag i mod the tag count). */
  keysPerTag: number[];
  value: string;
}

/** Against a cluster, this many hash tags, one in each 1/64 of the slots, spread the keys over every shard. */
export const CLUSTER_HASH_TAGS = 64;

/**
 * `count` short hash tags whose slots fall in `count` equal bands of the 16,384 slots, one tag in each, so that
 * however the slots are split among the masters in ranges, each master serves about as many tags as the others.
 */
export function hashTags(count: number = CLUSTER_HASH_TAGS): string[] {
  const band = CLUSTER_SLOTS / count;
  const tags: string[] = [];
  for (let i = 0; i < count; i++) {
    let n = 0;
    while (Math.floor(slotOf(`${i}.${n}`) / band) !== i) n++;
    tags.push(`${i}.${n}`);
  }
  return tags;
}

/** Strings (GET/SET/INCR) share keys by value size and keyspace; lists (LPUSH/RPOP/BLPOP) by keyspace. */
function keyGroup(spec: WorkloadCommand): string {
  const isList = spec.command === 'lpush' || spec.command === 'rpop' || spec.command === 'blpop';
  if (isList) return `list:${spec.keyspace}`;
  return spec.command === 'incr' ? `counter:${spec.keyspace}` : `v${spec.valueSize}:${spec.keyspace}`;
}

/**
 * What one request does: `commandsPerRequest` commands drawn from the weighted mix, one after another or as
 * one pipeline. Keys and values are built once, so the hot path only draws random numbers.
 *
 * Against a cluster the keys carry hash tags (`{tag}`): a request first draws a tag, and every key it touches
 * carries that tag, so the whole request goes to one slot, hence one shard, as a service's multi-key requests
 * must. Without tags, `tag` is always 0 and the keys are the plain ones.
 *
 * The draws (tag, command, key) come from `random`, Math.random unless a test passes a seeded one.
 */
export class Workload {
  private readonly commands: PreparedCommand[];
  private readonly random: () => number;
  private readonly groups = new Map<string, string[]>();
  /** The hash tags in use: fewer than given when a command's keyspace is smaller (each tag must have keys). */
  readonly tags: readonly string[];

  constructor(
    runId: string,
    private readonly config: WorkloadConfig,
    tags: readonly string[] = [],
    random: Random = realRandom,
  ) {
    this.random = random.random;
    const prefix = keyPrefix(runId);
    this.tags = tags.slice(0, Math.min(...config.commands.map((c) => c.keyspace)));
    const tagCount = this.tags.length;
    const keyName =
      tagCount === 0
        ? (group: string, i: number) => `${prefix}${group}:${i}`
        : (group: string, i: number) => `${prefix}{${this.tags[i % tagCount]}}${group}:${i}`;
    const totalWeight = config.commands.reduce((sum, c) => sum + c.weight, 0);
    let cumulative = 0;
    this.commands = config.commands.map((spec) => {
      cumulative += spec.weight / totalWeight;
      const group = keyGroup(spec);
      let keys = this.groups.get(group);
      if (!keys) {
        keys = Array.from({ length: spec.keyspace }, (_, i) => keyName(group, i));
        this.groups.set(group, keys);
      }
      const keysPerTag = Array.from({ length: tagCount }, (_, tag) => Math.ceil((keys.length - tag) / tagCount));
      return { spec, cumulative, keys, keysPerTag, value: 'x'.repeat(spec.valueSize) };
    });
  }

  /** The hash tag of the next request (an index into `tags`); always 0 without tags. */
  drawTag(): number {
    const count = this.tags.length;
    return count < 2 ? 0 : (this.random() * count) | 0;
  }

  /**
   * Write every string key that GETs read, once, so that they hit real values. Pipelined in batches, each of
   * one hash tag (a cluster client sends a pipeline to one node only).
   */
  async preload(client: RedisClient): Promise<void> {
    const seen = new Set<string[]>();
    const tagCount = Math.max(1, this.tags.length);
    for (const prepared of this.commands) {
      if (prepared.spec.command !== 'get' || seen.has(prepared.keys)) continue;
      seen.add(prepared.keys);
      const batch = Math.max(1, Math.min(1000, Math.floor(8_000_000 / prepared.spec.valueSize)));
      for (let tag = 0; tag < tagCount; tag++) {
        const keys = prepared.keys.filter((_, i) => i % tagCount === tag);
        for (let start = 0; start < keys.length; start += batch) {
          const pipeline = client.pipeline();
          for (const key of keys.slice(start, start + batch)) pipeline.set(key, prepared.value);
          throwFirstError(await pipeline.exec());
        }
      }
    }
  }

  /**
   * One request of hash tag `tag`. `asking`: each command goes after an ASKING, for the node a slot is being
   * migrated to (a cluster's ASK redirection), which serves it only then.
   */
  run(client: Connection, tag: number, asking = false): Promise<unknown> {
    const n = this.config.commandsPerRequest;
    if (n === 1 && !asking) return this.send(client, this.pick(), tag);
    if (this.config.pipeline || n === 1) {
      const pipeline = client.pipeline();
      for (let i = 0; i < n; i++) {
        if (asking) pipeline.asking();
        this.send(pipeline, this.pick(), tag);
      }
      return pipeline.exec().then(throwFirstError);
    }
    return this.runSequentially(client, n, tag, asking);
  }

  private async runSequentially(client: Connection, n: number, tag: number, asking: boolean): Promise<void> {
    for (let i = 0; i < n; i++) {
      if (asking) void client.asking();
      await this.send(client, this.pick(), tag);
    }
  }

  private pick(): PreparedCommand {
    if (this.commands.length === 1) return this.commands[0]!;
    const draw = this.random();
    for (const prepared of this.commands) if (draw < prepared.cumulative) return prepared;
    return this.commands[this.commands.length - 1]!;
  }

  private send(client: Connection, prepared: PreparedCommand, tag: number): Promise<unknown>;
  private send(client: Pipeline, prepared: PreparedCommand, tag: number): unknown;
  private send(client: Connection | Pipeline, prepared: PreparedCommand, tag: number): unknown {
    const tagCount = prepared.keysPerTag.length;
    const index =
      tagCount < 2
        ? (this.random() * prepared.keys.length) | 0
        : tag + tagCount * ((this.random() * prepared.keysPerTag[tag]!) | 0);
    const key = prepared.keys[index]!;
    switch (prepared.spec.command) {
      case 'get':
        return client.get(key);
      case 'set':
        return client.set(key, prepared.value);
      case 'incr':
        return client.incr(key);
      case 'lpush':
        return client.lpush(key, prepared.value);
      case 'rpop':
        return client.rpop(key);
      case 'blpop':
        return client.blpop(key, prepared.spec.blockMs! / 1000);
    }
  }
}

function throwFirstError(replies: [Error | null, unknown][] | null): void {
  const error = replies?.find(([e]) => e !== null)?.[0];
  if (error) throw error;
}

/**
 * Delete every key under the run's prefix (SCAN + UNLINK, one UNLINK per key in a pipeline: a cluster node refuses
 * one UNLINK of keys in different slots): nothing else is touched. Returns how many.
 */
export async function deleteRunKeys(client: Redis, runId: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${keyPrefix(runId)}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length === 0) continue;
    const pipeline = client.pipeline();
    for (const key of keys) pipeline.unlink(key);
    const replies = (await pipeline.exec()) ?? [];
    throwFirstError(replies);
    deleted += replies.reduce((sum, [, count]) => sum + Number(count), 0);
  } while (cursor !== '0');
  return deleted;
}
