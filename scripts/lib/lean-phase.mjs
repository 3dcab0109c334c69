// The lean loop's measured phase, the one loop every lean baseline runs (lean-loop.mjs and lean-loop-node-redis.mjs
// for req/s, instruction-loop.mjs for instructions): `concurrency` workers, each awaiting one request after another and
// recording its latency in an HDR histogram (none during a warm-up), nothing else. `request(worker)` returns the
// request's promise: for one GET, the client's own promise (no async frame of ours around it).
import { parseArgs } from 'node:util';
import { build } from 'hdr-histogram-js';

/** The flags every req/s lean loop takes, with a client's own added (`extra`, parseArgs options). */
export function leanArgs(extra) {
  return parseArgs({
    options: {
      port: { type: 'string' },
      mode: { type: 'string', default: 'pooled' },
      concurrency: { type: 'string', default: '50' },
      requests: { type: 'string', default: '100000' },
      warmup: { type: 'string', default: '5000' },
      keyspace: { type: 'string', default: '10000' },
      'value-size': { type: 'string', default: '64' },
      ...extra,
    },
  }).values;
}

export const newLeanHistogram = () =>
  build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });

/** Runs `total` requests; resolves with the seconds they took. */
export async function leanPhase(total, concurrency, request, histogram) {
  let remaining = total;
  const worker = async (index) => {
    while (remaining > 0) {
      remaining--;
      const start = process.hrtime.bigint();
      await request(index);
      histogram?.recordValue(Number((process.hrtime.bigint() - start) / 1000n));
    }
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * The warm-up, then the measured requests with their CPU time; prints the one JSON line the benchmark scripts read.
 * `commandsPerRequest`: the GETs one request sends (a pipeline's depth).
 */
export async function measureAndReport(values, request, commandsPerRequest = 1) {
  const concurrency = Number(values.concurrency);
  await leanPhase(Number(values.warmup), concurrency, request, null);
  const histogram = newLeanHistogram();
  const requests = Number(values.requests);
  const cpuBefore = process.cpuUsage();
  const seconds = await leanPhase(requests, concurrency, request, histogram);
  const cpu = process.cpuUsage(cpuBefore);
  return () =>
    console.log(
      JSON.stringify({
        mode: values.mode,
        concurrency,
        requests,
        seconds,
        throughput: requests / seconds,
        commandsPerSec: (requests * commandsPerRequest) / seconds,
        cpuUsPerRequest: (cpu.user + cpu.system) / requests,
        p50Us: histogram.getValueAtPercentile(50),
        p99Us: histogram.getValueAtPercentile(99),
      }),
    );
}
