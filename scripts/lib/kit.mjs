// What the benchmark scripts share: a throwaway redis-server, the built CLI, the lean loop, redis-benchmark,
// medians and ratios, and the JSON file each script writes. Benchmarks report; they never fail on a figure.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cli = join(root, 'dist', 'cli', 'main.js');
const leanLoopScripts = {
  ioredis: join(root, 'scripts', 'lib', 'lean-loop.mjs'),
  'node-redis': join(root, 'scripts', 'lib', 'lean-loop-node-redis.mjs'),
};
const run = promisify(execFile);
const big = { maxBuffer: 256 * 1024 * 1024 };

/** A redis-server of the benchmark's own (the tool's throwaway server: no persistence, dies with this process). */
export async function withServer(body) {
  const { startEphemeralServer } = await import(join(root, 'dist', 'redis', 'ephemeral-server.js'));
  const server = await startEphemeralServer();
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}

/**
 * A new folder in the temporary folder, removed when the script ends however it ends (Ctrl-C included), by the
 * janitor that removes the tool's throwaway server's folder.
 */
export async function scratchFolder(purpose) {
  const { removeWhenThisProcessEnds } = await import(join(root, 'dist', 'redis', 'lifeline.js'));
  const dir = mkdtempSync(join(tmpdir(), `redis-pool-${purpose}-`));
  removeWhenThisProcessEnds(dir);
  return dir;
}

/** `redis-pool bench … --json` against the server; the parsed result. */
export async function toolBench(server, args, env = {}) {
  const { stdout } = await run(
    process.execPath,
    [cli, 'bench', '--url', `redis://127.0.0.1:${server.port}`, ...args, '--json'],
    { ...big, env: { ...process.env, ...env } },
  );
  return JSON.parse(stdout);
}

/** The lean loop in a process of its own: { throughput, p50Us, p99Us, seconds }. */
export async function leanLoop(
  server,
  {
    mode,
    concurrency,
    requests,
    warmup = Math.min(5000, requests),
    pipeline = 1,
    autoPipelining = false,
    client = 'ioredis',
    poolSize,
  },
) {
  const args = [
    '--port',
    String(server.port),
    '--mode',
    mode,
    '--concurrency',
    String(concurrency),
    '--requests',
    String(requests),
    '--warmup',
    String(warmup),
    ...(client === 'ioredis' ? ['--pipeline', String(pipeline)] : []),
    ...(poolSize !== undefined ? ['--pool-size', String(poolSize)] : []),
  ];
  const { stdout } = await run(
    process.execPath,
    [leanLoopScripts[client], ...args, ...(autoPipelining ? ['--auto-pipelining'] : [])],
    big,
  );
  return JSON.parse(stdout);
}

/** redis-benchmark's requests per second (its --csv line), or null when it is not installed. */
export async function redisBenchmark(server, args) {
  try {
    const { stdout } = await run(
      'redis-benchmark',
      ['-h', '127.0.0.1', '-p', String(server.port), '--csv', '-q', ...args],
      big,
    );
    const line = stdout
      .trim()
      .split('\n')
      .find((l) => /^"[A-Z]/.test(l));
    return Number(JSON.parse(`[${line}]`)[1]);
  } catch (error) {
    if (error.code === 'ENOENT') return null;
    throw error;
  }
}

export const median = (values) => {
  const sorted = values.filter((v) => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const ratio = (a, b) => (a === null || b === null || b === 0 ? null : a / b);
export const fmt = (value, digits = 0) =>
  value === null
    ? '–'
    : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The machine a figure was measured on, written beside it. */
export function machine() {
  return { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, node: process.version };
}

export function writeReport(name, report) {
  const file = join(root, `${name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ startedAt: new Date().toISOString(), machine: machine(), ...report }, null, 2)}\n`,
  );
  console.log(`\nwritten to ${file}`);
}

/** Prints rows as an aligned table: the first column left, the others right. */
export function printTable(head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(line(head));
  for (const row of rows) console.log(line(row));
}
