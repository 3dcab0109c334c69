import type { Socket } from 'node:net';
import { encodeCommand, RespReader, type RespValue } from '../redis/resp.js';

/** The server closed the connection while a reply was still expected. */
export class ConnectionClosedError extends Error {
  constructor() {
    super('the server closed the connection');
  }
}

interface Waiter {
  resolve: (reply: RespValue) => void;
  reject: (error: Error) => void;
}

/**
 * Commands over one socket, one reply per command in order. Nothing else: the setup phases need a bare
 * request/response so that each step's round trip can be timed on its own.
 */
export class RedisWire {
  private readonly reader = new RespReader();
  private readonly waiting: Waiter[] = [];
  /** Replies nobody asked for yet: a server at maxclients says so and closes before it reads anything. */
  private readonly unasked: RespValue[] = [];
  private failure: Error | null = null;

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new ConnectionClosedError()));
  }

  command(args: readonly string[]): Promise<RespValue> {
    if (this.unasked.length > 0) return Promise.resolve(this.unasked.shift()!);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.socket.write(encodeCommand(args));
    });
  }

  /** QUIT, so that the server closes first (its side keeps the TIME_WAIT), then wait for the socket to close. */
  async quit(): Promise<void> {
    if (this.socket.destroyed) return;
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    await this.command(['QUIT']).catch(() => undefined);
    this.socket.end();
    await closed;
  }

  private receive(chunk: Buffer): void {
    let replies: RespValue[];
    try {
      replies = this.reader.feed(chunk);
    } catch (error) {
      this.socket.destroy(error as Error);
      return;
    }
    for (const reply of replies) {
      const waiter = this.waiting.shift();
      if (waiter) waiter.resolve(reply);
      else this.unasked.push(reply);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
  }
}
