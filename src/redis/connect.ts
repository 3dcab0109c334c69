import type { CheckedRedis } from './checked-redis.js';

/**
 * client.connect(), but failing with the real cause. With reconnection off, ioredis rejects connect() with a bare
 * "Connection is closed." and reports the cause (ECONNREFUSED, WRONGPASS, …) only as an 'error' event. A setup
 * command the server refused fails it too, even if ioredis would have gone on.
 */
export async function connectReady(client: CheckedRedis): Promise<void> {
  let cause: unknown;
  const remember = (error: unknown): void => {
    cause ??= error;
  };
  client.on('error', remember);
  try {
    await client.connect();
  } catch (error) {
    throw client.setupFailure ?? cause ?? error;
  } finally {
    client.off('error', remember);
  }
  if (client.setupFailure) {
    client.disconnect();
    throw client.setupFailure;
  }
}
