#!/usr/bin/env node
// The floor of what Node + node-redis can do, as lean-loop.mjs is for ioredis: the same loop (lean-phase.mjs), the
// same keys and output, with node-redis' own code and defaults. Modes: pooled (node-redis' own pool,
// createClientPool with its defaults or --pool-size as its minimum and maximum, each GET run by pool.execute), shared (every worker on one client),
// per-request (createClient, connect, GET, close for each request).
// node scripts/lib/lean-loop-node-redis.mjs --port 6379 --mode pooled --concurrency 50 --requests 100000 --warmup 5000
import { createClient, createClientPool } from 'redis';
import { leanArgs, measureAndReport } from './lean-phase.mjs';

// pooled: minimum and maximum of the pool; its own defaults (1 and 100) when not given.
const values = leanArgs({ 'pool-size': { type: 'string' } });
const mode = values.mode;
const keyspace = Number(values.keyspace);
// As the tool opens them: no reconnection, so a failure is seen rather than retried.
const options = { socket: { host: '127.0.0.1', port: Number(values.port), reconnectStrategy: false } };
const keyOf = (i) => `lean:key:${i}`;

const setup = createClient(options);
await setup.connect();
const value = 'x'.repeat(Number(values['value-size']));
const preload = setup.multi();
for (let i = 0; i < keyspace; i++) preload.set(keyOf(i), value);
await preload.execAsPipeline();

const randomKey = () => keyOf(Math.floor(Math.random() * keyspace));
const afterReturn = () => {};
let pool = null;
if (mode === 'pooled') {
  const size = values['pool-size'] !== undefined ? Number(values['pool-size']) : undefined;
  pool = createClientPool(options, size !== undefined ? { minimum: size, maximum: size } : {});
  await pool.connect();
}

/** What one request does, by mode: one GET, nothing around it but what node-redis asks for. */
function requestOf() {
  if (mode === 'per-request') {
    return async () => {
      const client = createClient(options);
      await client.connect();
      await client.get(randomKey());
      await client.close();
    };
  }
  // The request ends once the pool has its client back (the step after execute()'s promise settles), as the tool's
  // does: a worker that asked again before would always queue behind its own client, which no service sees.
  if (mode === 'pooled') return () => pool.execute((client) => client.get(randomKey())).then(afterReturn);
  return () => setup.get(randomKey());
}

const report = await measureAndReport(values, requestOf());

const cleanup = setup.multi();
for (let i = 0; i < keyspace; i++) cleanup.del(keyOf(i));
await cleanup.execAsPipeline();
await pool?.close();
await setup.close();
report();
