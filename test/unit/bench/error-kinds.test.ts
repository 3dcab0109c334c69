import { describe, expect, it } from 'vitest';
import { breaksConnection, classifyError, endsTheRun } from '../../../src/bench/run/error-kinds.js';
import { ServerFullError, SetupRefusedError } from '../../../src/redis/checked-redis.js';

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe('error kinds', () => {
  it.each([
    [withCode('pool acquire timed out', 'POOL_TIMEOUT'), 'acquire-timeout'],
    [withCode('Too many connections', 'POOL_EXHAUSTED'), 'pool-exhausted'],
    [new Error('Command timed out'), 'command-timeout'],
    [withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'), 'connection'],
    [new Error('Connection is closed.'), 'connection'],
    [Object.assign(new Error('WRONGTYPE Operation against a key'), { name: 'ReplyError' }), 'reply'],
    [new ServerFullError('ERR max number of clients reached'), 'maxclients'],
    [Object.assign(new Error('ERR max number of clients reached'), { name: 'ReplyError' }), 'maxclients'],
    [new Error('something else'), 'other'],
    ['not an error', 'other'],
  ])('%s is %s', (error, kind) => {
    expect(classifyError(error)).toBe(kind);
  });

  it('retires connections after connection errors and timeouts only', () => {
    expect(breaksConnection('connection')).toBe(true);
    expect(breaksConnection('command-timeout')).toBe(true);
    expect(breaksConnection('reply')).toBe(false);
    expect(breaksConnection('acquire-timeout')).toBe(false);
    expect(breaksConnection('maxclients')).toBe(true);
  });

  it('ends the run on a refused setup step only, never on a full server (that is counted)', () => {
    expect(endsTheRun(new SetupRefusedError('SELECT', 'ERR DB index is out of range'))).toBe(true);
    expect(endsTheRun(new ServerFullError('ERR max number of clients reached'))).toBe(false);
    expect(endsTheRun(withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'))).toBe(false);
  });
});
