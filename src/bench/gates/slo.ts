import { UsageError } from '../../errors.js';

/**
 * A latency objective for the capacity curve: `p99<2ms`, a percentile (p50, p90, p99, p99.9) of the request
 * latency under a time with its unit (µs or us, ms, s). Every objective must hold for a step to count.
 */
export interface Slo {
  text: string;
  percentile: number;
  /** The limit, ms: the step's latency at `percentile` must be under it. */
  limitMs: number;
}

/** The percentiles every latency summary keeps. */
export const SLO_PERCENTILES = [50, 90, 99, 99.9] as const;

const UNITS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000 };
const ACCEPTED = "a percentile (p50, p90, p99, p99.9), '<' and a time with its unit, such as p99<2ms or p99.9<20ms";

/** `source` names where the text came from: the flag (--slo) or a scenario file's `slo[0]`. */
export function parseSlo(raw: string, source = '--slo'): Slo {
  const match = /^\s*p(\d+(?:\.\d+)?)\s*<\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s)\s*$/.exec(raw);
  const refuse = (why: string): never => {
    throw new UsageError(`${source} ${JSON.stringify(raw)}: ${why}; expected ${ACCEPTED}`);
  };
  if (match === null) return refuse('not an objective');
  const percentile = Number(match[1]);
  if (!(SLO_PERCENTILES as readonly number[]).includes(percentile)) return refuse(`p${match[1]} is not offered`);
  const limitMs = Number(match[2]) * UNITS[match[3]!]!;
  if (limitMs <= 0) return refuse('the time must be more than 0');
  return { text: `p${match[1]}<${match[2]}${match[3]}`, percentile, limitMs };
}
