/** Parse the text of Redis' INFO reply into field → value. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

export function infoNumber(fields: Map<string, string>, name: string): number {
  const value = Number(fields.get(name));
  return Number.isFinite(value) ? value : 0;
}
