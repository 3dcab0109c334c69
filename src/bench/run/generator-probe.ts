import { valueAtPercentile, type Histogram } from '../../histograms.js';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';
import type { GeneratorResult } from '../../schema/bench.js';

/**
 * Watches the load generator's own process over a measured window: how busy its event loop was, how late the
 * loop ran its callbacks, and the CPU it used. Started just before the window, stopped just after it.
 */
export interface GeneratorProbe {
  /** `wakeLateness`: the scheduler's lateness in µs, recorded by the load loop. */
  stop(wakeLateness: Histogram | null, durationMs: number): GeneratorResult;
}

const LAG_RESOLUTION_MS = 10;

export function startGeneratorProbe(): GeneratorProbe {
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  // 10 ms between samples: a finer resolution would add a timer of its own to every loop iteration.
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  lag.enable();
  return {
    stop(wakeLateness, durationMs) {
      lag.disable();
      const used = process.cpuUsage(cpu);
      const cpuMs = (used.user + used.system) / 1000;
      return {
        eventLoopUtilization: performance.eventLoopUtilization(elu).utilization,
        // The histogram holds whole intervals between samples: the delay is what exceeds the resolution.
        lagP99Ms: lag.count > 0 ? Math.max(0, lag.percentile(99) / 1e6 - LAG_RESOLUTION_MS) : 0,
        lagMeanMs: lag.count > 0 ? Math.max(0, lag.mean / 1e6 - LAG_RESOLUTION_MS) : 0,
        wakeLateness: wakeLateness !== null && wakeLateness.totalCount > 0 ? latenessSummary(wakeLateness) : null,
        cpuMs,
        cpuShare: durationMs > 0 ? cpuMs / durationMs : 0,
        ...(isMainThread ? {} : { onThread: true as const }),
      };
    },
  };
}

function latenessSummary(histogram: Histogram): NonNullable<GeneratorResult['wakeLateness']> {
  // HDR buckets round up: a percentile is never reported above the exact maximum.
  const at = (percentile: number): number => valueAtPercentile(histogram, percentile);
  return {
    count: histogram.totalCount,
    meanUs: histogram.mean,
    p50Us: at(50),
    p90Us: at(90),
    p99Us: at(99),
    maxUs: histogram.maxValue,
  };
}
