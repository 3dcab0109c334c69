#!/usr/bin/env node
// npm run bench:instructions: what the load loop costs per request, counted, not timed. On a machine whose speed
// drifts by tens of percent within a minute, a change of a microsecond per request cannot be seen in req/s;
// callgrind counts the instructions a process executes, the same from one run to the next whatever else the
// machine does. Each loop (scripts/lib/instruction-loop.mjs: the lean loop, and the tool's runLoad with its
// strategy) warms up, then only its measured requests are counted. The instructions of V8's optimizing compiler
// are set apart: when its background work lands inside the window is a matter of timing, not of the loop.
// Counts what runs in the process (JavaScript, V8, libuv, libc), not the kernel's socket work, which is the same
// for both loops (one write and one read per request, strace -c). Needs valgrind. Writes bench-instructions.json.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fmt, printTable, ratio, root, scratchFolder, withServer, writeReport } from './lib/kit.mjs';

const requests = Number(process.env.REQUESTS ?? 10_000);
const warmup = Number(process.env.WARMUP ?? 20_000);
const pairs = [
  { lean: 'lean-pooled', tool: 'tool-pooled', name: 'a connection per worker / pooled' },
  { lean: 'lean-shared', tool: 'tool-multiplexed', name: 'one shared connection / multiplexed' },
];

try {
  execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
} catch {
  console.log('valgrind is not on PATH (Debian: apt-get install valgrind): nothing counted');
  process.exit(0);
}

const counts = {};
await withServer(async (server) => {
  for (const variant of pairs.flatMap((p) => [p.lean, p.tool])) {
    counts[variant] = await countInstructions(server.port, variant);
    const c = counts[variant];
    console.error(
      `${variant}: ${fmt(c.total / requests)} instructions per request, ${fmt(c.compiler / requests)} of them V8's compiler`,
    );
  }
});

const perRequest = (variant) => (counts[variant].total - counts[variant].compiler) / requests;
console.log(
  `\nGET of a 64-byte value, 50 workers, ${fmt(requests)} requests counted ` +
    `after ${fmt(warmup)} of warm-up: instructions per request, V8's compiler set apart\n`,
);
const rows = pairs.map((p) => [
  p.name,
  fmt(perRequest(p.lean)),
  fmt(perRequest(p.tool)),
  fmt(perRequest(p.tool) - perRequest(p.lean)),
  fmt(ratio(perRequest(p.lean), perRequest(p.tool)), 3),
]);
printTable(['', 'lean loop', 'tool', 'tool − lean', 'lean ÷ tool'], rows);
writeReport('bench-instructions', {
  requests,
  warmup,
  counts,
  pairs: pairs.map((p) => ({
    ...p,
    leanPerRequest: perRequest(p.lean),
    toolPerRequest: perRequest(p.tool),
    ratio: ratio(perRequest(p.lean), perRequest(p.tool)),
  })),
});

/** Runs one loop under callgrind, counting only its measured requests (callgrind_control switches counting on and off). */
async function countInstructions(port, variant) {
  const signals = await scratchFolder('instructions');
  const out = join(signals, 'callgrind.out');
  const args = [
    '--tool=callgrind',
    '--instr-atstart=no',
    `--callgrind-out-file=${out}`,
    process.execPath,
    join(root, 'scripts', 'lib', 'instruction-loop.mjs'),
  ];
  const child = spawn(
    'valgrind',
    [
      ...args,
      '--port',
      String(port),
      '--variant',
      variant,
      '--requests',
      String(requests),
      '--warmup',
      String(warmup),
      '--signals',
      signals,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    await until(signals, 'READY', exited);
    execFileSync('callgrind_control', ['--instr=on', String(child.pid)], { stdio: 'ignore' });
    writeFileSync(join(signals, 'GO'), '');
    await until(signals, 'DONE', exited);
    execFileSync('callgrind_control', ['--instr=off', String(child.pid)], { stdio: 'ignore' });
    writeFileSync(join(signals, 'STOP'), '');
    const code = await exited;
    if (code !== 0)
      throw new Error(`${variant} exited with ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
    return split(
      execFileSync('callgrind_annotate', ['--threshold=100', out], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
    );
  } finally {
    child.kill('SIGKILL');
  }
}

async function until(dir, name, exited) {
  let gone = false;
  exited.then(() => (gone = true));
  while (!existsSync(join(dir, name))) {
    if (gone) throw new Error(`the loop ended before ${name}`);
    await sleep(100);
  }
}

/** Total instructions, and those of V8's compilers (TurboFan, Maglev, the parser), from callgrind_annotate's lines. */
function split(annotated) {
  let total = 0;
  let compiler = 0;
  for (const line of annotated.split('\n')) {
    const match = /^\s*([\d,]+) \([ \d.]+%\)\s+(.*)$/.exec(line);
    if (!match || match[2].includes('PROGRAM TOTALS')) continue;
    const n = Number(match[1].replaceAll(',', ''));
    total += n;
    if (/v8::internal::(compiler|maglev)::|v8::internal::(Parser|Scanner)|Compil/.test(match[2])) compiler += n;
  }
  return { total, compiler };
}
