import { connect } from 'node:net';

/** A TLS handshake got no TLS answer, and the same port answers a plain PING: it serves plain RESP. */
export class PlainRespPortError extends Error {
  constructor() {
    // The sentence a user reads is target-errors.ts's.
    super('the TLS handshake got no TLS answer, and the port answers a plain PING');
    this.name = 'PlainRespPortError';
  }
}

/**
 * The first line a server sends back to a plain-text PING on a fresh TCP connection: +PONG, -NOAUTH …, -DENIED …
 * (protected mode), -ERR max number of clients …; null when it sends nothing within `timeoutMs`, closes, or
 * the connection fails.
 */
export function plainPingReply(host: string, port: number, timeoutMs: number): Promise<string | null> {
  return firstLine(host, port, timeoutMs, 'PING\r\n');
}

/**
 * What a server says on a new connection before it is asked anything: a server at maxclients sends "-ERR max
 * number of clients reached" and closes at once. (A client that writes first often never reads it: the server
 * closes with the client's bytes unread, which resets the connection.) Null when it says nothing within `timeoutMs`.
 */
export function unaskedGreeting(host: string, port: number, timeoutMs: number): Promise<string | null> {
  return firstLine(host, port, timeoutMs, null);
}

function firstLine(host: string, port: number, timeoutMs: number, send: string | null): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let received = '';
    const finish = (line: string | null): void => {
      socket.destroy();
      resolve(line);
    };
    socket.setTimeout(timeoutMs, () => finish(null));
    socket.once('error', () => finish(null));
    socket.once('close', () => finish(null));
    socket.once('connect', () => {
      if (send !== null) socket.write(send);
    });
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
      const end = received.indexOf('\r\n');
      if (end >= 0) finish(received.slice(0, end));
      else if (received.length > 512) finish(null);
    });
  });
}

/** A RESP2 simple string or error line (`+PONG`, `-NOAUTH Authentication required.`), as opposed to TLS bytes. */
export function isRespLine(line: string): boolean {
  return /^[+-][\x20-\x7e]*$/.test(line);
}
