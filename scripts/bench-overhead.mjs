#!/usr/bin/env node
// npm run bench:overhead: the tool's own latency overhead. At one worker, nothing queues and nothing competes, so
// the p50 a run reports is one round trip plus what the generator adds to it; the lean loop (the same client, a
// histogram, nothing else) measures the round trip plus Node's floor. Alternated ROUNDS times, medians; the
// difference is the tool's overhead. Writes bench-overhead.json.
import { fmt, leanLoop, median, printTable, toolBench, withServer, writeReport } from './lib/kit.mjs';

const rounds = Number(process.env.ROUNDS ?? 3);
const requests = Number(process.env.REQUESTS ?? 20_000);
const pairs = [
  { strategy: 'pooled', lean: 'pooled' },
  { strategy: 'multiplexed', lean: 'shared' },
];
const samples = Object.fromEntries(
  pairs.flatMap((p) => [
    [`tool ${p.strategy}`, []],
    [`lean ${p.lean}`, []],
  ]),
);

await withServer(async (server) => {
  for (let round = 1; round <= rounds; round++) {
    for (const pair of pairs) {
      const lean = await leanLoop(server, { mode: pair.lean, concurrency: 1, requests, warmup: 2000 });
      samples[`lean ${pair.lean}`].push(lean.p50Us);
      const result = await toolBench(server, [
        '--strategy',
        pair.strategy,
        '--concurrency',
        '1',
        '--think',
        '0',
        '--requests',
        String(requests),
        '--warmup',
        '2000req',
      ]);
      const toolP50Us = result.results[0].latency.p50 * 1000;
      samples[`tool ${pair.strategy}`].push(toolP50Us);
      console.error(
        `round ${round}/${rounds}  ${pair.strategy}: tool p50 ${fmt(toolP50Us)} µs, lean p50 ${fmt(lean.p50Us)} µs`,
      );
    }
  }
});

console.log(`\nGET, one worker, ${fmt(requests)} requests, p50 medians of ${rounds} alternations\n`);
const rows = pairs.map((p) => {
  const tool = median(samples[`tool ${p.strategy}`]);
  const lean = median(samples[`lean ${p.lean}`]);
  return { strategy: p.strategy, toolP50Us: tool, leanP50Us: lean, overheadUs: tool - lean };
});
printTable(
  ['strategy', 'tool p50 µs', 'lean loop p50 µs', 'overhead µs (target ≤ 20)'],
  rows.map((r) => [r.strategy, fmt(r.toolP50Us), fmt(r.leanP50Us), fmt(r.overheadUs)]),
);
writeReport('bench-overhead', { requests, rounds, samples, rows });
