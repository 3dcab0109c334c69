import type { Redis } from 'ioredis';
import type { CommandName } from '../report/bench-schema.js';

/** The share of SETs in the `mix` command: a read-heavy cache, 4 reads for every write. */
export const MIX_WRITE_SHARE = 0.2;

export interface WorkloadOptions {
  runId: string;
  command: CommandName;
  valueSize: number;
  keyspace: number;
}

/** Every key the tool writes lives under this prefix, so the cleanup can find them and nothing else. */
export function keyPrefix(runId: string): string {
  return `redis-pool:${runId}:`;
}

/**
 * What one request does. Keys and the value are built once, so the hot path only picks an index.
 */
export class Workload {
  private readonly keys: string[];
  private readonly value: string;

  constructor(private readonly options: WorkloadOptions) {
    const prefix = keyPrefix(options.runId);
    this.keys = Array.from({ length: options.keyspace }, (_, i) => `${prefix}key:${i}`);
    this.value = 'x'.repeat(options.valueSize);
  }

  /** Write every key once so that GETs hit real values. Pipelined in batches. */
  async preload(client: Redis): Promise<void> {
    const batch = 1000;
    for (let start = 0; start < this.keys.length; start += batch) {
      const pipeline = client.pipeline();
      for (const key of this.keys.slice(start, start + batch)) pipeline.set(key, this.value);
      const replies = await pipeline.exec();
      const failed = replies?.find(([error]) => error !== null);
      if (failed) throw failed[0];
    }
  }

  run(client: Redis): Promise<unknown> {
    const key = this.keys[(Math.random() * this.keys.length) | 0]!;
    switch (this.options.command) {
      case 'get':
        return client.get(key);
      case 'set':
        return client.set(key, this.value);
      case 'mix':
        return Math.random() < MIX_WRITE_SHARE ? client.set(key, this.value) : client.get(key);
    }
  }
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
