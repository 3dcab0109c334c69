import { RespError } from '../redis/resp.js';
import { StepFailure, StepTimeout, type Step } from './failure.js';

/** SIGINT arrived while a connection was being measured. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

/**
 * One connection's time limit (--connect-timeout), shared by all of its steps, and the interrupt signal.
 * Each step is raced against both, so a server that never answers (or a DNS lookup that hangs) cannot stall
 * the run, and a failure is labelled with the step it happened in.
 */
export class Deadline {
  private readonly expired: Promise<never>;
  private timer: NodeJS.Timeout | undefined;
  private onAbort: (() => void) | undefined;

  constructor(
    timeoutMs: number,
    private readonly signal?: AbortSignal,
  ) {
    this.expired = new Promise<never>((_, reject) => {
      this.timer = setTimeout(() => reject(new StepTimeout(timeoutMs)), timeoutMs);
      this.onAbort = () => reject(new Interrupted());
      if (signal?.aborted) this.onAbort();
      signal?.addEventListener('abort', this.onAbort, { once: true });
    });
    // Nobody may be racing it at the moment it fires; the step that is racing it sees the rejection anyway.
    this.expired.catch(() => undefined);
  }

  async step<T>(step: Step, work: Promise<T>): Promise<T> {
    try {
      return await Promise.race([work, this.expired]);
    } catch (error) {
      if (error instanceof Interrupted) throw error;
      throw new StepFailure(
        step,
        error instanceof Error || error instanceof RespError ? error : new Error(String(error)),
      );
    }
  }

  clear(): void {
    clearTimeout(this.timer);
    if (this.onAbort) this.signal?.removeEventListener('abort', this.onAbort);
  }
}
