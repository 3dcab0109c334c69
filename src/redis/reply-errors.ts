/**
 * The server's error reply as node-redis gives it: an ErrorReply (or its SimpleError, BlobError, MultiErrorReply),
 * told by its class's name so that the ioredis side of the tool need not load node-redis to recognise it.
 */
export function isNodeRedisErrorReply(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  let proto: unknown = Object.getPrototypeOf(error);
  while (proto !== null && proto !== Error.prototype) {
    if ((proto as { constructor: { name: string } }).constructor.name === 'ErrorReply') return true;
    proto = Object.getPrototypeOf(proto);
  }
  return false;
}
