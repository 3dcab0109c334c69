#!/usr/bin/env node
// npm run fixtures: regenerates the result files of test/fixtures that stand for this version, with the commands that
// CONTRIBUTING.md names (Test helpers and fixtures), by running the built CLI (bench against a throwaway redis-server that the CLI
// starts and stops: REDIS_URL is emptied). The fixtures that stand for an older version are skipped, and it says why.
// `npm run fixtures -- size-result.json` regenerates only the files named. A file is replaced only when its
// command succeeded. The figures of a bench run differ from run to run: run the tests on the new files.
import { execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, root, scratchFolder } from './lib/kit.mjs';

const fixtures = join(root, 'test', 'fixtures');

const size = [
  'size',
  '--threads',
  '200',
  '--rate',
  '20000',
  '--hold-ms',
  '1',
  '--buffer',
  '5',
  '--instances',
  '40',
  '--shards',
  '3',
  '--json',
];
const sweep = [
  'bench',
  '--pool-size',
  '1..6',
  '--concurrency',
  '8',
  '--utilization',
  '0.4',
  '--duration',
  '2s',
  '--warmup',
  '500req',
];

/** `stdout`: the document is what the command prints; `output`: the command writes it with --output <file>. */
const FIXTURES = [
  { file: 'size-result.json', args: size, via: 'stdout' },
  { file: 'size-result-near-limits.json', args: [...size, '--maxclients', '1400', '--fd-limit', '100'], via: 'stdout' },
  { file: 'bench-sweep-generator-result.json', args: sweep, via: 'output' },
  // A capacity curve: two strategies at three offered rates, with an objective.
  {
    file: 'bench-curve-result.json',
    args: [
      'bench',
      '--strategy',
      'per-request,pooled',
      '--rate',
      '500,4000,16000',
      '--slo',
      'p99<5ms',
      '--duration',
      '2s',
      '--warmup',
      '500ms',
    ],
    via: 'output',
  },
  // A throwaway cluster of 3 masters, two threads: the Cluster nodes table and the lines against size.
  {
    file: 'bench-cluster-result.json',
    args: [
      'bench',
      '--cluster',
      '--threads',
      '2',
      '--concurrency',
      '8',
      '--think',
      '0',
      '--pool-size',
      '3',
      '--requests',
      '3000',
      '--warmup',
      '300req',
    ],
    via: 'output',
  },
];

/** Fixtures that stand for an older version: regenerating them would lose what they test. */
const KEPT = [
  {
    file: 'bench-result.json',
    command: 'bench --requests 2000 --concurrency 10 --warmup 200req --output …',
    why: 'written before the load generator was measured (no generator figures): it is the test that an older result still reads',
  },
  {
    file: 'bench-sweep-result.json',
    command: [...sweep, '--output', '…'].join(' '),
    why: 'written before the load generator was measured (no generator figures, no per-row load in its sweep): it is the test that an older sweep still reads',
  },
];

const only = process.argv.slice(2);
const unknown = only.filter((name) => ![...FIXTURES, ...KEPT].some((f) => f.file === name));
if (unknown.length > 0) {
  console.error(
    `fixtures: no such fixture: ${unknown.join(', ')} (regenerated: ${FIXTURES.map((f) => f.file).join(', ')})`,
  );
  process.exit(2);
}
const wanted = (file) => only.length === 0 || only.includes(file);

for (const kept of KEPT.filter((k) => wanted(k.file))) {
  console.log(`skipped ${kept.file} (${kept.command}): ${kept.why}`);
}

const env = { ...process.env, REDIS_URL: '', NO_COLOR: '1' };
const scratch = await scratchFolder('fixtures');
for (const fixture of FIXTURES.filter((f) => wanted(f.file))) {
  console.log(
    `\nredis-pool ${fixture.args.join(' ')}${fixture.via === 'output' ? ' --output …' : ''}  →  test/fixtures/${fixture.file}`,
  );
  const made = join(scratch, fixture.file);
  try {
    if (fixture.via === 'stdout') {
      writeFileSync(
        made,
        execFileSync(process.execPath, [cli, ...fixture.args], { env, stdio: ['ignore', 'pipe', 'inherit'] }),
      );
    } else {
      // The table goes to the terminal as a bench run prints it; progress on stderr.
      execFileSync(process.execPath, [cli, ...fixture.args, '--output', made], {
        env,
        stdio: ['ignore', 'inherit', 'inherit'],
      });
    }
  } catch (error) {
    console.error(
      `fixtures: test/fixtures/${fixture.file} left as it was: redis-pool exited ${error.status ?? error.message}`,
    );
    process.exitCode = 1;
    break;
  }
  copyFileSync(made, join(fixtures, fixture.file));
  console.log(`written test/fixtures/${fixture.file}`);
}
