import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { checkDocument, type DocumentKindName, type DocumentOf } from '../../src/documents.js';
import type { BenchResult } from '../../src/schema/bench.js';

export const CLI_PATH = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunCliOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Working directory of the tool (default: the test's). */
  cwd?: string;
}

/** Runs the built CLI as a user would, without colour, and collects its output and exit code. */
export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliRun> {
  return startCli(args, options).done;
}

export interface RunningCli {
  child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  done: Promise<CliRun>;
}

/** `bench --url <url> --json …args`, which must succeed silently: its parsed result. */
export async function benchJson(url: string, args: string[]): Promise<BenchResult> {
  const run = await runCli(['bench', '--url', url, '--json', ...args]);
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  return writtenDocument(run.stdout, 'bench');
}

/**
 * A document the tool wrote (its stdout or a file), checked against its schema as every reader checks it: whatever
 * it writes, it can read back. Returned as written, unknown fields and all.
 */
export function writtenDocument<K extends DocumentKindName>(text: string, kind: K): DocumentOf<K> {
  const parsed = JSON.parse(text) as unknown;
  const checked = checkDocument(parsed, [kind]);
  if (!checked.ok) throw new Error(`the tool wrote a ${kind} document that its own readers refuse: ${checked.problem}`);
  return parsed as DocumentOf<K>;
}

/** Starts the built CLI and hands back the process, for tests that signal it mid-run. */
export function startCli(args: string[], options: RunCliOptions = {}): RunningCli {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliRun>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, exitCode, signal });
    });
  });
  return { child, stderr: () => stderr, done };
}
