import { describe, expect, it } from 'vitest';
import { encodeCommand, RespError, RespProtocolError, RespReader, type RespValue } from '../../../src/redis/resp.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const readAll = (text: string): RespValue[] => new RespReader().feed(bytes(text));

describe('encodeCommand', () => {
  it('writes an array of bulk strings, lengths in bytes', () => {
    expect(encodeCommand(['PING']).toString()).toBe('*1\r\n$4\r\nPING\r\n');
    expect(encodeCommand(['AUTH', 'alice', 'pw-é']).toString()).toBe(
      '*3\r\n$4\r\nAUTH\r\n$5\r\nalice\r\n$5\r\npw-é\r\n',
    );
    expect(encodeCommand(['SET', 'k', '']).toString()).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n');
  });
});

describe('RespReader', () => {
  it('reads each RESP2 type', () => {
    expect(readAll('+OK\r\n')).toEqual(['OK']);
    expect(readAll(':42\r\n:-7\r\n')).toEqual([42, -7]);
    expect(readAll('$5\r\nhello\r\n')).toEqual(['hello']);
    expect(readAll('$0\r\n\r\n')).toEqual(['']);
    expect(readAll('$-1\r\n')).toEqual([null]);
    expect(readAll('*-1\r\n')).toEqual([null]);
    expect(readAll('*0\r\n')).toEqual([[]]);
    expect(readAll('*3\r\n:1\r\n$3\r\nfoo\r\n*2\r\n+a\r\n$-1\r\n')).toEqual([[1, 'foo', ['a', null]]]);
  });

  it('reads an error reply as a value with its code', () => {
    const [reply] = readAll('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    expect(reply).toBeInstanceOf(RespError);
    expect((reply as RespError).code).toBe('WRONGPASS');
    expect((reply as RespError).message).toBe('WRONGPASS invalid username-password pair or user is disabled.');
  });

  it('keeps CRLF and multi-byte characters inside a bulk string', () => {
    expect(readAll('$13\r\n# Server\r\nv=7\r\n')).toEqual(['# Server\r\nv=7']);
    expect(readAll('$3\r\n€\r\n')).toEqual(['€']);
  });

  it('hands back several replies from one chunk, in order', () => {
    expect(readAll('+OK\r\n$4\r\nPONG\r\n-ERR no\r\n:3\r\n')).toEqual(['OK', 'PONG', new RespError('ERR no'), 3]);
  });

  it('gives the same replies whatever the chunks: every split point, and one byte at a time', () => {
    const stream = '+OK\r\n*2\r\n$3\r\nfoo\r\n:12\r\n$-1\r\n-NOAUTH Authentication required.\r\n$6\r\nab\r\ncd\r\n';
    const expected = readAll(stream);
    expect(expected).toHaveLength(5);
    for (let split = 0; split <= stream.length; split++) {
      const reader = new RespReader();
      const replies = [...reader.feed(bytes(stream.slice(0, split))), ...reader.feed(bytes(stream.slice(split)))];
      expect(replies, `split at ${split}`).toEqual(expected);
      expect(reader.pendingBytes).toBe(0);
    }
    const reader = new RespReader();
    const oneByOne = [...bytes(stream)].flatMap((byte) => reader.feed(Buffer.from([byte])));
    expect(oneByOne).toEqual(expected);
  });

  it('returns nothing until a reply is complete, and keeps the rest', () => {
    const reader = new RespReader();
    expect(reader.feed(bytes('$10\r\n01234'))).toEqual([]);
    expect(reader.feed(bytes('56789\r'))).toEqual([]);
    expect(reader.pendingBytes).toBe(16);
    expect(reader.feed(bytes('\n+O'))).toEqual(['0123456789']);
    expect(reader.pendingBytes).toBe(2);
    expect(reader.feed(bytes('K\r\n'))).toEqual(['OK']);
  });

  it('refuses bytes that are not RESP2', () => {
    expect(() => readAll('HTTP/1.1 400 Bad Request\r\n')).toThrow(RespProtocolError);
    expect(() => readAll(':12a\r\n')).toThrow(RespProtocolError);
    expect(() => readAll('$3\r\nabcd\r\n')).toThrow(/not followed by CRLF/);
    expect(() => readAll('*-2\r\n')).toThrow(RespProtocolError);
  });
});
