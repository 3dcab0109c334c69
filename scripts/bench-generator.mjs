#!/usr/bin/env node
// npm run bench:generator: what the tool's own generator costs in throughput. In one run, against one throwaway
// redis-server, alternated ROUNDS times: redis-benchmark (-k 1, and -k 0 against per-request), the lean loop
// with the same client (scripts/lib/lean-loop.mjs, the floor of Node + ioredis) and `redis-pool bench`, each
// strategy at the same concurrency and request count; then the labelled pipelining variants: pipelines of PIPELINE
// GETs (redis-benchmark -P, the lean loop's --pipeline, bench --pipeline) and ioredis' auto-pipelining on one shared
// connection; then node-redis: its own lean loop (scripts/lib/lean-loop-node-redis.mjs: its pool, one client, a
// client per request) beside `bench --client node-redis`. Every figure is GETs per second. Prints medians and
// ratios; writes bench-generator.json. ONLY=<group>,… runs some groups (persistent, shared, per-request,
// pipelined, auto, node-redis pooled, node-redis shared, node-redis per-request).
import {
  fmt,
  leanLoop,
  median,
  printTable,
  ratio,
  redisBenchmark,
  toolBench,
  withServer,
  writeReport,
} from './lib/kit.mjs';

const rounds = Number(process.env.ROUNDS ?? 3);
const concurrency = Number(process.env.CONCURRENCY ?? 50);
const requests = Number(process.env.REQUESTS ?? 100_000);
// A connection per request is some 30× slower: fewer of them keep the run short.
const perRequestRequests = Number(process.env.PER_REQUEST_REQUESTS ?? 10_000);
const depth = Number(process.env.PIPELINE ?? 16);
const valueSize = 64;
const benchmarkArgs = (count, ...extra) =>
  ['-t', 'get', '-c', concurrency, '-n', count, '-d', valueSize, '-r', 10000, ...extra].map(String);

const variants = [
  {
    name: 'redis-benchmark -k 1',
    group: 'persistent',
    run: (s) => redisBenchmark(s, benchmarkArgs(requests, '-k', 1)),
  },
  {
    name: 'lean loop, a connection per worker',
    group: 'persistent',
    run: async (s) => (await leanLoop(s, { mode: 'pooled', concurrency, requests })).throughput,
  },
  { name: 'redis-pool bench --strategy pooled', group: 'persistent', run: (s) => tool(s, 'pooled', requests) },
  {
    name: 'lean loop, one shared connection',
    group: 'shared',
    run: async (s) => (await leanLoop(s, { mode: 'shared', concurrency, requests })).throughput,
  },
  { name: 'redis-pool bench --strategy multiplexed', group: 'shared', run: (s) => tool(s, 'multiplexed', requests) },
  {
    name: 'redis-benchmark -k 0',
    group: 'per-request',
    run: (s) => redisBenchmark(s, benchmarkArgs(perRequestRequests, '-k', 0)),
  },
  {
    name: 'lean loop, a connection per request',
    group: 'per-request',
    run: async (s) =>
      (await leanLoop(s, { mode: 'per-request', concurrency, requests: perRequestRequests, warmup: 1000 })).throughput,
  },
  {
    name: 'redis-pool bench --strategy per-request',
    group: 'per-request',
    run: (s) => tool(s, 'per-request', perRequestRequests),
  },
  // node-redis: its lean loop (its own pool, client and defaults) beside the tool's --client node-redis runs. Its
  // pool at a fixed size (minimum = maximum = the workers): left to grow by itself, it opens a different number of
  // clients from one run to the next, which moves its throughput by tens of percent.
  {
    name: `node-redis lean loop, its pool of ${concurrency}`,
    group: 'node-redis pooled',
    run: async (s) =>
      (await leanLoop(s, { mode: 'pooled', concurrency, requests, client: 'node-redis', poolSize: concurrency }))
        .throughput,
  },
  {
    name: `redis-pool bench --client node-redis --strategy pooled --pool-size ${concurrency} --min-idle ${concurrency}`,
    group: 'node-redis pooled',
    run: (s) =>
      tool(s, 'pooled', requests, [
        '--client',
        'node-redis',
        '--pool-size',
        String(concurrency),
        '--min-idle',
        String(concurrency),
      ]),
  },
  {
    name: 'node-redis lean loop, one shared client',
    group: 'node-redis shared',
    run: async (s) => (await leanLoop(s, { mode: 'shared', concurrency, requests, client: 'node-redis' })).throughput,
  },
  {
    name: 'redis-pool bench --client node-redis --strategy multiplexed',
    group: 'node-redis shared',
    run: (s) => tool(s, 'multiplexed', requests, ['--client', 'node-redis']),
  },
  {
    name: 'node-redis lean loop, a client per request',
    group: 'node-redis per-request',
    run: async (s) =>
      (
        await leanLoop(s, {
          mode: 'per-request',
          concurrency,
          requests: perRequestRequests,
          warmup: 1000,
          client: 'node-redis',
        })
      ).throughput,
  },
  {
    name: 'redis-pool bench --client node-redis --strategy per-request',
    group: 'node-redis per-request',
    run: (s) => tool(s, 'per-request', perRequestRequests, ['--client', 'node-redis']),
  },
  // The labelled variants: the same number of GETs, sent in pipelines of `depth`, or batched by ioredis.
  {
    name: `redis-benchmark -k 1 -P ${depth}`,
    group: 'pipelined',
    run: (s) => redisBenchmark(s, benchmarkArgs(requests, '-k', 1, '-P', depth)),
  },
  {
    name: `lean loop, a connection per worker, pipelines of ${depth}`,
    group: 'pipelined',
    run: async (s) =>
      (
        await leanLoop(s, {
          mode: 'pooled',
          concurrency,
          requests: requests / depth,
          warmup: 5000 / depth,
          pipeline: depth,
        })
      ).commandsPerSec,
  },
  {
    name: `redis-pool bench --strategy pooled --pipeline ${depth}`,
    group: 'pipelined',
    run: async (s) => depth * (await tool(s, 'pooled', requests / depth, ['--pipeline', String(depth)])),
  },
  {
    name: 'lean loop, one shared connection, auto-pipelining',
    group: 'auto',
    run: async (s) => (await leanLoop(s, { mode: 'shared', concurrency, requests, autoPipelining: true })).throughput,
  },
  {
    name: 'redis-pool bench --strategy multiplexed --auto-pipelining',
    group: 'auto',
    run: (s) => tool(s, 'multiplexed', requests, ['--auto-pipelining']),
  },
];

async function tool(server, strategy, count, extra = []) {
  // Back to back (a closed loop without think time), as the other generators run: the throughput each can reach.
  const args = [
    '--strategy',
    strategy,
    '--concurrency',
    String(concurrency),
    '--think',
    '0',
    '--requests',
    String(count),
    '--warmup',
    `${Math.min(5000, count)}req`,
    '--value-size',
    String(valueSize),
  ];
  const result = await toolBench(server, [...args, ...extra]);
  return result.results[0].throughput;
}

const reference = {
  persistent: 'redis-benchmark -k 1',
  shared: 'redis-benchmark -k 1',
  'per-request': 'redis-benchmark -k 0',
  pipelined: `redis-benchmark -k 1 -P ${depth}`,
  auto: 'redis-benchmark -k 1',
  'node-redis pooled': 'redis-benchmark -k 1',
  'node-redis shared': 'redis-benchmark -k 1',
  'node-redis per-request': 'redis-benchmark -k 0',
};
const floor = {
  persistent: 'lean loop, a connection per worker',
  shared: 'lean loop, one shared connection',
  'per-request': 'lean loop, a connection per request',
  pipelined: `lean loop, a connection per worker, pipelines of ${depth}`,
  auto: 'lean loop, one shared connection, auto-pipelining',
  'node-redis pooled': `node-redis lean loop, its pool of ${concurrency}`,
  'node-redis shared': 'node-redis lean loop, one shared client',
  'node-redis per-request': 'node-redis lean loop, a client per request',
};
// ONLY=persistent,node-redis pooled runs those groups only, with the redis-benchmark run each is compared with.
const only = process.env.ONLY?.split(',').map((g) => g.trim());
if (only) {
  const wanted = (v) => only.includes(v.group) || only.some((g) => reference[g] === v.name);
  variants.splice(0, variants.length, ...variants.filter(wanted));
}
const samples = new Map(variants.map((v) => [v.name, []]));
await withServer(async (server) => {
  // redis-benchmark GETs keys it set itself: preload them once, with the same value size.
  await redisBenchmark(server, ['-t', 'set', '-n', '20000', '-r', '10000', '-d', String(valueSize)]);
  for (let round = 1; round <= rounds; round++) {
    for (const variant of variants) {
      const value = await variant.run(server);
      samples.get(variant.name).push(value);
      console.error(`round ${round}/${rounds}  ${variant.name}: ${fmt(value)} GETs/s`);
    }
  }
});

const medians = Object.fromEntries(variants.map((v) => [v.name, median(samples.get(v.name))]));
// This machine's speed drifts by tens of percent within a minute: a ratio is taken within each round, between
// runs seconds apart, and the ratios' median reported (the median of the throughputs is printed beside it).
const pairedRatio = (name, against) =>
  median(samples.get(name).map((value, round) => ratio(value, samples.get(against)[round])));
const isTool = (v) => v.name.startsWith('redis-pool');
console.log(
  `\nGET of a ${valueSize}-byte value, ${concurrency} workers, ${fmt(requests)} GETs ` +
    `(${fmt(perRequestRequests)} with a connection per request; ` +
    `pipelines of ${depth}), ${rounds} alternations: median GETs/s, and the median of each round's ratios\n`,
);
const rows = variants.map((v) => [
  v.name,
  fmt(medians[v.name]),
  fmt(pairedRatio(v.name, reference[v.group]), 2),
  isTool(v) ? fmt(pairedRatio(v.name, floor[v.group]), 2) : '',
]);
printTable(['', 'GETs/s', 'vs redis-benchmark', 'vs lean loop'], rows);
writeReport('bench-generator', {
  concurrency,
  requests,
  perRequestRequests,
  pipeline: depth,
  valueSize,
  rounds,
  variants: variants.map((v) => ({
    name: v.name,
    samples: samples.get(v.name),
    median: medians[v.name],
    vsRedisBenchmark: pairedRatio(v.name, reference[v.group]),
    vsLeanLoop: isTool(v) ? pairedRatio(v.name, floor[v.group]) : null,
  })),
});
