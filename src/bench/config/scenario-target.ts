import { TargetError, UsageError } from '../../errors.js';
import { TlsUnavailableError } from '../../redis/certificates.js';
import { startEphemeralServer, type EphemeralServer, type StartServerOptions } from '../../redis/ephemeral-server.js';
import { formatTarget, type RedisTarget } from '../../redis/url.js';
import type { BenchConfig, ScenarioTarget } from '../../schema/bench.js';
import type { Scenario, TargetSources } from './scenario.js';

/**
 * A scenario's `target` says what the server must be, so that a run never measures something else silently: a URL
 * must meet it (or the run is refused, exit 2), and a throwaway server is started to match it (or the run is
 * refused: exit 3 when this machine cannot make one, a usage error exit 2 for the throwaway cluster, which is never
 * made to match). Every refusal is one line, before the first connection, naming the field where it is written and
 * a URL that would meet it.
 */

/** What a scenario's `target` asks, and where each of its fields is written. */
export interface TargetDemand {
  want: ScenarioTarget;
  sources: TargetSources;
}

type Field = keyof ScenarioTarget;
const FIELDS: readonly Field[] = ['tls', 'user', 'db'];

/** Redis' default port in a URL to fill in; the host is a placeholder. */
const URL_TEMPLATE: RedisTarget = { host: 'HOST', port: 6379, username: null, password: null, db: 0, tls: false };

/** The scenario's `target`; null when it has none (and asks nothing). */
export function targetDemand(scenario: Scenario | null): TargetDemand | null {
  return scenario?.target !== undefined ? { want: scenario.target, sources: scenario.targetSources ?? {} } : null;
}

/** Before anything connects: the URL meets the scenario's target, or the throwaway server can be made to. */
export function checkTargetDemand(demand: TargetDemand | null, config: BenchConfig, url: RedisTarget | null): void {
  if (demand === null) return;
  const { want } = demand;
  if (config.cluster && (want.db ?? 0) !== 0) {
    throw new UsageError(
      `${asks(demand, ['db'])}, but --cluster runs against a Redis Cluster, which has only database 0: remove target.db or --cluster`,
    );
  }
  if (url !== null) return checkUrlMeets(demand, url, config.cluster === true);
  // The throwaway cluster is plain and open; only a throwaway single server is made to match.
  const unmet = config.cluster
    ? FIELDS.filter((field) => field !== 'db' && want[field] !== undefined && want[field] !== false)
    : [];
  if (unmet.length > 0) {
    throw new UsageError(
      `${asks(demand, unmet)}, which the throwaway cluster (--cluster without a URL) ` +
        `cannot give: this scenario needs the URL of a cluster node such as ${urlMeeting(want)}`,
    );
  }
}

function checkUrlMeets(demand: TargetDemand, url: RedisTarget, cluster: boolean): void {
  const unmet = unmetBy(demand.want, url);
  if (unmet.length === 0) return;
  const given = `${url.urlSource ?? '--url'} is ${formatTarget(url)}`;
  const orNone = cluster ? '' : ' (or none, for a throwaway server made to match)';
  throw new UsageError(
    `${asks(demand, unmet)}, but ${given}: this scenario needs a URL such as ${urlMeeting(demand.want, url)}${orNone}`,
  );
}

/** The fields of `want` that `url` does not meet, in the order of the scenario format. */
export function unmetBy(want: ScenarioTarget, url: RedisTarget): Field[] {
  const met: Record<Field, boolean> = {
    tls: url.tls === want.tls,
    user: url.username === want.user,
    db: url.db === want.db,
  };
  return FIELDS.filter((field) => want[field] !== undefined && !met[field]);
}

/**
 * A URL that meets `want`: `base` (by default a template with a placeholder host) with the scheme, the user and the
 * database it asks for. `base`'s password is kept (shown as ***) for the same user; another user's is a placeholder.
 */
export function urlMeeting(want: ScenarioTarget, base: RedisTarget = URL_TEMPLATE): string {
  const needed: RedisTarget = {
    ...base,
    tls: want.tls ?? base.tls,
    username: want.user ?? base.username,
    db: want.db ?? base.db,
  };
  const keepsPassword = base.password !== null && needed.username === base.username;
  return formatTarget(needed, keepsPassword ? '***' : needed.username !== null ? 'PASSWORD' : null);
}

/**
 * A throwaway server that matches the scenario's target (TLS with a certificate made for the run, the ACL user with
 * a password made for the run, the database), and the target to reach it with. TLS this machine cannot give is
 * refused in one line: exit 3, the target cannot be used.
 */
export async function startMatchingServer(
  demand: TargetDemand | null,
  options: StartServerOptions = {},
): Promise<{ server: EphemeralServer; target: RedisTarget }> {
  const want = demand?.want ?? {};
  const db = want.db ?? 0;
  try {
    const server = await startEphemeralServer({
      ...options,
      ...(want.tls === true && { tls: 'made-for-the-run' as const }),
      ...(want.user !== undefined && { aclUser: want.user }),
      // Redis starts with 16 databases.
      ...(db >= 16 && { args: [...(options.args ?? []), '--databases', String(db + 1)] }),
    });
    return { server, target: { ...server.target, db } };
  } catch (error) {
    if (demand !== null && error instanceof TlsUnavailableError) {
      throw new TargetError(
        `${asks(demand, ['tls'])}, which the throwaway server cannot give: ${error.message}; this scenario needs a URL such as ${urlMeeting(want)}`,
      );
    }
    throw error;
  }
}

/** "<file>:<line>:<col>: target.tls asks for TLS (rediss://) and target.user for the ACL user app-user" */
function asks({ want, sources }: TargetDemand, fields: readonly Field[]): string {
  const [first, ...rest] = fields as [Field, ...Field[]];
  const head = `${sources[first] ?? `target.${first}`} asks for ${wanted(want, first)}`;
  return [head, ...rest.map((field) => `target.${field} for ${wanted(want, field)}`)].join(' and ');
}

function wanted(want: ScenarioTarget, field: Field): string {
  if (field === 'tls') return want.tls ? 'TLS (rediss://)' : 'no TLS (redis://)';
  if (field === 'user') return `the ACL user ${want.user}`;
  return `database ${want.db}`;
}
