#!/usr/bin/env node
// The floor of what Node + ioredis can do: the leanest loop with the same client the tool uses, run in a process
// of its own like the tool. Each worker awaits one GET after another and records its latency in an HDR
// histogram; nothing else. Modes: pooled (one connection per worker), shared (every worker on one connection),
// per-request (connect, GET, QUIT for each request). --pipeline n: a request is n GETs sent as one pipeline;
// --auto-pipelining: ioredis' enableAutoPipelining on every connection.
// node scripts/lib/lean-loop.mjs --port 6379 --mode pooled --concurrency 50 --requests 100000 --warmup 5000
import { Redis } from 'ioredis';
import { leanArgs, measureAndReport } from './lean-phase.mjs';

const values = leanArgs({
  pipeline: { type: 'string', default: '1' },
  'auto-pipelining': { type: 'boolean', default: false },
});
const port = Number(values.port);
const mode = values.mode;
const concurrency = Number(values.concurrency);
const keyspace = Number(values.keyspace);
const depth = Number(values.pipeline);
const options = {
  port,
  host: '127.0.0.1',
  lazyConnect: false,
  maxRetriesPerRequest: 0,
  enableAutoPipelining: values['auto-pipelining'],
};
const keyOf = (i) => `lean:key:${i}`;

const setup = new Redis(options);
const value = 'x'.repeat(Number(values['value-size']));
const preload = setup.pipeline();
for (let i = 0; i < keyspace; i++) preload.set(keyOf(i), value);
await preload.exec();

const connections =
  mode === 'pooled' ? Array.from({ length: concurrency }, () => new Redis(options)) : mode === 'shared' ? [setup] : [];
await Promise.all(connections.map((c) => c.ping()));

const randomKey = () => keyOf(Math.floor(Math.random() * keyspace));
const connectionOf = (worker) => connections[mode === 'pooled' ? worker : 0];

/** What one request does, by mode: one GET is the client's own promise, nothing around it. */
function requestOf() {
  if (mode === 'per-request') {
    return async () => {
      const client = new Redis(options);
      await client.get(randomKey());
      await client.quit();
    };
  }
  if (depth === 1) return (worker) => connectionOf(worker).get(randomKey());
  return (worker) => {
    const pipeline = connectionOf(worker).pipeline();
    for (let i = 0; i < depth; i++) pipeline.get(randomKey());
    return pipeline.exec();
  };
}

const report = await measureAndReport(values, requestOf(), depth);

const cleanup = setup.pipeline();
for (let i = 0; i < keyspace; i++) cleanup.del(keyOf(i));
await cleanup.exec();
for (const c of new Set([...connections, setup])) c.disconnect();
report();
