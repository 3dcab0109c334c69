import { summarize } from '../histograms.js';
import { formatTarget, urlSourceOf, type RedisTarget } from '../redis/url.js';
import { ANATOMY_PHASES, ANATOMY_SCHEMA, type AnatomyResult } from '../schema/anatomy.js';
import type { Warning } from '../schema/warning.js';
import { TOOL } from '../version.js';
import type { AnatomyMeasurement } from './measure.js';

export interface AnatomyContext {
  target: RedisTarget;
  mode: 'ephemeral' | 'external';
  startedAt: Date;
}

/** The redis-pool.anatomy/v1 document for a measurement. */
export function anatomyResult(
  measurement: AnatomyMeasurement,
  { target, mode, startedAt }: AnatomyContext,
): AnatomyResult {
  return {
    schema: ANATOMY_SCHEMA,
    tool: { name: TOOL.name, version: TOOL.version },
    startedAt: startedAt.toISOString(),
    target: {
      url: formatTarget(target),
      mode,
      redisVersion: measurement.server.redisVersion,
      server: measurement.server.server,
      tls: target.tls,
    },
    samples: measurement.samples,
    phases: ANATOMY_PHASES.map((phase) => {
      const histogram = measurement.histograms[phase];
      return { phase, skipped: histogram === null, latency: histogram === null ? null : summarize(histogram) };
    }),
    total: summarize(measurement.total),
    openConnectionPing: summarize(measurement.openPing),
    warnings: anatomyWarnings(target),
  };
}

export function anatomyWarnings(target: RedisTarget): Warning[] {
  if (!isLoopback(target.host)) return [];
  return [
    {
      code: 'loopback-target',
      message:
        'the server is on this machine: every phase waits for at least one round trip, ' +
        'which loopback makes almost free; across a network each round trip adds 0.1 to 3 ms',
      remedy: `run it where your service runs, against the Redis it uses (${urlSourceOf(target)})`,
    },
  ];
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
