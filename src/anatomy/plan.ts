import { isIP } from 'node:net';
import type { AnatomyPhaseName } from '../schema/anatomy.js';
import type { RedisTarget } from '../redis/url.js';

/** Which phases a connection to this target goes through; the others are reported as skipped. */
export type PhasePlan = Record<AnatomyPhaseName, boolean>;

export function planPhases(target: RedisTarget): PhasePlan {
  return {
    dns: isIP(target.host) === 0,
    tcp: true,
    tls: target.tls,
    auth: target.password !== null,
    select: target.db !== 0,
    'ready-check': true,
    'first-command': true,
  };
}

/** AUTH as a client sends it: with a user name (Redis 6 ACL) when the URL has one. */
export function authCommand(target: RedisTarget): string[] {
  const password = target.password ?? '';
  return target.username !== null ? ['AUTH', target.username, password] : ['AUTH', password];
}
