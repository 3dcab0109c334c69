#!/usr/bin/env node
// npm run bench:memory: latencies go into HDR histograms, never into a list of samples, so a run's memory must not
// grow with its length. Peak RSS of `redis-pool bench` at 1,000,000 requests beside 10,000 (pooled and multiplexed,
// 50 workers), read with getrusage at the tool's exit. Writes bench-memory.json.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cli, fmt, printTable, root, scratchFolder, withServer, writeReport } from './lib/kit.mjs';

const long = Number(process.env.LONG_REQUESTS ?? 1_000_000);
const short = Number(process.env.SHORT_REQUESTS ?? 10_000);
const dir = await scratchFolder('memory');
const rows = [];

async function peakRssKiB(server, strategy, requests) {
  const file = join(dir, `${strategy}-${requests}`);
  const args = [
    '--import',
    join(root, 'scripts', 'lib', 'max-rss.mjs'),
    cli,
    'bench',
    '--url',
    `redis://127.0.0.1:${server.port}`,
    '--strategy',
    strategy,
    '--concurrency',
    '50',
    '--think',
    '0',
    '--requests',
    String(requests),
    '--warmup',
    '0',
    '--json',
  ];
  await promisify(execFile)(process.execPath, args, {
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, MAX_RSS_FILE: file },
  });
  return Number(readFileSync(file, 'utf8'));
}

await withServer(async (server) => {
  for (const strategy of ['pooled', 'multiplexed']) {
    const shortKiB = await peakRssKiB(server, strategy, short);
    const longKiB = await peakRssKiB(server, strategy, long);
    rows.push({ strategy, shortKiB, longKiB, ratio: longKiB / shortKiB });
    console.error(
      `${strategy}: ${fmt(shortKiB / 1024, 1)} MiB at ${fmt(short)} requests, ${fmt(longKiB / 1024, 1)} MiB at ${fmt(long)}`,
    );
  }
});
console.log(`\npeak RSS of redis-pool bench, 50 workers\n`);
printTable(
  ['strategy', `${fmt(short)} requests MiB`, `${fmt(long)} requests MiB`, 'ratio (target ≤ 1.2)'],
  rows.map((r) => [r.strategy, fmt(r.shortKiB / 1024, 1), fmt(r.longKiB / 1024, 1), fmt(r.ratio, 2)]),
);
writeReport('bench-memory', { short, long, rows });
