import type { ChainableCommander, Redis } from 'ioredis';
import type { WorkloadCommand, WorkloadConfig } from '../schema/bench.js';

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
  value: string;
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
 */
export class Workload {
  private readonly commands: PreparedCommand[];
  private readonly groups = new Map<string, string[]>();

  constructor(
    runId: string,
    private readonly config: WorkloadConfig,
  ) {
    const prefix = keyPrefix(runId);
    const totalWeight = config.commands.reduce((sum, c) => sum + c.weight, 0);
    let cumulative = 0;
    this.commands = config.commands.map((spec) => {
      cumulative += spec.weight / totalWeight;
      const group = keyGroup(spec);
      let keys = this.groups.get(group);
      if (!keys) {
        keys = Array.from({ length: spec.keyspace }, (_, i) => `${prefix}${group}:${i}`);
        this.groups.set(group, keys);
      }
      return { spec, cumulative, keys, value: 'x'.repeat(spec.valueSize) };
    });
  }

  /** Write every string key that GETs read, once, so that they hit real values. Pipelined in batches. */
  async preload(client: Redis): Promise<void> {
    const seen = new Set<string[]>();
    for (const prepared of this.commands) {
      if (prepared.spec.command !== 'get' || seen.has(prepared.keys)) continue;
      seen.add(prepared.keys);
      const batch = Math.max(1, Math.min(1000, Math.floor(8_000_000 / prepared.spec.valueSize)));
      for (let start = 0; start < prepared.keys.length; start += batch) {
        const pipeline = client.pipeline();
        for (const key of prepared.keys.slice(start, start + batch)) pipeline.set(key, prepared.value);
        const replies = await pipeline.exec();
        const failed = replies?.find(([error]) => error !== null);
        if (failed) throw failed[0];
      }
    }
  }

  run(client: Redis): Promise<unknown> {
    const n = this.config.commandsPerRequest;
    if (n === 1) return this.send(client, this.pick());
    if (this.config.pipeline) {
      const pipeline = client.pipeline();
      for (let i = 0; i < n; i++) this.send(pipeline, this.pick());
      return pipeline.exec().then(throwFirstError);
    }
    return this.runSequentially(client, n);
  }

  private async runSequentially(client: Redis, n: number): Promise<void> {
    for (let i = 0; i < n; i++) await this.send(client, this.pick());
  }

  private pick(): PreparedCommand {
    const draw = Math.random();
    for (const prepared of this.commands) if (draw < prepared.cumulative) return prepared;
    return this.commands[this.commands.length - 1]!;
  }

  private send(client: Redis, prepared: PreparedCommand): Promise<unknown>;
  private send(client: ChainableCommander, prepared: PreparedCommand): unknown;
  private send(client: Redis | ChainableCommander, prepared: PreparedCommand): unknown {
    const key = prepared.keys[(Math.random() * prepared.keys.length) | 0]!;
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
  const failed = replies?.find(([error]) => error !== null);
  if (failed) throw failed[0];
}

/** Delete every key under the run's prefix (SCAN + UNLINK): nothing else is touched. Returns how many. */
export async function deleteRunKeys(client: Redis, runId: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${keyPrefix(runId)}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await client.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
