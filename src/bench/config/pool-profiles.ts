/**
 * Pool profiles: the defaults and behaviour of the connection pools that real services run,
 * mapped onto our own pool's options (src/pool/pool.ts), with where each value comes from.
 *
 * Every value below was read in the client's own source (see `sources`); what our pool cannot
 * reproduce is listed in `caveats`. docs/pool-profiles.md has the same data as a table, with the
 * reasoning behind each mapping.
 */

import type { PoolConfig } from '../../schema/bench.js';

export const POOL_PROFILE_NAMES = ['go-redis', 'redis-py', 'redis-py-blocking', 'jedis', 'node-redis'] as const;
export type PoolProfileName = (typeof POOL_PROFILE_NAMES)[number];

/** A client's pool defaults, in our pool's terms, with where they come from. */
export type PoolProfile = Omit<PoolConfig, 'size' | 'profile'> & {
  name: PoolProfileName;
  /** The client and version the values were read from, e.g. "go-redis v9". */
  client: string;
  /** One line: how the pool behaves, above all when it is exhausted. */
  summary: string;
  /**
   * Size as a function of the machine's CPU count where the client does that (go-redis);
   * null = no useful bound (redis-py's 2**31): the benchmark's concurrency is used instead.
   */
  size: number | ((cpus: number) => number) | null;
  /** Where each value comes from: file + version/commit, or a thread's URL. */
  sources: string[];
  /** What our pool cannot reproduce exactly, one short line each. */
  caveats: string[];
};

export type ResolvedPoolSettings = Omit<PoolConfig, 'profile'>;

/** How often our pool looks for idle connections past idleTimeoutMs where the client checks lazily or on a debounced timer. */
const LAZY_CHECK_INTERVAL_MS = 1_000;

const GO_REDIS: PoolProfile = {
  name: 'go-redis',
  client: 'go-redis v9 (github.com/redis/go-redis/v9)',
  summary:
    'PoolSize = 10 x GOMAXPROCS turns; when all are taken a caller waits up to ' +
    'PoolTimeout (ReadTimeout 3 s + 1 s = 4 s), then gets "redis: ' +
    'connection pool timeout"; idle conns reused LIFO; idle > 30 min dropped at checkout.',
  size: (cpus) => 10 * cpus,
  minIdle: 0,
  acquireTimeoutMs: 4_000,
  order: 'lifo',
  idleTimeoutMs: 30 * 60_000,
  evictionRunIntervalMs: LAZY_CHECK_INTERVAL_MS,
  maxLifetimeMs: 0,
  testOnBorrow: false,
  healthCheckIntervalMs: 0,
  failFast: false,
  sources: [
    'redis/go-redis options.go @ f67288580827d60a0d7e00134993b1143089176f (v9 module): ' +
      'Options.init() sets PoolSize = 10 * runtime.GOMAXPROCS(0), ReadTimeout = 3 * time.Second, ' +
      'PoolTimeout = ReadTimeout + time.Second (30 s if ReadTimeout is disabled), ' +
      'ConnMaxIdleTime = 30 * time.Minute; MinIdleConns, MaxIdleConns, ' +
      'MaxActiveConns and ConnMaxLifetime default to 0; PoolFIFO defaults to false (LIFO)',
    'redis/go-redis internal/pool/pool.go (v9, stored versions; commit not pinned): ' +
      'Get() waits for a turn of a PoolSize-wide semaphore for at most PoolTimeout, ' +
      'else ErrPoolTimeout "redis: connection pool timeout"; popIdle() ' +
      'takes the last idle conn unless PoolFIFO; isHealthyConn() ' +
      'drops a conn past ConnMaxLifetime or ConnMaxIdleTime, or failing connCheck, when it is taken from the idle list',
    'redis/go-redis pull request #3918 (merged 2026-07-22, ' +
      'https://github.com/redis/go-redis/pull/3918): default ReadTimeout 3 s -> 5 s, ' +
      'so PoolTimeout is 6 s in releases that include it',
  ],
  caveats: [
    'GOMAXPROCS is modelled as the CPU count passed in (the bench passes os.cpus().length); ' +
      'a GOMAXPROCS setting, or a CPU limit that the Go runtime honours, changes the real size.',
    'go-redis drops idle-expired conns lazily when Get() picks them; we evict them with a timer every 1 s instead.',
    'go-redis checks a reused conn with connCheck (a non-blocking socket read, no round trip); we do no check on checkout.',
    'PoolTimeout follows ReadTimeout: 4 s with the 3 s ReadTimeout used here, ' +
      '6 s in releases with go-redis PR #3918 (ReadTimeout 5 s); a context deadline can end the wait sooner.',
    'Pub/Sub and other dedicated conns are made outside the PoolSize turns (MaxActiveConns = 0 sets no total cap); we bound every conn by size.',
  ],
};

const REDIS_PY: PoolProfile = {
  name: 'redis-py',
  client: 'redis-py ConnectionPool (read in 4.x; unbounded by default until redis-py PR #4082)',
  summary:
    'max_connections defaults to 2**31 (no useful bound); ' +
    'when the limit is reached get_connection raises ConnectionError "Too many connections" at once, ' +
    'no waiting; idle conns reused LIFO (list.pop()).',
  size: null,
  minIdle: 0,
  acquireTimeoutMs: 0,
  order: 'lifo',
  idleTimeoutMs: 0,
  evictionRunIntervalMs: 0,
  maxLifetimeMs: 0,
  testOnBorrow: false,
  healthCheckIntervalMs: 0,
  failFast: true,
  sources: [
    'redis/redis-py redis/connection.py @ 65a4db7a9807ee99f050db8ea87805bd03dfa199 (4.x line): ' +
      'ConnectionPool.__init__ max_connections = max_connections or 2**31; make_connection() ' +
      'raises ConnectionError("Too many connections") when _created_connections >= max_connections; ' +
      'get_connection() takes _available_connections.pop() and release() appends (LIFO); ' +
      'AbstractConnection.__init__ health_check_interval=0; check_health() ' +
      'PINGs before a command when time() > next_health_check, which read_response() sets to now + health_check_interval',
    'redis 4.3.4 as packaged by Debian 12 (python3-redis 4.3.4-3): ' +
      'redis/connection.py lines 1286 (2**31), 1380 (pop), 1420 ("Too many connections"), 1436 (append), ' +
      '524 (Connection health_check_interval=0); redis/client.py line 934 (Redis(health_check_interval=0))',
    'redis/redis-py issue #3237 (https://github.com/redis/redis-py/issues/3237), ' +
      'comment of 2025-11-01: later releases raise MaxConnectionsError, ' +
      'a subclass of ConnectionError, for the same condition',
    'redis/redis-py pull request #4082 (merged 2026-05-27, https://github.com/redis/redis-py/pull/4082): the default pool limit becomes 100 connections',
  ],
  caveats: [
    'No bound (2**31) is modelled as the benchmark concurrency, so the pool never fails fast unless a smaller --pool-size is given.',
    'redis-py releases with PR #4082 (merged 2026-05-27) cap the pool at 100 by default: ' +
      'give --pool-size 100 to model them; the release number was not confirmed here.',
    'health_check_interval PINGs a conn before use when it was idle longer than the interval; ' +
      'ours PINGs idle conns on a timer instead (0 = off by default either way).',
    'get_connection() also checks a reused conn for unread data with a non-blocking can_read() and reconnects it; we do no check on checkout.',
  ],
};

const REDIS_PY_BLOCKING: PoolProfile = {
  name: 'redis-py-blocking',
  client: 'redis-py BlockingConnectionPool (read in 4.x)',
  summary:
    'max_connections 50; when all are in use a caller blocks on a LifoQueue for up to timeout = 20 s, ' +
    'then gets ConnectionError "No connection available."; idle conns reused LIFO.',
  size: 50,
  minIdle: 0,
  acquireTimeoutMs: 20_000,
  order: 'lifo',
  idleTimeoutMs: 0,
  evictionRunIntervalMs: 0,
  maxLifetimeMs: 0,
  testOnBorrow: false,
  healthCheckIntervalMs: 0,
  failFast: false,
  sources: [
    'redis/redis-py redis/connection.py @ 65a4db7a9807ee99f050db8ea87805bd03dfa199 (4.x line): ' +
      'BlockingConnectionPool.__init__(max_connections=50, timeout=20, ' +
      'queue_class=LifoQueue); reset() fills the queue with None placeholders; ' +
      'get_connection() does pool.get(block=True, timeout=self.timeout) ' +
      'and raises ConnectionError("No connection available.") on Empty; timeout=None blocks forever',
    'redis 4.3.4 as packaged by Debian 12 (python3-redis 4.3.4-3): ' +
      'redis/connection.py lines 1505-1508 (max_connections=50, timeout=20, ' +
      'queue_class=LifoQueue), 1573 ("No connection available.")',
  ],
  caveats: [
    'Blocked threads wait on a queue.Queue condition with no fairness guarantee; our pool serves waiters strictly first come, first served.',
    "It was not confirmed whether redis-py PR #4082 (new defaults, merged 2026-05-27) changed BlockingConnectionPool's 50 or 20 s.",
    'health_check_interval (default 0) is a PING before use after idling longer than the interval; ours is a timer over idle conns.',
  ],
};

const JEDIS: PoolProfile = {
  name: 'jedis',
  client: 'Jedis JedisPool with new JedisPoolConfig() on Apache Commons Pool 2',
  summary:
    'maxTotal 8; when all are borrowed getResource() blocks (blockWhenExhausted) ' +
    'with maxWait -1, i.e. forever; idle conns reused LIFO; ' +
    'an evictor every 30 s PINGs idle conns and closes those idle over 60 s.',
  size: 8,
  minIdle: 0,
  acquireTimeoutMs: 0,
  order: 'lifo',
  idleTimeoutMs: 60_000,
  evictionRunIntervalMs: 30_000,
  maxLifetimeMs: 0,
  testOnBorrow: false,
  healthCheckIntervalMs: 30_000,
  failFast: false,
  sources: [
    'redis/jedis src/main/java/redis/clients/jedis/JedisPoolConfig.java ' +
      '(GenericObjectPoolConfig<Jedis> form; ' +
      'the commons-pool 1 version @ 208e409bb4f2d7c372db095d869af7cb021d6689 sets the same four values): ' +
      'setTestWhileIdle(true), setMinEvictableIdleTime(60000 ms), setTimeBetweenEvictionRuns(30000 ms), setNumTestsPerEvictionRun(-1)',
    'Apache Commons Pool 2.11.1 (Debian 12 libcommons-pool2-java 2.11.1-1; ' +
      'source apache/commons-pool src/main/java/org/apache/commons/pool2/impl/BaseObjectPoolConfig.java ' +
      'and GenericObjectPoolConfig.java): DEFAULT_MAX_TOTAL 8, DEFAULT_MAX_IDLE 8, DEFAULT_MIN_IDLE 0, ' +
      'DEFAULT_BLOCK_WHEN_EXHAUSTED true, DEFAULT_MAX_WAIT_MILLIS -1, DEFAULT_LIFO true, ' +
      'DEFAULT_FAIRNESS false, DEFAULT_TEST_ON_BORROW false, DEFAULT_TEST_WHILE_IDLE false, ' +
      'DEFAULT_TIME_BETWEEN_EVICTION_RUNS_MILLIS -1, DEFAULT_MIN_EVICTABLE_IDLE_TIME_MILLIS 1800000',
    'Apache Commons Pool 2.11.1 DefaultEvictionPolicy.evict(): ' +
      'evicts when idle time > minEvictableIdleTime, whatever minIdle, ' +
      'or > softMinEvictableIdleTime while more than minIdle are idle',
    'redis/jedis JedisFactory.validateObject() (stored versions): isConnected() && ping() -- the testWhileIdle check is a PING',
    'redis/jedis JedisPool.java: JedisPool(host, port) passes new GenericObjectPoolConfig<Jedis>(), not JedisPoolConfig',
  ],
  caveats: [
    'new JedisPool(host, port) without a JedisPoolConfig gets plain GenericObjectPoolConfig: ' +
      'no evictor and no idle PING (run with --idle-timeout 0 ' +
      '--eviction-interval 0 --health-check-interval 0 to model it).',
    'Commons Pool evicts a conn idle over minEvictableIdleTime even below minIdle, ' +
      'then re-creates it; ours keeps minIdle conns (moot at the default minIdle 0).',
    'DEFAULT_FAIRNESS false: blocked borrowers are not guaranteed first come, first served; ours are.',
    'With a maxWait set, ' +
      'an exhausted pool throws JedisExhaustedPoolException "Could not get a resource ' +
      'since the pool is exhausted" (Jedis 3.x wording; not checked for later versions).',
  ],
};

const NODE_REDIS: PoolProfile = {
  name: 'node-redis',
  client: 'node-redis v5 createClientPool / RedisClientPool (@redis/client 5.12.1; 6.3.1 has the same defaults)',
  summary:
    'maximum 100 clients, minimum 1 connected at start; when none is idle a task queues (FIFO) ' +
    'for up to acquireTimeout 3 s, then gets TimeoutError "Timeout waiting for a client"; ' +
    'idle clients reused FIFO; surplus idle clients closed 3 s after the last release.',
  size: 100,
  minIdle: 1,
  acquireTimeoutMs: 3_000,
  order: 'fifo',
  idleTimeoutMs: 3_000,
  evictionRunIntervalMs: LAZY_CHECK_INTERVAL_MS,
  maxLifetimeMs: 0,
  testOnBorrow: false,
  healthCheckIntervalMs: 0,
  failFast: false,
  sources: [
    'redis/node-redis packages/client/lib/client/pool.ts @ 26707148c1f3077ce0fed0bf4bc14e0c745e7aa6: ' +
      'static #DEFAULTS = { minimum: 1, maximum: 100, acquireTimeout: 3000, cleanupDelay: ' +
      '3000 }; connect() creates `minimum` clients; execute() takes #idleClients.shift() ' +
      'and #returnClient() pushes to the tail (FIFO reuse); a task with no idle client is queued, ' +
      'a client is created while totalClients < maximum, and after acquireTimeout (> 0) ' +
      'the task rejects with TimeoutError("Timeout waiting for a client"); ' +
      '#scheduleCleanup() (re)arms one cleanupDelay timer on every release, ' +
      'and #cleanup() destroys idle clients down to `minimum`, oldest idle first',
    '@redis/client 5.12.1 from the npm registry, ' +
      'dist/lib/client/pool.js lines 77-82 (#DEFAULTS), 240-271 (execute), ' +
      '288-319 (#returnClient, #scheduleCleanup, #cleanup): same code as above',
    '@redis/client 6.3.1 from the npm registry, dist/lib/client/pool.js lines 79-84: the same #DEFAULTS',
    '@redis/client 5.12.1 dist/lib/client/index.d.ts: the client option pingInterval is optional and unset by default (no periodic PING)',
  ],
  caveats: [
    "node-redis's minimum counts all clients (idle and busy) and is only filled by connect(); our minIdle keeps 1 idle client and tops it up after destroys.",
    'node-redis runs one debounced cleanup 3 s after the last release (never under steady load) ' +
      'and then closes every surplus idle client; ' +
      'we close each client idle over 3 s, checked every 1 s.',
    'acquireTimeout 0 means no timeout in node-redis as in ours; node-redis has no lifetime limit or checkout check, like this profile.',
  ],
};

export const POOL_PROFILES: Record<PoolProfileName, PoolProfile> = {
  'go-redis': GO_REDIS,
  'redis-py': REDIS_PY,
  'redis-py-blocking': REDIS_PY_BLOCKING,
  jedis: JEDIS,
  'node-redis': NODE_REDIS,
};

/** The profile's settings for this machine; `fallbackSize` is used when the profile has no bound (null). */
export function profileSettings(name: PoolProfileName, cpus: number, fallbackSize: number): ResolvedPoolSettings {
  const profile = (POOL_PROFILES as Partial<Record<string, PoolProfile>>)[name];
  if (profile === undefined) {
    throw new RangeError(`unknown pool profile ${name}: choose one of ${POOL_PROFILE_NAMES.join(', ')}`);
  }
  positiveInteger('cpus', cpus);
  positiveInteger('fallbackSize', fallbackSize);
  const size =
    profile.size === null ? fallbackSize : typeof profile.size === 'function' ? profile.size(cpus) : profile.size;
  positiveInteger(`size of pool profile ${name}`, size);
  const {
    name: _name,
    client: _client,
    summary: _summary,
    sources: _sources,
    caveats: _caveats,
    size: _size,
    ...settings
  } = profile;
  return { ...settings, size, minIdle: Math.min(profile.minIdle, size) };
}

function positiveInteger(what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${what} must be an integer of at least 1, got ${String(value)}`);
  }
}
