import { Command } from 'commander';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
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
import { checkOneStdoutOutput, checkWritable, readBenchResult, STDOUT_FILE, writeAtomically, writeOutput } from './files.js';
import { parseFraction } from '../values.js';
import { renderBenchMarkdown } from '../report/bench-markdown.js';
import { renderBenchHtml } from '../report/bench-html.js';
import { readChartJsSource } from './chart-library.js';
import { toBmf, toGab, toHgrm } from '../report/exports.js';
import { toPrometheus } from '../report/prometheus.js';
import { renderBenchTable } from '../report/bench-table.js';
import { renderPercentileChart } from '../report/ascii-chart.js';
import { latencyCurves } from '../report/chart-data.js';
import { parseBenchConfig, type RawBenchOptions } from './bench-options.js';
import { stdoutStyle, writeStdout } from './output.js';
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
      const { gabFiles, stdoutClaims } = checkOutputs(raw);
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

      const json = JSON.stringify(result, null, 2);
      if (raw.output !== undefined) writeOutput(raw.output, `${json}\n`);
      writeMarkdown(result, raw.markdown);
      if (raw.html !== undefined) writeOutput(raw.html, renderBenchHtml(result, readChartJsSource()));
      if (raw.exportGab !== undefined) {
        const gab = toGab(result);
        writeAtomically(gabFiles[0]!, `${JSON.stringify(gab.smallerIsBetter, null, 2)}\n`);
        writeAtomically(gabFiles[1]!, `${JSON.stringify(gab.biggerIsBetter, null, 2)}\n`);
      }
      if (raw.exportHgrm !== undefined) {
        mkdirSync(raw.exportHgrm, { recursive: true });
        for (const [name, text] of toHgrm(result)) writeAtomically(join(raw.exportHgrm, name), text);
      }
      if (raw.exportProm !== undefined) writeOutput(raw.exportProm, toPrometheus(result));
      if (raw.exportBmf !== undefined) writeOutput(raw.exportBmf, `${JSON.stringify(toBmf(result), null, 2)}\n`);
      // The table (with its warnings) unless another document has stdout.
      if (raw.json) writeStdout(json);
      else if (stdoutClaims.length === 0) writeStdout(humanReport(result, raw.chart === true, raw.color !== false));
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
 * The files a run will write, checked before it starts: writable folders, `-` (stdout) only for one document,
 * and never for the flags that write several files. stdoutClaims lists what asked for stdout (at most one).
 */
function checkOutputs(raw: RawBenchOptions): { gabFiles: string[]; stdoutClaims: string[] } {
  for (const [flag, value, what] of [['--export-gab', raw.exportGab, 'file prefix'], ['--export-hgrm', raw.exportHgrm, 'folder']] as const) {
    if (value === STDOUT_FILE) throw new UsageError(`${flag} writes several files, so it cannot go to stdout (-): give it a ${what}`);
  }
  const gabFiles = raw.exportGab !== undefined ? [`${raw.exportGab}-smaller-is-better.json`, `${raw.exportGab}-bigger-is-better.json`] : [];
  const outputs: [flag: string, file: string | undefined][] = [
    ['--output', raw.output],
    ['--markdown', raw.markdown],
    ['--html', raw.html],
    ['--export-bmf', raw.exportBmf],
    ['--export-prom', raw.exportProm],
    ...gabFiles.map((file): [string, string] => ['--export-gab', file]),
  ];
  const stdoutClaims = [...(raw.json ? ['--json'] : []), ...outputs.filter(([, file]) => file === STDOUT_FILE).map(([flag]) => `${flag} -`)];
  checkOneStdoutOutput(stdoutClaims);
  if (raw.chart && stdoutClaims.length > 0) {
    throw new UsageError(`--chart draws under the table, which ${stdoutClaims[0]} replaces on stdout: use one or the other (--html has the charts too)`);
  }
  for (const [flag, file] of outputs) if (file !== undefined) checkWritable(flag, file);
  return { gabFiles, stdoutClaims };
}

/** The table, and the ASCII percentile chart under it when asked for. */
function humanReport(result: BenchResult, withChart: boolean, colour: boolean): string {
  const style = stdoutStyle(false, colour);
  const table = renderBenchTable(result, style);
  return withChart ? `${table}\n\n${renderPercentileChart(latencyCurves(result), style)}` : table;
}

/** --markdown: the report to its file, and appended to the GitHub Actions job summary when running there. */
function writeMarkdown(result: BenchResult, file: string | undefined): void {
  if (file === undefined) return;
  const markdown = renderBenchMarkdown(result);
  writeOutput(file, markdown);
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (summary) appendFileSync(summary, markdown);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
