import { Redis, type Command } from 'ioredis';
import { isServerFullReply } from './resp.js';

/**
 * The server answered a command of the connection's setup (AUTH, SELECT, CLIENT SETNAME, the ready check) with
 * an error. The connection is unusable as asked for: in another database, or not the user the URL names.
 */
export class SetupRefusedError extends Error {
  constructor(
    /** The command as a user knows it: AUTH, SELECT, CLIENT SETNAME, INFO. */
    readonly command: string,
    /** The server's error reply, e.g. "ERR DB index is out of range". */
    readonly reply: string,
  ) {
    // Not the reply itself: ioredis looks for "no password is set" in an AUTH error to merely warn about it.
    super(`the server refused ${command} while the connection was set up`);
    this.name = 'SetupRefusedError';
  }
}

/** The server accepted the socket, said "ERR max number of clients reached" and closed it. */
export class ServerFullError extends Error {
  constructor(readonly reply: string) {
    super(reply);
    this.name = 'ServerFullError';
  }
}

/**
 * An ioredis connection that checks every reply of its own setup. ioredis goes on after a refused SELECT (it
 * only emits an 'error' event, and the connection then works in db 0), ignores a refused CLIENT SETNAME, and
 * only warns on the console when a password is given to a server that has none. Here the first refused setup
 * command ends the connection before it is ready (so no command can ever run in the wrong database, on the
 * first connect or on a reconnect) and is kept as `setupFailure`.
 */
export class CheckedRedis extends Redis {
  setupFailure: SetupRefusedError | ServerFullError | null = null;

  override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    // Between the socket's 'connect' and 'ready' only the setup commands ioredis sends itself go out.
    if (this.status === 'connect' && !isBestEffort(command)) this.checkReply(command);
    return super.sendCommand(command, stream);
  }

  private checkReply(command: Command): void {
    const reject = command.reject;
    command.reject = (error: Error) => {
      // Only the server's error replies: a closed socket rejects the pending commands too, and is not a refusal.
      if (error.name !== 'ReplyError') return reject(error);
      const failure = isServerFullReply(error.message)
        ? new ServerFullError(error.message)
        : new SetupRefusedError(commandName(command), error.message);
      this.setupFailure ??= failure;
      // At once, inside the reply handler: the ready check has not been answered yet, so 'ready' never comes and
      // nothing queued is ever sent on this connection.
      this.disconnect();
      this.rejectResendQueue(failure);
      reject(failure);
    };
  }

  /**
   * ioredis keeps the commands a dropped connection still owed replies to, to resend them once a reconnect is
   * ready. Ended before it is ready, it never rejects them, and whoever awaits them would wait forever.
   */
  private rejectResendQueue(error: Error): void {
    const internals = this as unknown as { prevCommandQueue?: { shift(): { command: Command } | undefined } | null };
    for (let item = internals.prevCommandQueue?.shift(); item !== undefined; item = internals.prevCommandQueue?.shift())
      item.command.reject(error);
    internals.prevCommandQueue = null;
  }
}

/**
 * Setup commands ioredis sends on a best-effort basis and goes on without: CLIENT SETINFO (Redis 7.2+) and, under
 * RESP3, CLIENT MAINT_NOTIFICATIONS (servers that announce maintenance). A server that refuses them serves the
 * connection as asked all the same.
 */
function isBestEffort(command: Command): boolean {
  if (command.name.toLowerCase() !== 'client') return false;
  const sub = String(command.args[0]).toLowerCase();
  return sub === 'setinfo' || sub === 'maint_notifications';
}

function commandName(command: Command): string {
  const name = command.name.toUpperCase();
  return name === 'CLIENT' ? `CLIENT ${String(command.args[0]).toUpperCase()}` : name;
}
