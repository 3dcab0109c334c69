import { measureAnatomy } from '../anatomy/measure.js';
import { anatomyResult } from '../anatomy/result.js';
import { EXIT, RedisPoolError } from '../errors.js';
import { startEphemeralServer } from '../redis/ephemeral-server.js';
import type { RedisTarget } from '../redis/url.js';
import { renderAnatomyTable } from '../report/anatomy-terminal.js';
import type { TerminalLayout } from '../report/layout.js';
import { withInterruptHandling } from './interrupt.js';
import { stdoutStyle, writeStdout } from './output.js';
import { plural } from '../format.js';

export interface AnatomyFlags {
  samples: number;
  connectTimeoutMs: number;
  json: boolean;
  colour: boolean;
  layout: TerminalLayout;
  /** The server given by --url or REDIS_URL, or null for a throwaway one. */
  external: RedisTarget | null;
}

/** `redis-pool anatomy` with its flags checked: start or reach the server, time the connections, print. */
export async function runAnatomyCommand(flags: AnatomyFlags): Promise<void> {
  const startedAt = new Date();
  const server = flags.external === null ? await startEphemeralServer() : null;
  const target: RedisTarget = flags.external ?? server!.target;
  const measurement = await withInterruptHandling(server, (signal) =>
    measureAnatomy(target, { samples: flags.samples, connectTimeoutMs: flags.connectTimeoutMs, signal }),
  );
  if (measurement.samples === 0)
    throw new RedisPoolError('interrupted before the first connection was measured', EXIT.interrupted);

  const result = anatomyResult(measurement, { target, mode: server ? 'ephemeral' : 'external', startedAt });
  writeStdout(
    flags.json
      ? JSON.stringify(result, null, 2)
      : renderAnatomyTable(result, stdoutStyle(false, flags.colour), flags.layout),
  );
  if (measurement.interrupted)
    throw new RedisPoolError(
      `interrupted: results of the first ${plural(measurement.samples, 'connection')} written`,
      EXIT.interrupted,
    );
}
