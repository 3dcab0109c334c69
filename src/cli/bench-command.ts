import { Command } from 'commander';
import { preflight } from '../anatomy/preflight.js';
import { BENCH_DEFAULTS } from '../bench/config.js';
import { runBench, type BenchTarget } from '../bench/runner.js';
import { RedisPoolError, UsageError, EXIT } from '../errors.js';
import { startEphemeralServer } from '../redis/ephemeral-server.js';
import { startDelayProxy } from '../redis/delay-proxy.js';
import { loadTlsFiles } from '../redis/tls.js';
import { targetFromUrlOptions } from '../redis/url.js';
import type { BenchResult } from '../schema/bench.js';
import { checkBaselineComparable } from '../bench/baseline.js';
import { applyGate, gateFailure } from '../bench/gate.js';
import { plannedRunNames } from '../bench/run-plan.js';
import { readBenchResult } from './files.js';
import { OutputPlan } from './output-plan.js';
import { parseFraction } from '../values.js';
import { renderBenchMarkdown } from '../report/bench-markdown.js';
import { renderBenchHtml } from '../report/bench-html.js';
import { readChartJsSource } from './chart-library.js';
import { toBmf, toGab, toHgrm } from '../report/exports.js';
import { toPrometheus } from '../report/prometheus.js';
import { renderBenchTable } from '../report/bench-terminal.js';
import { renderPercentileChart } from '../report/ascii-chart.js';
import { latencyCurves } from '../report/chart-data.js';
import { parseBenchConfig, type RawBenchOptions } from './bench-options.js';
import { stdoutStyle } from './output.js';
import { withInterruptHandling } from './interrupt.js';
import { ProgressLine } from './progress-line.js';

export function benchCommand(): Command {
  return new Command('bench')
    .description('run the same load against a real Redis three ways: a connection per request, a pool, one multiplexed connection')
    .option('--url <redis-url>', 'redis://[user:password@]host:port[/db] or rediss://; default $REDIS_URL, else a throwaway redis-server')
    .option('--scenario <file>', 'a scenario file (scenarios/*.yaml); flags override its values')
    .option('--strategy <list>', 'per-request,pooled,multiplexed (default: all three, one after another)')
    .option('-c, --concurrency <n>', `workers running requests back to back (default ${BENCH_DEFAULTS.concurrency})`)
    .option('-n, --requests <n>', 'requests per strategy (instead of --duration)')
    .option('-d, --duration <time>', `measured time per strategy, with a unit: 500ms, 10s, 1.5m, 1h (default ${BENCH_DEFAULTS.durationMs / 1000}s)`)
    .option('--warmup <time|count>', `unrecorded warm-up per strategy: a time (2s) or a request count (500req); 0 = none (default ${BENCH_DEFAULTS.warmupMs / 1000}s)`)
    .option('--command <name>', `what a request does: get|set|mix (mix = 80 % GET, 20 % SET; default ${BENCH_DEFAULTS.command})`)
    .option('--value-size <bytes>', `value size: bytes, or 4KB (4000), 4KiB (4096), 1MiB; up to 64MiB (default ${BENCH_DEFAULTS.valueSize})`)
    .option('--keyspace <n>', `distinct keys, all preloaded (default ${BENCH_DEFAULTS.keyspace})`)
    .option('--commands-per-request <n>', 'commands a request runs while it holds its connection (default 1)')
    .option('--pipeline', "send a request's commands as one pipeline")
    .option('--rate <per-second>', 'open loop: start requests on a fixed schedule and measure from the intended start (coordinated omission corrected)')
    .option('--utilization <share>', 'closed loop: think between requests so that each worker holds a connection this share of its time (10% or 0.1)')
    .option('--think <ms>', 'closed loop: a mean think time between requests instead (ms, or with a unit: 250ms, 2s)')
    .option('--think-distribution <d>', 'exponential|fixed (default exponential)')
    .option('--pool-size <n|list|range>', 'pooled: most connections (default: the concurrency); a list 2,4,8 or range 2..12[:2] sweeps the sizes')
    .option('--pool-profile <name>', 'pooled: the defaults and behaviour of go-redis|redis-py|redis-py-blocking|jedis|node-redis')
    .option('--min-idle <n>', `pooled: connections opened before the first request (default ${BENCH_DEFAULTS.minIdle})`)
    .option('--acquire-timeout <ms>', `pooled: longest wait for a free connection (ms, or 2s), 0 = forever (default ${BENCH_DEFAULTS.acquireTimeoutMs})`)
    .option('--pool-order <order>', `pooled: reuse lifo|fifo (default ${BENCH_DEFAULTS.poolOrder})`)
    .option('--idle-timeout <ms>', 'pooled: close connections idle longer than this (ms, or 30s), 0 = never (default 0)')
    .option('--eviction-interval <ms>', 'pooled: how often idle connections are checked for --idle-timeout (ms, or 1s), 0 = never (default 0)')
    .option('--max-lifetime <ms>', 'pooled: replace connections older than this (ms, or 30m), 0 = never (default 0)')
    .option('--test-on-borrow', 'pooled: PING an idle connection before lending it')
    .option('--health-check-interval <ms>', 'pooled: PING idle connections this often (ms, or 30s) and replace dead ones, 0 = never (default 0)')
    .option('--fail-fast', 'pooled: when every connection is taken, fail at once instead of waiting (redis-py)')
    .option('--connect-timeout <ms>', `connection setup timeout (ms, or 2s; default ${BENCH_DEFAULTS.connectTimeoutMs})`)
    .option('--command-timeout <ms>', 'per-command timeout (ms, or 1s), 0 = none (default 0)')
    .option('--socket-timeout <ms>', 'drop a connection that receives nothing this long (ms, or 1s) while a reply is due, 0 = none (default 0)')
    .option('--fault <kind@time>', 'inject a fault into each strategy at a time of its window (with a unit): restart@2s, kill-clients@2s, pause:500@2s, stall:500ms@2s (pause and stall last ms, or 0.5s; repeatable; a throwaway server only)', collect, [])
    .option('--threshold <expr>', "pass/fail criterion, k6 style: 'pooled:latency:p(99)<2', 'pooled:errors:rate<0.001', '*:throughput:value>10000' (repeatable; any failure exits 99)", collect, [])
    .option('--rtt <ms>', 'route the traffic through a built-in loopback proxy that adds this round-trip time (ms, or 2ms; one more per new connection)')
    .option('--tls-ca <file>', 'rediss://: CA certificate(s) to trust (PEM)')
    .option('--tls-cert <file>', 'rediss://: client certificate (PEM), with --tls-key')
    .option('--tls-key <file>', "rediss://: the client certificate's private key (PEM)")
    .option('--tls-insecure', "rediss://: do not verify the server's certificate")
    .option('--json', 'print the redis-pool.bench/v1 document on stdout (and nothing else)')
    .option('--output <file>', 'also write the redis-pool.bench/v1 document to this file')
    .option('--baseline <result.json>', 'compare throughput, p50 and p99 with an earlier result, run by run; exit 99 past --max-regression')
    .option('--max-regression <share>', 'allowed regression against --baseline: 15% or 0.15 (default 10%)')
    .option('--export-gab <prefix>', 'github-action-benchmark files: <prefix>-smaller-is-better.json (latency) and <prefix>-bigger-is-better.json (throughput)')
    .option('--export-hgrm <dir>', 'one HdrHistogram percentile-distribution file (.hgrm, ms) per strategy in this folder')
    .option('--export-prom <file>', 'Prometheus text format, pool metrics named after the OpenTelemetry db.client.connection conventions')
    .option('--export-bmf <file>', 'Bencher Metric Format file (latency in ns, throughput)')
    .option('--markdown <file>', 'also write a Markdown report (appended to $GITHUB_STEP_SUMMARY too when it is set)')
    .option('--html <file>', 'also write a self-contained HTML report with charts (opens offline)')
    .option('--chart', 'print an ASCII chart of the latency percentiles under the table')
    .option('-q, --quiet', 'no progress line on stderr (the report on stdout is unchanged; errors still print)')
    .option('--no-color', 'no colour in the table, whatever the terminal (like NO_COLOR=1)')
    .action(async (raw: RawBenchOptions) => {
      const config = parseBenchConfig(raw);
      const given = targetFromUrlOptions(raw.url);
      const external = given !== null ? { ...given, tlsFiles: loadTlsFiles(raw) } : null;
      if (external !== null && config.faults.length > 0) {
        throw new UsageError(`--fault needs a server redis-pool started itself: faults restart, pause or stall the server and kill clients, which is never done to a server given with ${external.urlSource}`);
      }
      const outputs = benchOutputs(raw);
      const stdoutClaim = outputs.checkStdout();
      if (raw.chart && stdoutClaim !== null) {
        throw new UsageError(`--chart draws under the table, which ${stdoutClaim} replaces on stdout: use one or the other (--html has the charts too)`);
      }
      outputs.checkWritable();
      const baseline = raw.baseline !== undefined ? readBenchResult('--baseline', raw.baseline) : null;
      if (baseline !== null) checkBaselineComparable(plannedRunNames(config), baseline, raw.baseline!);
      if (raw.maxRegression !== undefined && baseline === null) throw new UsageError('--max-regression goes with --baseline');
      const maxRegressionPct = raw.maxRegression !== undefined ? asPercent(parseFraction('--max-regression', raw.maxRegression, { allowZero: true, max: 10 })) : 10;

      const server = external === null ? await startEphemeralServer({ enableDebugCommand: config.faults.some((f) => f.kind === 'stall') }) : null;
      const direct: BenchTarget = external
        ? { target: external, mode: 'external' }
        : {
            target: { host: server!.host, port: server!.port, username: null, password: null, db: 0, tls: false },
            mode: 'ephemeral',
            restartServer: () => server!.restart(),
          };
      const progress = new ProgressLine(process.stderr, process.stderr.isTTY === true && raw.quiet !== true);
      const measured = await withInterruptHandling(server, async (signal) => {
        // Before anything else connects, so that a refused setup step (SELECT, AUTH, CLIENT SETNAME) writes nothing.
        await preflight(direct.target, { timeoutMs: config.connectTimeoutMs, connectionName: 'redis-pool:preflight', signal });
        const proxy = config.rttMs > 0 ? await startDelayProxy({ targetHost: direct.target.host, targetPort: direct.target.port, rttMs: config.rttMs }) : null;
        try {
          const benchTarget: BenchTarget = proxy
            ? { ...direct, target: { ...direct.target, host: proxy.host, port: proxy.port, servername: direct.target.host }, shownAs: direct.target }
            : direct;
          return await runBench(config, benchTarget, { signal, onProgress: progress.enabled ? progress.update : undefined });
        } finally {
          await proxy?.close();
        }
      }).finally(() => progress.stop());
      const result = applyGate(measured, baseline !== null ? { result: baseline, file: raw.baseline!, maxRegressionPct } : null);

      outputs.write(result);
      if (result.interrupted) throw new RedisPoolError('interrupted: partial results written', EXIT.interrupted);
      const failure = gateFailure(result);
      if (failure !== null) throw new RedisPoolError(failure, EXIT.thresholdFailed);
    });
}

/** 0.15 → 15 (not 15.000000000000002). */
function asPercent(fraction: number): number {
  return Number((fraction * 100).toPrecision(12));
}

/**
 * Every output a run writes, in one plan checked before it starts; stdout gets the table (with the ASCII chart
 * under it when asked for) unless --json or a flag given `-` takes it. --markdown is also appended to the
 * GitHub Actions job summary when $GITHUB_STEP_SUMMARY is set.
 */
function benchOutputs(raw: RawBenchOptions): OutputPlan<BenchResult> {
  const json = (result: BenchResult): string => `${JSON.stringify(result, null, 2)}\n`;
  return new OutputPlan<BenchResult>()
    .stdout('--json', raw.json === true, json)
    .document('--output', raw.output, json)
    .document('--markdown', raw.markdown, renderBenchMarkdown)
    .append('GITHUB_STEP_SUMMARY', raw.markdown !== undefined ? process.env.GITHUB_STEP_SUMMARY : undefined, renderBenchMarkdown)
    .document('--html', raw.html, (result) => renderBenchHtml(result, readChartJsSource()))
    .document('--export-bmf', raw.exportBmf, (result) => `${JSON.stringify(toBmf(result), null, 2)}\n`)
    .document('--export-prom', raw.exportProm, toPrometheus)
    .files('--export-gab', raw.exportGab, 'file prefix', (prefix) => [`${prefix}-smaller-is-better.json`, `${prefix}-bigger-is-better.json`], (result) => {
      const gab = toGab(result);
      return [`${JSON.stringify(gab.smallerIsBetter, null, 2)}\n`, `${JSON.stringify(gab.biggerIsBetter, null, 2)}\n`];
    })
    .folder('--export-hgrm', raw.exportHgrm, (result) => [...toHgrm(result)])
    .otherwiseStdout((result) => humanReport(result, raw.chart === true, raw.color !== false));
}

/** The table, and the ASCII percentile chart under it when asked for. */
function humanReport(result: BenchResult, withChart: boolean, colour: boolean): string {
  const style = stdoutStyle(false, colour);
  const table = renderBenchTable(result, style);
  return withChart ? `${table}\n\n${renderPercentileChart(latencyCurves(result), style)}` : table;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
