import { z } from 'zod';

/** A whole number of things: requests, connections, samples. */
export const count = z.number().int().nonnegative();

/** A time, rate or share that cannot be negative. */
export const nonNegative = z.number().nonnegative();
