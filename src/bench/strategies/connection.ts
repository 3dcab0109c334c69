/** The workload's commands, as both client libraries spell them on a connection (`R`: a promise) and a pipeline. */
export interface Commands<R> {
  get(key: string): R;
  set(key: string, value: string): R;
  incr(key: string): R;
  lpush(key: string, value: string): R;
  rpop(key: string): R;
  blpop(key: string, timeoutSeconds: number): R;
}

/** Several commands sent in one write; exec() resolves with each one's [error, reply], as ioredis gives them. */
export interface Pipeline extends Commands<unknown> {
  asking(): unknown;
  exec(): Promise<[Error | null, unknown][] | null>;
}

/**
 * What a request runs on: an ioredis connection or cluster client, or a node-redis client behind
 * NodeRedisConnection, which spells its commands as ioredis does.
 */
export interface Connection extends Commands<Promise<unknown>> {
  pipeline(): Pipeline;
  asking(): Promise<unknown>;
}
