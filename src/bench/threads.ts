import { Worker } from 'node:worker_threads';
import { RedisPoolError } from '../errors.js';
import type { BenchConfig, BenchResult } from '../schema/bench.js';
import type { MeasuredBench } from './gate.js';
import { mergeResults } from './merge.js';
import type { BenchHooks, BenchTarget } from './runner.js';

/** `total` in `parts` whole shares, none more than one apart: the remainder goes to the first ones, nothing is dropped. */
export function splitEvenly(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const remainder = total - base * parts;
  return Array.from({ length: parts }, (_, i) => base + (i < remainder ? 1 : 0));
}

/**
 * Each thread's share of the benchmark: its workers, its requests (and warm-up requests), its part of the rate in
 * proportion to its workers. Everything else (the pool settings included) is the same in every thread.
 */
export function threadConfigs(config: BenchConfig): BenchConfig[] {
  const threads = config.threads ?? 1;
  const workers = splitEvenly(config.concurrency, threads);
  const requests = config.requests !== null ? splitEvenly(config.requests, threads) : null;
  const warmups = config.warmup.requests !== null ? splitEvenly(config.warmup.requests, threads) : null;
  return workers.map((concurrency, i) => ({
    ...config,
    threads: 1,
    concurrency,
    requests: requests?.[i] ?? null,
    warmup: { ...config.warmup, requests: warmups?.[i] ?? null },
    load: { ...config.load, ratePerSec: config.load.ratePerSec !== null ? (config.load.ratePerSec * concurrency) / config.concurrency : null },
  }));
}

/** What a thread says to the main thread. */
export type ThreadMessage = { type: 'ready' } | { type: 'result'; result: BenchResult } | { type: 'error'; message: string; exitCode: number | null };
/** What the main thread says to a thread: start (the barrier), or stop (interrupted). */
export type MainMessage = 'go' | 'stop';

/**
 * --threads n: n worker threads (thread-worker.ts), each a whole runner with its own event loop, connections and
 * pool, started together once every thread is loaded; each sends its result (its histograms encoded) once at the
 * end, and they are added up exactly, as `merge` adds up machines.
 */
export async function runThreads(config: BenchConfig, benchTarget: BenchTarget, hooks: BenchHooks = {}): Promise<MeasuredBench> {
  const { target, mode, shownAs } = benchTarget;
  const workers = threadConfigs(config).map(
    (share) => new Worker(new URL('./thread-worker.js', import.meta.url), { workerData: { config: share, target: { target, mode, shownAs } } }),
  );
  const messages = workers.map((worker) => listen(worker));
  try {
    await Promise.all(messages.map((m) => m.ready));
    const stop = (): void => workers.forEach((w) => w.postMessage('stop' satisfies MainMessage));
    hooks.signal?.addEventListener('abort', stop, { once: true });
    if (hooks.signal?.aborted) stop();
    for (const worker of workers) worker.postMessage('go' satisfies MainMessage);
    const results = await Promise.all(messages.map((m) => m.result));
    hooks.signal?.removeEventListener('abort', stop);
    return mergeResults(results.map((result, i) => ({ file: `thread ${i + 1}`, result })), config);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** A thread's two messages as promises: loaded, and its result (rejected with its error, exit code kept). */
function listen(worker: Worker): { ready: Promise<void>; result: Promise<BenchResult> } {
  let ready!: () => void;
  let resolve!: (result: BenchResult) => void;
  let reject!: (error: unknown) => void;
  const readyPromise = new Promise<void>((r) => (ready = r));
  const result = new Promise<BenchResult>((res, rej) => ((resolve = res), (reject = rej)));
  // Awaited with the others' (Promise.all): a second failure must not become an unhandled rejection.
  result.catch(() => undefined);
  worker.on('message', (message: ThreadMessage) => {
    if (message.type === 'ready') ready();
    else if (message.type === 'result') resolve(message.result);
    else reject(message.exitCode !== null ? new RedisPoolError(message.message, message.exitCode) : new Error(message.message));
  });
  worker.on('error', (error) => {
    ready();
    reject(error);
  });
  worker.on('exit', (code) => {
    ready();
    reject(new Error(`a bench thread exited (code ${code}) before sending its result`));
  });
  return { ready: readyPromise, result };
}
