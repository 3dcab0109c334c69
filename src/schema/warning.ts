import { z } from 'zod';

/** A warning is a value, not a log line: it says what is wrong and how to fix it, and it lands in the JSON too. */
export const warningSchema = z.object({
  code: z.string(),
  /** A category a CI job can select on: 'generator-saturated' for a run the load generator distorted. */
  kind: z.literal('generator-saturated').optional(),
  /** 'note': nothing is wrong; it says what a figure that looks alarming means (absent = a warning). */
  level: z.literal('note').optional(),
  message: z.string(),
  /** For a note: what to do to learn more. */
  remedy: z.string(),
});
export type Warning = z.infer<typeof warningSchema>;

/** Who wrote a document: `{ name: 'redis-pool', version }`. */
export const toolSchema = z.object({ name: z.string(), version: z.string() });

/**
 * The server a document measured, as it names itself: `{ name: 'valkey', version: '8.0.1' }` from INFO server's
 * server_name and valkey_version; `{ name: 'redis', version }` from redis_version where the server gives no name
 * (Redis). The name is the server's own, in lower case, so a fork the tool does not know is still recorded.
 */
export const serverSchema = z.object({ name: z.string(), version: z.string() });
export type ServerIdentity = z.infer<typeof serverSchema>;
