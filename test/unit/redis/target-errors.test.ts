import { describe, expect, it } from 'vitest';
import { ServerFullError, SetupRefusedError } from '../../../src/redis/checked-redis.js';
import { isRespLine, PlainRespPortError } from '../../../src/redis/resp-probe.js';
import {
  connectFailure,
  describeConnectError,
  describeHangUp,
  describeRefusal,
  describeTimeout,
} from '../../../src/redis/target-errors.js';
import type { RedisTarget } from '../../../src/redis/url.js';

const target: RedisTarget = {
  host: '127.0.0.1',
  port: 6380,
  username: 'alice',
  password: 's3cret-Pw',
  db: 99,
  tls: false,
  urlSource: '--url',
};

describe('describeRefusal: the server refused a setup command', () => {
  it.each([
    [
      'SELECT',
      'ERR DB index is out of range',
      /^SELECT 99 refused \(ERR DB index is out of range\); check the database number at the end of --url$/,
    ],
    [
      'SELECT',
      "NOPERM this user has no permissions to run the 'select' command",
      /^SELECT 99 refused \(NOPERM .*\); check the database number/,
    ],
    [
      'AUTH',
      'WRONGPASS invalid username-password pair or user is disabled.',
      /^authentication refused \(WRONGPASS .*\); check the user and password in --url$/,
    ],
    [
      'CLIENT SETNAME',
      'NOAUTH Authentication required.',
      /^the server requires a password \(NOAUTH .*\); add the password/,
    ],
    [
      'AUTH',
      'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
      /^the server has no password, but --url gives one \(ERR AUTH <password> called without any password configured/,
    ],
    ['AUTH', 'ERR Client sent AUTH, but no password is set', /^the server has no password, but --url gives one/],
    [
      'CLIENT SETNAME',
      "NOPERM this user has no permissions to run the 'client|setname' command",
      /^CLIENT SETNAME refused \(NOPERM .*\); .*ACL SETUSER <user> \+client\|setname/,
    ],
    [
      'INFO',
      'ERR max number of clients reached',
      /^the server is at its maxclients limit \(ERR max number of clients reached\): it refuses every new connection/,
    ],
    ['AUTH', 'ERR max number of clients reached', /^the server is at its maxclients limit/],
    ['INFO', 'ERR unknown command', /^the ready check \(INFO\) refused: ERR unknown command$/],
  ])('%s answered %j', (command, reply, expected) => {
    expect(describeRefusal(command, reply, target)).toMatch(expected);
  });
});

describe('the hint names where the URL came from', () => {
  it('REDIS_URL when the environment gave it', () => {
    const fromEnv: RedisTarget = { ...target, urlSource: 'REDIS_URL' };
    expect(describeRefusal('SELECT', 'ERR DB index is out of range', fromEnv)).toMatch(
      /check the database number at the end of REDIS_URL$/,
    );
    expect(
      describeConnectError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), fromEnv),
    ).toMatch(/check REDIS_URL$/);
  });
});

describe('describeConnectError / connectFailure', () => {
  it('words the checked client errors and the plain-port probe', () => {
    expect(describeConnectError(new SetupRefusedError('SELECT', 'ERR DB index is out of range'), target)).toMatch(
      /^SELECT 99 refused/,
    );
    expect(describeConnectError(new ServerFullError('ERR max number of clients reached'), target)).toMatch(
      /maxclients limit/,
    );
    expect(describeConnectError(new PlainRespPortError(), target)).toMatch(
      /^no TLS answer on a port that speaks plain RESP: use redis:\/\//,
    );
    expect(
      describeConnectError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), target),
    ).toMatch(/^connection refused/);
    expect(describeConnectError(new Error('Ready check failed: NOAUTH Authentication required.'), target)).toMatch(
      /^the server requires a password/,
    );
  });

  it('is one line naming the target without its password', () => {
    const error = connectFailure(new SetupRefusedError('SELECT', 'ERR DB index is out of range'), target);
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/^cannot use redis:\/\/alice:\*\*\*@127\.0\.0\.1:6380\/99: SELECT 99 refused/);
    expect(error.message).not.toContain('s3cret-Pw');
  });
});

describe('the sentences bench and anatomy share', () => {
  it('words a timeout once, with or without the step that waited', () => {
    const hint = 'check the host and port in --url, and the firewall, or raise --connect-timeout';
    expect(describeConnectError(new Error('connect ETIMEDOUT'), target)).toBe(`connection timed out; ${hint}`);
    expect(describeTimeout(target, { timeoutMs: 300, step: 'ready check (INFO)' })).toBe(
      `no answer within 300 ms during the ready check (INFO); ${hint}`,
    );
  });

  it('suggests rediss:// when a plain connection was hung up on or answered in something else than RESP', () => {
    expect(describeHangUp(target, 'ready check (INFO)')).toBe(
      'the server closed the connection during the ready check (INFO); if it serves TLS, use rediss://',
    );
    expect(describeHangUp(target, 'AUTH', 'not a RESP2 reply: array length -2')).toBe(
      'not a RESP2 reply: array length -2 (during the AUTH); if it serves TLS, use rediss://',
    );
    expect(describeHangUp({ ...target, tls: true }, 'AUTH')).toBe('the server closed the connection during the AUTH');
  });
});

describe('isRespLine', () => {
  it.each([
    ['+PONG', true],
    ['-NOAUTH Authentication required.', true],
    ['-DENIED Redis is running in protected mode', true],
    ['\u0015\u0003\u0003\u0000\u0002', false],
    ['HTTP/1.1 400', false],
  ])('%j → %s', (line, expected) => {
    expect(isRespLine(line)).toBe(expected);
  });
});
