import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.RECORD_MODULES_FILE, `${resolved.url}\n`);
  return resolved;
}
