import { Worker } from 'node:worker_threads';
import { RedisPoolError } from '../../errors.js';
import type { BenchConfig, BenchResult } from '../../schema/bench.js';
import type { MeasuredBench } from '../gates/gate.js';
import { mergeResults } from './merge.js';
import type { BenchHooks, BenchTarget } from '../runner.js';

/** `total` in `parts` whole shares, none more than one apart: the remainder goes to the first ones, nothing is dropped. */
export function splitEvenly(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const remainder = total - base * parts;
  return Array.from({ length: parts }, (_, i) => base + (i < remainder ? 1 : 0));
}

/**
 * Each thread's share of the benchmark: its workers, its requests (and warm-up requests), its part of the rate (of
 * each step's rate, for a capacity curve) in proportion to its workers. Everything else (the pool settings included) is the same in every thread.
 */
export function threadConfigs(config: BenchConfig): BenchConfig[] {
  const threads = config.threads ?? 1;
  const workers = splitEvenly(config.concurrency, threads);
  const requests = config.requests !== null ? splitEvenly(config.requests, threads) : null;
  const warmups = config.warmup.requests !== null ? splitEvenly(config.warmup.requests, threads) : null;
  return workers.map((concurrency, i) => {
    const share = (rate: number): number => (rate * concurrency) / config.concurrency;
    return {
      ...config,
      threads: 1,
      concurrency,
      requests: requests?.[i] ?? null,
      warmup: { ...config.warmup, requests: warmups?.[i] ?? null },
      load: { ...config.load, ratePerSec: config.load.ratePerSec !== null ? share(config.load.ratePerSec) : null },
      // A capacity curve: each step's rate shared out as the single rate is.
      ...(config.rates ? { rates: config.rates.map(share) } : {}),
    };
  });
}

/** What a thread says to the main thread: at the barrier before a strategy, its result, or its error. */
export type ThreadMessage =
  | { type: 'at' }
  | { type: 'result'; result: BenchResult }
  | { type: 'error'; message: string; exitCode: number | null };
/** What the main thread says to a thread: go on past the barrier, or stop (interrupted; it also releases the barrier). */
export type MainMessage = 'go' | 'stop';

/**
 * --threads n: n worker threads (thread-worker.ts), each a whole runner with its own event loop, connections and
 * pool. A barrier before each strategy (every thread says 'at'; all are told 'go' when the last is there) runs
 * each strategy on every thread at once. Each sends its result (its histograms encoded) once at the end, and they
 * are added up exactly, as `merge` adds up machines. A thread that fails stops the others.
 */
export async function runThreads(
  config: BenchConfig,
  benchTarget: BenchTarget,
  hooks: BenchHooks = {},
): Promise<MeasuredBench> {
  const { target, mode, shownAs } = benchTarget;
  const workers = threadConfigs(config).map(
    (share) =>
      new Worker(new URL('./thread-worker.js', import.meta.url), {
        workerData: { config: share, target: { target, mode, shownAs } },
      }),
  );
  const tell = (message: MainMessage): void => workers.forEach((w) => w.postMessage(message));
  let atBarrier = 0;
  const arrived = (): void => {
    if (++atBarrier < workers.length) return;
    atBarrier = 0;
    tell('go');
  };
  const stop = (): void => tell('stop');
  hooks.signal?.addEventListener('abort', stop, { once: true });
  if (hooks.signal?.aborted) stop();
  try {
    const results = await Promise.all(workers.map((worker) => resultOf(worker, arrived, stop)));
    // Interrupted, the threads may be one strategy apart: the runs every thread finished are the result.
    const finished = Math.min(...results.map((r) => r.results.length));
    const merged = mergeResults(
      results.map((result, i) => ({
        file: `thread ${i + 1}`,
        result: { ...result, results: result.results.slice(0, finished) },
      })),
      config,
    );
    return { ...merged, interrupted: merged.interrupted || hooks.signal?.aborted === true };
  } finally {
    hooks.signal?.removeEventListener('abort', stop);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** A thread's result, or its error (exit code kept); on an error, every thread is told to stop. */
function resultOf(worker: Worker, arrived: () => void, stop: () => void): Promise<BenchResult> {
  const result = new Promise<BenchResult>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      stop();
      reject(error);
    };
    worker.on('message', (message: ThreadMessage) => {
      if (message.type === 'at') arrived();
      else if (message.type === 'result') {
        settled = true;
        resolve(message.result);
      } else
        fail(
          message.exitCode !== null
            ? new RedisPoolError(message.message, message.exitCode)
            : new Error(message.message),
        );
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a bench thread exited (code ${code}) before sending its result`)));
  });
  // Awaited with the others' (Promise.all): a second failure must not become an unhandled rejection.
  result.catch(() => undefined);
  return result;
}
