import { EXIT } from '../errors.js';
import { writeStderr } from './output.js';

/**
 * SIGINT/SIGTERM abort the run so that it can keep what it measured so far; a second one exits at once.
 * The throwaway server (or cluster) is stopped whatever happens.
 */
export async function withInterruptHandling<T>(
  server: { stop(): Promise<void> } | null,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    writeStderr('redis-pool: stopping (press Ctrl-C again to quit at once)…');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await run(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await server?.stop();
  }
}
