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
