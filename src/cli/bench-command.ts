import { Command } from 'commander';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { preflight } from '../anatomy/preflight.js';
import { BENCH_DEFAULTS } from '../bench/config.js';
import { runBench, type BenchTarget, type PhaseProgress } from '../bench/runner.js';
import { RedisPoolError, UsageError, EXIT } from '../errors.js';
import { startEphemeralServer } from '../redis/ephemeral-server.js';
import { startDelayProxy } from '../redis/delay-proxy.js';
import { loadTlsFiles } from '../redis/tls.js';
import { parseRedisUrl } from '../redis/url.js';
import type { BenchResult } from '../report/bench-schema.js';
import { compareWithBaseline } from '../bench/baseline.js';
import { checkWritable, readBenchResult, writeAtomically } from './files.js';
import { parseNumber } from './parse-values.js';
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

export function benchCommand(): Command {
  return new Command('bench')
    .description('run the same load against a real Redis three ways: a connection per request, a pool, one multiplexed connection')
    .option('--url <redis-url>', 'redis://[user:password@]host:port[/db] or rediss://; default $REDIS_URL, else a throwaway redis-server')
    .option('--scenario <file>', 'a scenario file (scenarios/*.yaml); flags override its values')
    .option('--strategy <list>', 'per-request,pooled,multiplexed (default: all three, one after another)')
    .option('--concurrency <n>', `workers running requests back to back (default ${BENCH_DEFAULTS.concurrency})`)
    .option('--requests <n>', 'requests per strategy (instead of --duration)')
    .option('--duration <time>', `measured time per strategy: 10s, 2m (default ${BENCH_DEFAULTS.durationMs / 1000}s)`)
    .option('--warmup <time|n>', `unrecorded warm-up per strategy: a time (2s) or a request count (500); 0 = none (default ${BENCH_DEFAULTS.warmupMs / 1000}s)`)
    .option('--command <name>', `what a request does: get|set|mix (mix = 80 % GET, 20 % SET; default ${BENCH_DEFAULTS.command})`)
    .option('--value-size <bytes>', `value size (default ${BENCH_DEFAULTS.valueSize})`)
    .option('--keyspace <n>', `distinct keys, all preloaded (default ${BENCH_DEFAULTS.keyspace})`)
    .option('--commands-per-request <n>', 'commands a request runs while it holds its connection (default 1)')
    .option('--pipeline', "send a request's commands as one pipeline")
    .option('--rate <per-second>', 'open loop: start requests on a fixed schedule and measure from the intended start (coordinated omission corrected)')
    .option('--utilization <u>', "closed loop: think between requests so that each worker holds a connection this share of its time (0.1 or 10%)")
    .option('--think <ms>', 'closed loop: a fixed mean think time between requests instead (ms, or 250ms, 2s)')
    .option('--think-distribution <d>', 'exponential|fixed (default exponential)')
    .option('--pool-size <n|list|range>', 'pooled: most connections (default: the concurrency); a list 2,4,8 or range 2..12[:2] sweeps the sizes')
    .option('--pool-profile <name>', 'pooled: the defaults and behaviour of go-redis|redis-py|redis-py-blocking|jedis|node-redis')
    .option('--min-idle <n>', `pooled: connections opened before the first request (default ${BENCH_DEFAULTS.minIdle})`)
    .option('--acquire-timeout <ms>', `pooled: longest wait for a free connection, 0 = forever (default ${BENCH_DEFAULTS.acquireTimeoutMs})`)
    .option('--pool-order <order>', `pooled: reuse lifo|fifo (default ${BENCH_DEFAULTS.poolOrder})`)
    .option('--idle-timeout <ms>', 'pooled: close connections idle longer than this, 0 = never (default 0)')
    .option('--eviction-interval <ms>', 'pooled: how often idle connections are checked for --idle-timeout, 0 = never (default 0)')
    .option('--max-lifetime <ms>', 'pooled: replace connections older than this, 0 = never (default 0)')
    .option('--test-on-borrow', 'pooled: PING an idle connection before lending it')
    .option('--health-check-interval <ms>', 'pooled: PING idle connections this often and replace dead ones, 0 = never (default 0)')
    .option('--fail-fast', 'pooled: when every connection is taken, fail at once instead of waiting (redis-py)')
    .option('--connect-timeout <ms>', `connection setup timeout (default ${BENCH_DEFAULTS.connectTimeoutMs})`)
    .option('--command-timeout <ms>', 'per-command timeout, 0 = none (default 0)')
    .option('--socket-timeout <ms>', 'drop a connection that receives nothing this long while a reply is due, 0 = none (default 0)')
    .option('--fault <kind@time>', 'inject a fault into each strategy at a time of its window: restart@2s, kill-clients@2s, pause:500@2s, stall:500@2s (repeatable; a throwaway server only)', collect, [])
    .option('--threshold <expr>', "pass/fail criterion, k6 style: 'pooled:latency:p(99)<2', 'pooled:errors:rate<0.001', '*:throughput:value>10000' (repeatable; any failure exits 99)", collect, [])
    .option('--rtt <ms>', 'route the traffic through a built-in loopback proxy that adds this round-trip time (and one more per new connection)')
    .option('--tls-ca <file>', 'rediss://: CA certificate(s) to trust (PEM)')
    .option('--tls-cert <file>', 'rediss://: client certificate (PEM), with --tls-key')
    .option('--tls-key <file>', "rediss://: the client certificate's private key (PEM)")
    .option('--tls-insecure', "rediss://: do not verify the server's certificate")
    .option('--json', 'print the redis-pool.bench/v1 document on stdout (and nothing else)')
    .option('--output <file>', 'also write the redis-pool.bench/v1 document to this file')
    .option('--baseline <result.json>', 'compare throughput, p50 and p99 with an earlier result, run by run; exit 99 past --max-regression')
    .option('--max-regression <pct>', 'allowed regression against --baseline, in percent (default 10)')
    .option('--export-gab <prefix>', 'github-action-benchmark files: <prefix>-smaller-is-better.json (latency) and <prefix>-bigger-is-better.json (throughput)')
    .option('--export-hgrm <dir>', 'one HdrHistogram percentile-distribution file (.hgrm, ms) per strategy in this folder')
    .option('--export-prom <file>', 'Prometheus text format, pool metrics named after the OpenTelemetry db.client.connection conventions')
    .option('--export-bmf <file>', 'Bencher Metric Format file (latency in ns, throughput)')
    .option('--markdown <file>', 'also write a Markdown report (appended to $GITHUB_STEP_SUMMARY too when it is set)')
    .option('--html <file>', 'also write a self-contained HTML report with charts (opens offline)')
    .option('--chart', 'print an ASCII chart of the latency percentiles under the table')
    .action(async (raw: RawBenchOptions) => {
      const config = parseBenchConfig(raw);
      if (raw.chart && raw.json) throw new UsageError('--chart draws under the table, which --json replaces: use one or the other (--html has the charts too)');
      const url = raw.url ?? (process.env.REDIS_URL || undefined);
      const external = url !== undefined ? { ...parseRedisUrl(url), tlsFiles: loadTlsFiles(raw) } : null;
      if (external !== null && config.faults.length > 0) {
        throw new UsageError('--fault needs a server redis-pool started itself: faults restart, pause or stall the server and kill clients, which is never done to a server given with --url or REDIS_URL');
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
      for (const [flag, file] of outputs) if (file !== undefined) checkWritable(flag, file);
      const baseline = raw.baseline !== undefined ? readBenchResult('--baseline', raw.baseline) : null;
      if (raw.maxRegression !== undefined && baseline === null) throw new UsageError('--max-regression goes with --baseline');
      const maxRegressionPct = raw.maxRegression !== undefined ? parseNumber('--max-regression', raw.maxRegression, { min: 0, max: 1000, unit: '%' }) : 10;

      const server = external === null ? await startEphemeralServer({ enableDebugCommand: config.faults.some((f) => f.kind === 'stall') }) : null;
      const direct: BenchTarget = external
        ? { target: external, mode: 'external' }
        : {
            target: { host: server!.host, port: server!.port, username: null, password: null, db: 0, tls: false },
            mode: 'ephemeral',
            restartServer: () => server!.restart(),
          };
      const progress = new ProgressLine();
      const measured = await withInterruptHandling(server, async (signal) => {
        // Before anything else connects, so that a refused setup step (SELECT, AUTH, CLIENT SETNAME) writes nothing.
        await preflight(direct.target, { timeoutMs: config.connectTimeoutMs, connectionName: 'redis-pool:preflight', signal });
        const proxy = config.rttMs > 0 ? await startDelayProxy({ targetHost: direct.target.host, targetPort: direct.target.port, rttMs: config.rttMs }) : null;
        try {
          const benchTarget: BenchTarget = proxy
            ? { ...direct, target: { ...direct.target, host: proxy.host, port: proxy.port, servername: direct.target.host }, shownAs: direct.target }
            : direct;
          return await runBench(config, benchTarget, { signal, onPhase: progress.update });
        } finally {
          await proxy?.close();
        }
      }).finally(() => progress.stop());
      const result: BenchResult = baseline ? { ...measured, baseline: compareWithBaseline(measured.results, baseline, raw.baseline!, maxRegressionPct) } : measured;

      const json = JSON.stringify(result, null, 2);
      if (raw.output !== undefined) writeAtomically(raw.output, `${json}\n`);
      writeMarkdown(result, raw.markdown);
      if (raw.html !== undefined) writeAtomically(raw.html, renderBenchHtml(result, readChartJsSource()));
      if (raw.exportGab !== undefined) {
        const gab = toGab(result);
        writeAtomically(gabFiles[0]!, `${JSON.stringify(gab.smallerIsBetter, null, 2)}\n`);
        writeAtomically(gabFiles[1]!, `${JSON.stringify(gab.biggerIsBetter, null, 2)}\n`);
      }
      if (raw.exportHgrm !== undefined) {
        mkdirSync(raw.exportHgrm, { recursive: true });
        for (const [name, text] of toHgrm(result)) writeAtomically(join(raw.exportHgrm, name), text);
      }
      if (raw.exportProm !== undefined) writeAtomically(raw.exportProm, toPrometheus(result));
      if (raw.exportBmf !== undefined) writeAtomically(raw.exportBmf, `${JSON.stringify(toBmf(result), null, 2)}\n`);
      writeStdout(raw.json ? json : humanReport(result, raw.chart === true));
      if (result.interrupted) throw new RedisPoolError('interrupted: partial results written', EXIT.interrupted);
      const failed = result.thresholds.filter((v) => !v.ok);
      const regressed = result.baseline?.deltas.filter((d) => d.regressed) ?? [];
      if (failed.length > 0 || regressed.length > 0) {
        const problems = [
          ...(failed.length > 0 ? [`${failed.length} of ${result.thresholds.length} threshold checks failed: ${failed.map((v) => v.threshold).join(', ')}`] : []),
          ...(regressed.length > 0 ? [`${regressed.length} regression(s) past ${maxRegressionPct} % against ${raw.baseline}: ${regressed.map((d) => `${d.run} ${d.metric}`).join(', ')}`] : []),
        ];
        throw new RedisPoolError(problems.join('; '), EXIT.thresholdFailed);
      }
    });
}

/** The table, and the ASCII percentile chart under it when asked for. */
function humanReport(result: BenchResult, withChart: boolean): string {
  const style = stdoutStyle(false);
  const table = renderBenchTable(result, style);
  return withChart ? `${table}\n\n${renderPercentileChart(latencyCurves(result), style)}` : table;
}

/** A one-line progress display on stderr, only for a person watching a terminal. */
class ProgressLine {
  private current: PhaseProgress | undefined;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(private readonly enabled = process.stderr.isTTY === true) {
    if (enabled) this.timer = setInterval(() => this.render(), 250).unref();
  }

  readonly update = (progress: PhaseProgress): void => {
    this.current = progress;
  };

  stop(): void {
    clearInterval(this.timer);
    if (this.enabled) process.stderr.write('\r\u001b[2K');
  }

  private render(): void {
    const progress = this.current;
    if (!progress) return;
    const seconds = Number(process.hrtime.bigint() - progress.startedNs) / 1e9;
    const requests = progress.recorder.requests.toLocaleString('en-US');
    process.stderr.write(`\r\u001b[2K${progress.strategy} ${progress.phase}: ${requests} requests, ${seconds.toFixed(1)} s`);
  }
}

/** --markdown: the report to its file, and appended to the GitHub Actions job summary when running there. */
function writeMarkdown(result: BenchResult, file: string | undefined): void {
  if (file === undefined) return;
  const markdown = renderBenchMarkdown(result);
  writeAtomically(file, markdown);
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (summary) appendFileSync(summary, markdown);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
