import { describe, expect, it } from 'vitest';
import { StepFailure, StepTimeout, targetErrorFor } from '../../../src/anatomy/failure.js';
import type { AnatomyMeasurement } from '../../../src/anatomy/measure.js';
import { authCommand, planPhases } from '../../../src/anatomy/plan.js';
import { anatomyResult } from '../../../src/anatomy/result.js';
import { ConnectionClosedError } from '../../../src/anatomy/wire.js';
import { newHistogram } from '../../../src/histograms.js';
import { TargetError } from '../../../src/errors.js';
import { RespError } from '../../../src/redis/resp.js';
import type { RedisTarget } from '../../../src/redis/url.js';
import { ANATOMY_PHASES } from '../../../src/schema/anatomy.js';
import { TOOL_VERSION } from '../../../src/version.js';

const PASSWORD = 'Sekr1t-anatomy-unit';
const plain: RedisTarget = { host: '127.0.0.1', port: 6379, username: null, password: null, db: 0, tls: false };
const full: RedisTarget = {
  host: 'redis.internal',
  port: 6380,
  username: 'alice',
  password: PASSWORD,
  db: 3,
  tls: true,
  urlSource: '--url',
};

describe('which phases a target goes through', () => {
  it('skips what the URL does not ask for', () => {
    expect(planPhases(plain)).toEqual({
      dns: false,
      tcp: true,
      tls: false,
      auth: false,
      select: false,
      'ready-check': true,
      'first-command': true,
    });
    expect(planPhases({ ...plain, host: '::1' }).dns).toBe(false);
    expect(Object.values(planPhases(full)).every(Boolean)).toBe(true);
  });

  it('sends AUTH with the user name only when there is one', () => {
    expect(authCommand(full)).toEqual(['AUTH', 'alice', PASSWORD]);
    expect(authCommand({ ...full, username: null })).toEqual(['AUTH', PASSWORD]);
  });
});

describe('the anatomy result', () => {
  function measurement(): AnatomyMeasurement {
    const histograms = Object.fromEntries(
      ANATOMY_PHASES.map((phase) => [phase, null]),
    ) as AnatomyMeasurement['histograms'];
    histograms.tcp = newHistogram();
    histograms['ready-check'] = newHistogram();
    histograms['first-command'] = newHistogram();
    const total = newHistogram();
    const openPing = newHistogram();
    for (let i = 1; i <= 4; i++) {
      histograms.tcp.recordValue(100 * i);
      histograms['ready-check'].recordValue(200);
      histograms['first-command'].recordValue(50);
      total.recordValue(100 * i + 250);
      openPing.recordValue(40);
    }
    return {
      histograms,
      total,
      openPing,
      samples: 4,
      interrupted: false,
      server: { server: { name: 'valkey', version: '8.0.1' }, redisVersion: '7.2.4' },
    };
  }

  it('summarizes each phase in ms and marks the skipped ones', () => {
    const result = anatomyResult(measurement(), {
      target: plain,
      mode: 'ephemeral',
      startedAt: new Date('2026-01-02T03:04:05Z'),
    });
    expect(result).toMatchObject({
      schema: 'redis-pool.anatomy/v1',
      tool: { name: 'redis-pool', version: TOOL_VERSION },
      startedAt: '2026-01-02T03:04:05.000Z',
      target: {
        url: 'redis://127.0.0.1:6379/0',
        mode: 'ephemeral',
        redisVersion: '7.2.4',
        server: { name: 'valkey', version: '8.0.1' },
        tls: false,
      },
      samples: 4,
    });
    expect(result.phases.map((p) => [p.phase, p.skipped])).toEqual([
      ['dns', true],
      ['tcp', false],
      ['tls', true],
      ['auth', true],
      ['select', true],
      ['ready-check', false],
      ['first-command', false],
    ]);
    expect(result.phases.find((p) => p.phase === 'dns')?.latency).toBeNull();
    expect(result.phases.find((p) => p.phase === 'tcp')?.latency).toMatchObject({
      unit: 'ms',
      count: 4,
      mean: 0.25,
      p50: 0.2,
      max: 0.4,
    });
    expect(result.total).toMatchObject({ count: 4, mean: 0.5, max: 0.65 });
    expect(result.openConnectionPing).toMatchObject({ count: 4, p50: 0.04 });
    expect(result.total.hdr).toMatch(/^HISTF/);
  });

  it('warns that loopback hides the network, only for a loopback target', () => {
    const local = anatomyResult(measurement(), { target: plain, mode: 'ephemeral', startedAt: new Date() });
    expect(local.warnings.map((w) => w.code)).toEqual(['loopback-target']);
    const remote = anatomyResult(measurement(), { target: full, mode: 'external', startedAt: new Date() });
    expect(remote.warnings).toEqual([]);
    expect(remote.target.url).toBe('rediss://alice:***@redis.internal:6380/3');
  });
});

describe('failure messages', () => {
  const message = (failure: StepFailure, target = full): string => {
    const error = targetErrorFor(failure, target);
    expect(error).toBeInstanceOf(TargetError);
    expect(error.exitCode).toBe(3);
    expect(error.message).not.toContain(PASSWORD);
    expect(error.message).not.toContain('\n');
    return error.message;
  };

  it('names the target without its password and says what to check', () => {
    expect(
      message(new StepFailure('auth', new RespError('WRONGPASS invalid username-password pair or user is disabled.'))),
    ).toBe(
      'cannot use rediss://alice:***@redis.internal:6380/3: authentication refused (WRONGPASS ' +
        'invalid username-password pair or user is disabled.); check the user and password in --url',
    );
    expect(message(new StepFailure('ready-check', new RespError('NOAUTH Authentication required.')))).toMatch(
      /requires a password \(NOAUTH Authentication required\.\); add the password \(and user, for an ACL user\) to --url$/,
    );
    expect(message(new StepFailure('select', new RespError('ERR DB index is out of range')))).toMatch(
      /SELECT 3 refused \(ERR DB index is out of range\)/,
    );
    expect(
      message(new StepFailure('tcp', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))),
    ).toMatch(/connection refused/);
    expect(
      message(new StepFailure('dns', Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }))),
    ).toMatch(/host not found/);
    expect(message(new StepFailure('ready-check', new StepTimeout(200)))).toMatch(
      /no answer within 200 ms during the ready check \(INFO\).*--connect-timeout/,
    );
  });

  it('says to check REDIS_URL, not --url, when the URL came from REDIS_URL', () => {
    const fromEnv: RedisTarget = { ...full, urlSource: 'REDIS_URL' };
    expect(
      message(
        new StepFailure('auth', new RespError('WRONGPASS invalid username-password pair or user is disabled.')),
        fromEnv,
      ),
    ).toMatch(/check the user and password in REDIS_URL$/);
    expect(message(new StepFailure('select', new RespError('ERR DB index is out of range')), fromEnv)).toMatch(
      /check the database number at the end of REDIS_URL$/,
    );
    expect(
      message(
        new StepFailure('tcp', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
        fromEnv,
      ),
    ).toMatch(/check REDIS_URL$/);
    expect(
      message(
        new StepFailure('dns', Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })),
        fromEnv,
      ),
    ).toMatch(/host name in REDIS_URL$/);
  });

  it('explains TLS failures', () => {
    const untrusted = Object.assign(new Error('self-signed certificate in certificate chain'), {
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    expect(message(new StepFailure('tls', untrusted))).toMatch(/not trusted .*--tls-ca.*--tls-insecure/);
    const openssl =
      '80AC62D3177F0000:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate ' +
      'required:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 116\n';
    const clientCert = Object.assign(new Error(openssl), { code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' });
    expect(message(new StepFailure('ready-check', clientCert))).toBe(
      'cannot use rediss://alice:***@redis.internal:6380/3: TLS: ' +
        'the server requires a client certificate (tlsv13 alert certificate required); pass it with --tls-cert and --tls-key',
    );
  });

  it('hints at TLS when a plain connection is closed by the server', () => {
    expect(message(new StepFailure('ready-check', new ConnectionClosedError()), plain)).toMatch(
      /closed the connection during the ready check \(INFO\); if it serves TLS, use rediss:\/\//,
    );
  });
});
