import { readFileSync } from 'node:fs';

/** The package version, read once from package.json (which sits one level above both src/ and dist/). */
export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export const TOOL = { name: 'redis-pool', version: TOOL_VERSION } as const;
