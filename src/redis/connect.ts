import type { Redis } from 'ioredis';

/**
 * client.connect(), but failing with the real cause. With reconnection off, ioredis rejects connect() with a bare
 * "Connection is closed." and reports the cause (ECONNREFUSED, WRONGPASS, …) only as an 'error' event.
 */
export async function connectReady(client: Redis): Promise<void> {
  let cause: unknown;
  const remember = (error: unknown): void => {
    cause ??= error;
  };
  client.on('error', remember);
  try {
    await client.connect();
  } catch (error) {
    throw cause ?? error;
  } finally {
    client.off('error', remember);
  }
}
