// The examples of the README and docs/: the marked excerpts of real output, how each one is run, and how its block
// is written. Shared by scripts/docs-examples.mjs (npm run docs:examples: runs them and rewrites the blocks) and
// test/unit/docs-examples.test.ts (checks them). A marked excerpt:
//
//   <!-- example head=12 setup=server: redis-pool bench --url "$REDIS_URL" --requests 2000 -->
//   ```
//   $ redis-pool bench --url "$REDIS_URL" --requests 2000
//   …the first 12 lines of its output…
//   …
//   ```
//   <!-- /example -->
//
// The command (one line or several, each a shell command) runs under bash in a scratch folder, with the built
// redis-pool first on PATH, COLUMNS=80, NO_COLOR=1 and no REDIS_URL: bench and anatomy then start a throwaway
// server of their own, never touching one of the machine's. Options, before the colon:
//   head=N         the first N lines of the output; an excerpt that was cut ends with a line "…"
//   grep=REGEX     only the lines that match (then head=N of those); no spaces: \s
//   setup=server   a throwaway redis-server started first, its URL in $REDIS_URL (e.g. for merge: two benches
//                  against one server); setup=client-groups also starts the four synthetic client groups of
//                  test/helpers/client-group.mjs on it (blocked, busy, churn, idle), for observe
//   exit=N         the exit code the command ends with (default 0)
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const SETUPS = new Set(['server', 'client-groups']);
const OPTION = /^(head|grep|setup|exit)=(\S+)$/;
const CLOSING = '<!-- /example -->';
const CUT = '…';

/**
 * Every marked excerpt of a Markdown text, in order: its options, its command, and where its content lies
 * (`start`, `end`: the lines between the markers). Markers inside fenced code blocks are text, not markers.
 */
export function findExamples(text, file = 'the text') {
  const lines = text.split('\n');
  const examples = [];
  let fence = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (fence !== null) {
      // A fence closes with a run of its own character at least as long as the one that opened it, and nothing else.
      const closing = /^\s{0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (closing && closing[1][0] === fence[0] && closing[1].length >= fence.length) fence = null;
      continue;
    }
    const opening = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (opening) {
      fence = opening[1];
      continue;
    }
    if (!line.startsWith('<!-- example')) continue;
    let marker = line;
    let j = i;
    while (!marker.includes('-->')) {
      j++;
      if (j >= lines.length) throw new Error(`${file}:${i + 1}: an example marker that never ends (no -->)`);
      marker += `\n${lines[j]}`;
    }
    const example = parseMarker(marker, `${file}:${i + 1}`);
    const close = lines.indexOf(CLOSING, j + 1);
    if (close === -1) throw new Error(`${file}:${i + 1}: an example without its closing ${CLOSING}`);
    const nextOpening = lines.findIndex((l, k) => k > j && k < close && l.startsWith('<!-- example'));
    if (nextOpening !== -1)
      throw new Error(
        `${file}:${i + 1}: an example whose ${CLOSING} is missing before the next one (line ${nextOpening + 1})`,
      );
    examples.push({
      ...example,
      file,
      line: i + 1,
      start: j + 1,
      end: close,
      content: lines.slice(j + 1, close).join('\n'),
    });
    i = close;
  }
  return examples;
}

/** `<!-- example [options]: command -->` → { head, grep, setup, exit, command }. */
export function parseMarker(marker, where = 'a marker') {
  const match = /^<!-- example((?:[ \t]+\S+=\S+)*):[ \t]*([\s\S]*?)[ \t]*-->$/.exec(marker.trim());
  if (!match)
    throw new Error(
      `${where}: not an example marker: write <!-- example [head=N] [grep=REGEX] [setup=server|client-groups] [exit=N]: <command> -->`,
    );
  const example = { head: null, grep: null, setup: null, exit: 0, command: match[2].trim() };
  for (const option of match[1].trim().split(/\s+/).filter(Boolean)) {
    const [, key, value] = OPTION.exec(option) ?? [];
    if (key === 'head' && /^[1-9]\d*$/.test(value)) example.head = Number(value);
    else if (key === 'exit' && /^\d+$/.test(value)) example.exit = Number(value);
    else if (key === 'grep') example.grep = value;
    else if (key === 'setup' && SETUPS.has(value)) example.setup = value;
    else
      throw new Error(
        `${where}: unknown example option ${option} (head=N, grep=REGEX, setup=server|client-groups, exit=N)`,
      );
  }
  if (example.command === '') throw new Error(`${where}: an example marker without a command`);
  if (!/\bredis-pool\s/.test(example.command))
    throw new Error(`${where}: an example that does not run redis-pool: ${example.command}`);
  return example;
}

/** The redis-pool subcommands an example runs (`size`, `bench`…). */
export function subcommands(example) {
  return [...example.command.matchAll(/\bredis-pool\s+([a-z][a-z-]*)/g)].map((m) => m[1]);
}

/** An example that needs no Redis server at all: it only sizes. Its whole excerpt can be checked by running it. */
export function needsServer(example) {
  return example.setup !== null || subcommands(example).some((name) => name !== 'size');
}

/** The lines an example shows of its output: selected, cut, and the mark of a cut. */
export function excerpt(example, stdout) {
  const all = stdout
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => line.trimEnd());
  const grep = example.grep === null ? null : new RegExp(example.grep);
  const kept = (grep ? all.filter((line) => grep.test(line)) : all).slice(0, example.head ?? undefined);
  return kept.length < all.length ? [...kept, CUT] : kept;
}

/** The block between the markers: a fence around the command (each line after `$ `) and the lines it showed. */
export function renderBlock(example, stdout) {
  const body = [...example.command.split('\n').map((line) => `$ ${line.trim()}`), ...excerpt(example, stdout)];
  const longest = Math.max(0, ...body.map((line) => /^\s*(`+)/.exec(line)?.[1].length ?? 0));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [fence, ...body, fence].join('\n');
}

/** The text with each example's content replaced by `blocks.get(example)` where there is one. */
export function rewrite(text, examples, blocks) {
  const lines = text.split('\n');
  for (const example of [...examples].sort((a, b) => b.start - a.start)) {
    const block = blocks.get(example);
    if (block !== undefined) lines.splice(example.start, example.end - example.start, ...block.split('\n'));
  }
  return lines.join('\n');
}

/**
 * The header line of every table of a text, as its cells: the first `│` line of each box table (after its `┌`, or
 * where an excerpt's table starts), and the line above each Markdown table's `| --- |` line.
 */
export function tableHeaders(text) {
  const lines = text.split('\n');
  const headers = [];
  const cells = (line, bar) =>
    line
      .split(bar)
      .map((cell) => cell.trim())
      .slice(1, -1)
      .join(' | ');
  lines.forEach((line, i) => {
    if (line.startsWith('│') && !(lines[i - 1] ?? '').startsWith('│')) headers.push(cells(line, '│'));
    if (line.startsWith('|') && /^\|\s*:?-{3,}:?\s*\|/.test(lines[i + 1] ?? '')) headers.push(cells(line, '|'));
  });
  return headers;
}

/** The redis-pool of this checkout's dist/, first on PATH, in `dir`. */
function shim(dir) {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const file = join(bin, 'redis-pool');
  writeFileSync(file, `#!/bin/sh\nexec '${process.execPath}' '${cli}' "$@"\n`);
  chmodSync(file, 0o755);
  return bin;
}

/** The environment of a command: fixed width, no colour, no REDIS_URL of the caller's. */
export function exampleEnvironment(bin, redisUrl = null) {
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, COLUMNS: '80', NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  delete env.REDIS_URL;
  if (redisUrl !== null) env.REDIS_URL = redisUrl;
  return env;
}

/**
 * Runs an example's command in a new folder under `dir` (its setup first, stopped after) and returns its stdout.
 * Throws, with its stderr, when it exits otherwise than the marker says.
 */
export async function runExample(example, dir, { timeoutMs = 15 * 60_000 } = {}) {
  const bin = shim(dir);
  const cwd = mkdtempSync(join(dir, 'run-'));
  const setup = example.setup === null ? null : await startSetup(example.setup);
  try {
    const { code, stdout, stderr } = await run('bash', ['-c', example.command], {
      cwd,
      env: exampleEnvironment(bin, setup?.url ?? null),
      timeoutMs,
    });
    if (code !== example.exit) {
      throw new Error(
        `${example.file}:${example.line}: \`${example.command}\` exited ${code}, not ${example.exit}\n${stderr.trim()}`,
      );
    }
    return stdout;
  } finally {
    await setup?.stop();
  }
}

function run(command, args, { cwd, env, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr });
    });
  });
}

/** A throwaway redis-server (the tool's own: no persistence, a free loopback port), and the client groups on it. */
async function startSetup(kind) {
  const { startEphemeralServer } = await import(join(root, 'dist', 'redis', 'ephemeral-server.js'));
  const server = await startEphemeralServer();
  const groups = [];
  try {
    if (kind === 'client-groups') {
      const script = join(root, 'test', 'helpers', 'client-group.mjs');
      for (const group of ['blocked', 'busy', 'churn', 'idle']) {
        const child = spawn(process.execPath, [script, String(server.port), group], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        groups.push(child);
        await new Promise((resolve, reject) => {
          const lines = createInterface({ input: child.stdout });
          lines.on('line', (line) => line === 'ready' && resolve());
          child.on('exit', (code) => reject(new Error(`the client group ${group} exited ${code} before it was ready`)));
        });
      }
    }
  } catch (error) {
    await stopAll(groups, server);
    throw error;
  }
  return { url: `redis://127.0.0.1:${server.port}`, stop: () => stopAll(groups, server) };
}

async function stopAll(groups, server) {
  await Promise.all(
    groups.map((child) => {
      if (child.exitCode !== null || child.signalCode !== null) return undefined;
      return new Promise((resolve) => {
        child.on('exit', resolve);
        child.kill('SIGTERM');
      });
    }),
  );
  await server.stop();
}
