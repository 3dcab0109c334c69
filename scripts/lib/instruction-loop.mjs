#!/usr/bin/env node
// The loop that bench:instructions runs under callgrind: the lean loop (plain ioredis, an HDR histogram, nothing
// else) or the tool's own load loop (runLoad with its strategy, workload and recorder, from dist/), 50 workers,
// GET of a 64-byte value. It warms up, then waits for the driver to switch callgrind's counting on, runs the
// measured requests, and waits for the driver to switch it off: only the measured requests are counted.
// node scripts/lib/instruction-loop.mjs --port 6379 --variant lean-pooled|tool-pooled|lean-shared|tool-multiplexed --signals DIR
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { root } from './kit.mjs';
import { leanPhase, newLeanHistogram } from './lean-phase.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    variant: { type: 'string' },
    requests: { type: 'string', default: '10000' },
    warmup: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '50' },
    signals: { type: 'string' },
  },
});
const dist = (file) => import(join(root, 'dist', file));
const port = Number(values.port);
const concurrency = Number(values.concurrency);
const keyspace = 10_000;
const [kind, mode] = values.variant.split('-');

const { Workload } = await dist('bench/run/workload.js');
const workload = new Workload('instructions', {
  commands: [{ command: 'get', weight: 1, valueSize: 64, keyspace, blockMs: null }],
  commandsPerRequest: 1,
  pipeline: false,
  autoPipelining: false,
});
const setup = new Redis({ port, host: '127.0.0.1' });
await workload.preload(setup);

const run = kind === 'lean' ? await leanLoop() : await toolLoop();
await run(Number(values.warmup));
writeFileSync(join(values.signals, 'READY'), '');
await signal('GO');
await run(Number(values.requests));
writeFileSync(join(values.signals, 'DONE'), '');
await signal('STOP');
process.exit(0);

/** The lean loop of scripts/lib/lean-loop.mjs (its phase and its one GET), over the keys the workload preloaded. */
async function leanLoop() {
  const keys = Array.from({ length: keyspace }, (_, i) => `redis-pool:instructions:v64:${keyspace}:${i}`);
  const options = { port, host: '127.0.0.1', maxRetriesPerRequest: 0 };
  const connections = mode === 'pooled' ? Array.from({ length: concurrency }, () => new Redis(options)) : [setup];
  await Promise.all(connections.map((c) => c.ping()));
  const histogram = newLeanHistogram();
  const request = (worker) =>
    connections[mode === 'pooled' ? worker : 0].get(keys[Math.floor(Math.random() * keyspace)]);
  return (total) => leanPhase(total, concurrency, request, histogram);
}

/** The tool's load loop as a measured window runs it: its recorder, its histograms, its strategy's connections. */
async function toolLoop() {
  const [
    { ClientFactory },
    { parseRedisUrl },
    { createStrategy },
    { runLoad, newRecorder, newHoldStats },
    { newHistogram },
    { defaultPoolConfig },
  ] = await Promise.all([
    dist('bench/strategies/client-factory.js'),
    dist('redis/url.js'),
    dist('bench/strategies/index.js'),
    dist('bench/run/load-loop.js'),
    dist('histograms.js'),
    dist('bench/config/config.js'),
  ]);
  const factory = new ClientFactory(
    parseRedisUrl(`redis://127.0.0.1:${port}`),
    { connectTimeoutMs: 5000, commandTimeoutMs: 0 },
    'redis-pool:instructions',
    null,
  );
  const strategy = createStrategy(mode, factory, defaultPoolConfig(concurrency));
  await strategy.start();
  const load = { ratePerSec: null, targetUtilization: null, thinkMs: null, thinkDistribution: 'exponential' };
  const holdStats = newHoldStats();
  return async (total) => {
    const recorder = newRecorder(newHistogram(), mode === 'pooled' ? newHistogram() : null, null, newHistogram());
    await runLoad(
      strategy,
      workload,
      concurrency,
      load,
      { remainingRequests: total, deadlineNs: 2n ** 80n },
      recorder,
      holdStats,
    );
  };
}

function signal(name) {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (!existsSync(join(values.signals, name))) return;
      clearInterval(timer);
      resolve();
    }, 20);
  });
}
