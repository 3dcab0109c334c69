// One thread of `bench --threads n`: a whole runner on its share of the workers. Before each strategy it says
// 'at' and waits for the main thread's 'go', which comes once every thread is there: the threads run each
// strategy together. 'stop' interrupts it. It sends its result once, at the end.
import { parentPort, workerData } from 'node:worker_threads';
import { RedisPoolError } from '../../errors.js';
import type { BenchConfig } from '../../schema/bench.js';
import { runBench, type BenchTarget } from '../runner.js';
import type { MainMessage, ThreadMessage } from './threads.js';

const { config, target } = workerData as { config: BenchConfig; target: BenchTarget };
const port = parentPort!;
const controller = new AbortController();
const send = (message: ThreadMessage): void => port.postMessage(message);

let release: (() => void) | null = null;
port.on('message', (message: MainMessage) => {
  if (message === 'stop') controller.abort();
  const waiting = release;
  release = null;
  waiting?.();
});
// Stopped, a thread no longer waits for the others (one of them may have failed and will never arrive).
const atBarrier = (): Promise<void> =>
  new Promise((resolve) => {
    if (controller.signal.aborted) return resolve();
    release = resolve;
    send({ type: 'at' });
  });
void run();

async function run(): Promise<void> {
  try {
    const measured = await runBench(config, target, { signal: controller.signal, beforeRun: atBarrier });
    send({ type: 'result', result: { ...measured, thresholds: [], baseline: null } });
  } catch (error) {
    send({
      type: 'error',
      message: error instanceof Error ? error.message : String(error),
      exitCode: error instanceof RedisPoolError ? error.exitCode : null,
    });
  }
  port.close();
}
