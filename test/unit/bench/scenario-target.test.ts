import { describe, expect, it } from 'vitest';
import { defaultBenchConfig } from '../../../src/bench/config/config.js';
import { checkTargetDemand, unmetBy, urlMeeting } from '../../../src/bench/config/scenario-target.js';
import { UsageError } from '../../../src/errors.js';
import { parseRedisUrl } from '../../../src/redis/url.js';

const url = (text: string) => parseRedisUrl(text);

describe('a URL against a scenario target', () => {
  it('meets each field it matches: the scheme, the user name, the database', () => {
    expect(unmetBy({ tls: true, user: 'app', db: 2 }, url('rediss://app:pw@h:6380/2'))).toEqual([]);
    expect(unmetBy({ tls: true, user: 'app', db: 2 }, url('redis://h'))).toEqual(['tls', 'user', 'db']);
    expect(unmetBy({ tls: false }, url('rediss://h'))).toEqual(['tls']);
    expect(unmetBy({}, url('rediss://someone:pw@h/5'))).toEqual([]);
  });

  it('the URL that would meet it: the same user keeps its password (as ***), another user gets a placeholder', () => {
    expect(urlMeeting({ tls: true }, url('redis://app:secret@h:6380/1'))).toBe('rediss://app:***@h:6380/1');
    expect(urlMeeting({ user: 'app' }, url('redis://bob:secret@h'))).toBe('redis://app:PASSWORD@h:6379/0');
    expect(urlMeeting({ user: 'app', db: 4 }, url('redis://h'))).toBe('redis://app:PASSWORD@h:6379/4');
    expect(urlMeeting({ tls: true, user: 'app' })).toBe('rediss://app:PASSWORD@HOST:6379/0');
    expect(urlMeeting({ tls: true })).toBe('rediss://HOST:6379/0');
  });

  it('refuses before anything connects, naming the field where it is written, never the password', () => {
    const demand = { want: { tls: true }, sources: { tls: 'x.yaml:6:8: target.tls' } };
    const check = () => checkTargetDemand(demand, defaultBenchConfig(), url('redis://:hunter2@h:7000/0'));
    expect(check).toThrow(UsageError);
    expect(check).toThrow(
      'x.yaml:6:8: target.tls asks for TLS (rediss://), ' +
        'but --url is redis://:***@h:7000/0: this scenario needs a URL such as ' +
        'rediss://:***@h:7000/0 (or none, for a throwaway server made to match)',
    );
    expect(() => checkTargetDemand(null, defaultBenchConfig(), url('redis://h'))).not.toThrow();
  });
});
