// The lean loop's measured phase, the one loop both lean baselines run (lean-loop.mjs for req/s,
// instruction-loop.mjs for instructions): `concurrency` workers, each awaiting one request after another and
// recording its latency in an HDR histogram (none during a warm-up), nothing else. `request(worker)` returns the
// request's promise: for one GET, the client's own promise (no async frame of ours around it).
import { build } from 'hdr-histogram-js';

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
