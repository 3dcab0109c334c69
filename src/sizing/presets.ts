import type { SizePresetName } from '../schema/size.js';

/** The tutorial's three worked examples of the sizing formula. */
export const SIZE_PRESETS = {
  api: {
    threads: 20,
    utilization: 0.1,
    buffer: 10,
    description: 'REST API: 20 threads, 10 % of their time on Redis, buffer 10',
  },
  worker: {
    threads: 100,
    utilization: 0.5,
    buffer: 20,
    description: 'async worker: 100 coroutines at 50 %, buffer 20',
  },
  batch: { threads: 1, utilization: 1, buffer: 2, description: 'batch processor: 1 thread at 100 %, buffer 2' },
} as const satisfies Record<
  SizePresetName,
  { threads: number; utilization: number; buffer: number; description: string }
>;

export const SIZE_PRESET_NAMES = Object.keys(SIZE_PRESETS) as SizePresetName[];
