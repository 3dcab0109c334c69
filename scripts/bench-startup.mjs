#!/usr/bin/env node
// npm run bench:startup: how long `redis-pool size --preset api` and `redis-pool --help` take to start and finish,
// beside `node -e 0` (the floor: Node's own start). With hyperfine on PATH it does the timing; otherwise the
// commands are alternated RUNS times and the medians compared. Writes bench-startup.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, fmt, median, printTable, scratchFolder, writeReport } from './lib/kit.mjs';

const runs = Number(process.env.RUNS ?? 30);
const commands = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'redis-pool size --preset api', args: [cli, 'size', '--preset', 'api'] },
  { name: 'redis-pool --help', args: [cli, '--help'] },
];

async function withHyperfine() {
  const out = join(await scratchFolder('startup'), 'hyperfine.json');
  const quoted = commands.map((c) => [process.execPath, ...c.args].map((a) => `'${a}'`).join(' '));
  execFileSync(
    'hyperfine',
    ['--warmup', '3', '--runs', String(runs), '--export-json', out, '--style', 'none', '-N', ...quoted],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return JSON.parse(readFileSync(out, 'utf8')).results.map((r, i) => ({
    name: commands[i].name,
    medianMs: r.median * 1000,
    tool: 'hyperfine',
  }));
}

function alternated() {
  const samples = commands.map(() => []);
  for (let run = 0; run < runs + 3; run++) {
    commands.forEach((command, i) => {
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, command.args, { stdio: 'ignore' });
      if (result.status !== 0) throw new Error(`${command.name} exited ${result.status}`);
      if (run >= 3) samples[i].push(Number(process.hrtime.bigint() - start) / 1e6);
    });
  }
  return commands.map((c, i) => ({ name: c.name, medianMs: median(samples[i]), tool: 'alternated spawns' }));
}

const hasHyperfine = spawnSync('hyperfine', ['--version']).status === 0;
const rows = hasHyperfine ? await withHyperfine() : alternated();
const floor = rows[0].medianMs;
console.log(`\nwall time, median of ${runs} runs (${rows[0].tool})\n`);
printTable(
  ['command', 'ms', 'vs node -e 0 (target ≤ 2 for size)'],
  rows.map((r) => [r.name, fmt(r.medianMs, 1), fmt(r.medianMs / floor, 2)]),
);
writeReport('bench-startup', { runs, rows: rows.map((r) => ({ ...r, vsNode: r.medianMs / floor })) });
