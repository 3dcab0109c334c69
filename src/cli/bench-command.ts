import { Command } from 'commander';
import { BENCH_DEFAULTS } from '../bench/config/config.js';
import { formatCount } from '../format.js';
import type { RawBenchOptions } from './bench-options.js';
import { GROUP, groupedOption } from './help.js';
import { withOutputFlags } from './output-flags.js';
import { withTlsFlags } from './tls-flags.js';

/**
 * The bench command's flags and help. Its work (the runner, ioredis, the reporters) is imported only when it runs,
 * so that `size` and `--help` start without loading it.
 */
export function benchCommand(): Command {
  const command = new Command('bench')
    .description(
      'run the same load against a real Redis three ways: a connection per request, a pool, one multiplexed connection',
    )
    .summary('compare per-request, pooled and multiplexed on a Redis')
    .optionsGroup(GROUP.target)
    .option(
      '--url <redis-url>',
      'redis[s]://[user:password@]host:port[/db]; default $REDIS_URL, else a throwaway redis-server',
    )
    .option(
      '--cluster',
      'a Redis Cluster: --url names any node (none: a throwaway 3-master cluster); a cluster client per request, a pool per shard',
    )
    .optionsGroup(GROUP.load)
    .option('--scenario <file>', 'a scenario file (scenarios/*.yaml); flags override it')
    .option('--strategy <list>', 'per-request,pooled,multiplexed (default: all three, one after another)')
    .option(
      '-c, --concurrency <n>',
      `workers: the most requests in flight at once (default ${BENCH_DEFAULTS.concurrency})`,
    )
    .option(
      '-d, --duration <time>',
      `measured time per strategy: 500ms, 10s, 1.5m, 1h (default ${BENCH_DEFAULTS.durationMs / 1000}s)`,
    )
    .option('-n, --requests <n>', 'requests per strategy (instead of --duration)')
    .option(
      '--warmup <time|count>',
      `unrecorded warm-up per strategy: a time (2s) or a count (500req), 0 = none (default ${BENCH_DEFAULTS.warmupMs / 1000}s)`,
    )
    .option(
      '--rate <per-second>',
      `open loop: start requests on a fixed schedule, ` +
        `timed from their intended start (coordinated omission corrected); the default load, ` +
        `at ${formatCount(BENCH_DEFAULTS.ratePerSec)}/s, unless --utilization or --think is given; ` +
        `a list (1000,4000,16000) or a range (2000..20000:2000) runs each strategy at each rate: a capacity curve`,
    )
    .option(
      '--slo <objective>',
      "capacity curve: an objective every step must meet, such as 'p99<2ms' (p50, p90, p99, p99.9; repeatable)",
      collect,
    )
    .option(
      '--utilization <share>',
      'closed loop: think between requests so that each worker holds a connection this share of its time (10% or 0.1)',
    )
    .option(
      '--think <ms>',
      'closed loop: a mean think time between requests instead (ms, or 250ms, 2s); 0 = back to back',
    )
    .option('--think-distribution <d>', 'exponential|fixed (default exponential)')
    .option(
      '--command <name>',
      `what a request does: get|set|mix (mix = 80 % GET, 20 % SET; default ${BENCH_DEFAULTS.command})`,
    )
    .option(
      '--value-size <bytes>',
      `bytes, or 4KB (4000), 4KiB (4096), 1MiB; up to 64MiB (default ${BENCH_DEFAULTS.valueSize})`,
    )
    .option('--keyspace <n>', `distinct keys, all preloaded (default ${BENCH_DEFAULTS.keyspace})`)
    .option('--commands-per-request <n>', 'commands a request runs while it holds its connection (default 1)')
    .option(
      '--pipeline [n]',
      "send a request's commands as one pipeline; with n, n commands a request (redis-benchmark -P n)",
    )
    .option(
      '--auto-pipelining',
      "ioredis' enableAutoPipelining: commands issued in one tick on a connection go out in one write",
    )
    .optionsGroup(GROUP.pool)
    .option(
      '--pool-size <n|list|range>',
      `pooled: most connections (default ${BENCH_DEFAULTS.poolSize}, at most the workers); a list 2,4,8 or range 2..12[:2] sweeps them`,
    )
    .option('--min-idle <n>', `pooled: connections opened before the first request (default ${BENCH_DEFAULTS.minIdle})`)
    .option(
      '--acquire-timeout <ms>',
      `pooled: longest wait for a free connection (ms, or 2s), 0 = forever (default ${BENCH_DEFAULTS.acquireTimeoutMs})`,
    )
    .option('--pool-order <order>', `pooled: reuse lifo|fifo (default ${BENCH_DEFAULTS.poolOrder})`)
    .option('--idle-timeout <ms>', 'pooled: close connections idle longer than this (ms, or 30s; default 0 = never)')
    .option('--eviction-interval <ms>', 'pooled: how often to check --idle-timeout (ms, or 1s; default 0 = never)')
    .option('--max-lifetime <ms>', 'pooled: replace connections older than this (ms, or 30m; default 0 = never)')
    .option('--test-on-borrow', 'pooled: PING an idle connection before lending it')
    .option(
      '--health-check-interval <ms>',
      'pooled: PING idle connections this often and replace dead ones (ms, or 30s; default 0 = never)',
    )
    .option('--fail-fast', 'pooled: when every connection is taken, fail at once instead of waiting (redis-py)')
    .option(
      '--client <name>',
      'the client library the strategies run with: ioredis (default), or node-redis, whose own pool is pooled',
    )
    .option(
      '--pool-profile <name>',
      'pooled: the defaults and behaviour of go-redis, redis-py, redis-py-blocking, jedis or node-redis',
    )
    .optionsGroup(GROUP.faults)
    // Repeatable flags have no default in commander (it would print "(default: [])"): none given is undefined.
    .option(
      '--fault <kind@time>',
      'inject a fault into each strategy at a time of its window: ' +
        'restart@2s, kill-clients@2s, pause:500@2s, stall:500ms@2s (pause and stall last ms, ' +
        'or 0.5s; repeatable; a throwaway server only)',
      collect,
    )
    .option(
      '--rtt <ms>',
      'add this round-trip time through a built-in loopback proxy (ms, or 2ms; one more per new connection)',
    )
    .option(
      '--connect-timeout <ms>',
      `connection setup timeout (ms, or 2s; default ${BENCH_DEFAULTS.connectTimeoutMs})`,
    )
    .option('--command-timeout <ms>', "a command's timeout (ms, or 1s; default 0 = none)")
    .option(
      '--socket-timeout <ms>',
      'drop a connection silent this long while a reply is due (ms, or 1s; default 0 = none)',
    )
    .optionsGroup(GROUP.gates)
    .option(
      '--threshold <expr>',
      "pass/fail criterion, k6 style: 'pooled:latency:p(99)<2', 'pooled:errors:rate<0.001', '*:throughput:value>10000' (repeatable; any failure exits 99)",
      collect,
    )
    .option(
      '--baseline <result.json>',
      'compare throughput, p50 and p99 run by run with an earlier result; exit 99 past --max-regression',
    )
    .option('--max-regression <share>', 'allowed regression: 15% or 0.15 (default 10%)');
  withOutputFlags(command)
    .addOption(groupedOption(GROUP.output, '-q, --quiet', 'no progress line on stderr (errors still print)'))
    .optionsGroup(GROUP.scaleOut)
    .option(
      '--threads <n>',
      'worker threads, each with its own event loop and pool (as size --instances), sharing the workers, requests and rate (default 1)',
    )
    .option(
      '--run-id <id>',
      'the id the result carries: the same on every load machine of one distributed run (letters, digits, . _ -; default random)',
    )
    .option(
      '--start-at <time>',
      'wait until this time, ISO 8601 with its zone (2026-12-01T12:00:00Z): machines start together',
    );
  return withTlsFlags(command).action(async (raw: RawBenchOptions) => {
    const { runBenchCommand } = await import('./bench-run.js');
    await runBenchCommand(raw);
  });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
