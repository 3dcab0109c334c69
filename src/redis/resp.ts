/**
 * A minimal RESP2 codec: commands out as arrays of bulk strings, replies in through an incremental reader.
 * Enough to drive a connection's setup by hand (AUTH, SELECT, INFO, PING, QUIT) and time each step.
 */

/** An error reply (`-WRONGPASS …`) is a value the server sent, not a failure of the reader. */
export class RespError {
  constructor(readonly message: string) {}

  /** The first word, by convention the error's kind: ERR, WRONGPASS, NOAUTH, … */
  get code(): string {
    return this.message.split(' ', 1)[0] ?? '';
  }
}

/** The error a server at its maxclients limit sends on a new connection before it closes it. */
export function isServerFullReply(text: string): boolean {
  return /max number of clients reached/i.test(text);
}

/** Bytes that are not RESP2: the peer is not a Redis server (or not speaking plain RESP on this port). */
export class RespProtocolError extends Error {}

/** Simple and bulk strings are decoded as UTF-8; null is a null bulk string or a null array. */
export type RespValue = string | number | null | RespError | RespValue[];

export function encodeCommand(args: readonly string[]): Buffer {
  let text = `*${args.length}\r\n`;
  for (const arg of args) text += `$${Buffer.byteLength(arg, 'utf8')}\r\n${arg}\r\n`;
  return Buffer.from(text, 'utf8');
}

interface Parsed {
  value: RespValue;
  next: number;
}

/** Feed it the socket's chunks in order; it hands back each reply once all of its bytes have arrived. */
export class RespReader {
  private buffer: Buffer = Buffer.alloc(0);

  feed(chunk: Buffer): RespValue[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const replies: RespValue[] = [];
    let offset = 0;
    for (let parsed = parseValue(this.buffer, offset); parsed !== undefined; parsed = parseValue(this.buffer, offset)) {
      replies.push(parsed.value);
      offset = parsed.next;
    }
    this.buffer = this.buffer.subarray(offset);
    return replies;
  }

  /** Bytes received that do not yet make a whole reply. */
  get pendingBytes(): number {
    return this.buffer.length;
  }
}

/** One value starting at `offset`, or undefined when the buffer ends before it does. */
function parseValue(buffer: Buffer, offset: number): Parsed | undefined {
  if (offset >= buffer.length) return undefined;
  const lineEnd = buffer.indexOf('\r\n', offset);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buffer[offset]!);
  const line = buffer.toString('utf8', offset + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, next };
    case '-':
      return { value: new RespError(line), next };
    case ':':
      return { value: parseInteger(line, 'integer'), next };
    case '$':
      return parseBulkString(buffer, parseInteger(line, 'bulk string length'), next);
    case '*':
      return parseArray(buffer, parseInteger(line, 'array length'), next);
    default:
      throw new RespProtocolError(
        `not a RESP2 reply: unexpected ${JSON.stringify(type)} at the start of ${JSON.stringify(line.slice(0, 40))}`,
      );
  }
}

function parseBulkString(buffer: Buffer, length: number, start: number): Parsed | undefined {
  if (length === -1) return { value: null, next: start };
  if (length < 0) throw new RespProtocolError(`not a RESP2 reply: bulk string length ${length}`);
  const end = start + length;
  if (buffer.length < end + 2) return undefined;
  if (buffer[end] !== 0x0d || buffer[end + 1] !== 0x0a)
    throw new RespProtocolError('not a RESP2 reply: bulk string not followed by CRLF');
  return { value: buffer.toString('utf8', start, end), next: end + 2 };
}

function parseArray(buffer: Buffer, count: number, start: number): Parsed | undefined {
  if (count === -1) return { value: null, next: start };
  if (count < 0) throw new RespProtocolError(`not a RESP2 reply: array length ${count}`);
  const items: RespValue[] = [];
  let next = start;
  for (let i = 0; i < count; i++) {
    const item = parseValue(buffer, next);
    if (item === undefined) return undefined;
    items.push(item.value);
    next = item.next;
  }
  return { value: items, next };
}

function parseInteger(text: string, what: string): number {
  if (!/^-?\d+$/.test(text)) throw new RespProtocolError(`not a RESP2 reply: ${what} ${JSON.stringify(text)}`);
  return Number(text);
}
