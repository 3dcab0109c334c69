import { describe, expect, it } from 'vitest';
import { runCli, writtenDocument } from '../helpers/run-cli.js';
import { fixturePath, readBenchFixture } from '../helpers/fixtures.js';

describe('redis-pool size (the built binary)', () => {
  it('prints the table for a preset and exits 0', async () => {
    const run = await runCli(['size', '--preset', 'api']);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('ceil(20 × 10 %) + 10 = 12');
    expect(run.stdout).not.toMatch(/\u001b\[/);
  });

  it('prints one redis-pool.size/v1 document with --json and nothing else', async () => {
    const run = await runCli(['size', '--threads', '20', '--utilization', '10%', '--buffer', '10', '--json']);
    expect(run.exitCode).toBe(0);
    const doc = writtenDocument(run.stdout, 'size');
    expect(doc).toMatchObject({
      schema: 'redis-pool.size/v1',
      poolSize: 12,
      inputs: { threads: 20, utilization: 0.1, buffer: 10 },
      queueing: { model: 'finite-source', poolSize: 6 },
      fleet: { instances: 1, maxclients: 10000 },
    });
    expect(doc.tool.name).toBe('redis-pool');
  });

  it('answers a rate with Erlang C', async () => {
    const run = await runCli(['size', '--rate', '5000', '--hold-ms', '2', '--json']);
    const doc = writtenDocument(run.stdout, 'size');
    expect(doc.queueing).toMatchObject({ model: 'erlang-c', poolSize: 19 });
    expect(doc.queueing.p99WaitMs).toBe(0);
  });

  it('keeps colour off with NO_COLOR even when forced', async () => {
    const run = await runCli(['size', '--preset', 'worker'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(run.stdout).not.toMatch(/\u001b\[/);
    const coloured = await runCli(['size', '--preset', 'worker'], { env: { FORCE_COLOR: '1' } });
    expect(coloured.stdout).toMatch(/\u001b\[/);
  });

  it.each([
    [['--threads', '-5', '--utilization', '10%'], /--threads must be a whole number/],
    [['--threads', 'abc', '--utilization', '10%'], /--threads must be a whole number/],
    [['--threads', '2.5', '--utilization', '10%'], /--threads must be a whole number/],
    [['--threads', 'NaN', '--utilization', '10%'], /--threads must be a whole number/],
    [['--threads', 'Infinity', '--utilization', '10%'], /--threads must be a whole number/],
    [
      ['--threads', '10', '--utilization', 'NaN'],
      /--utilization must be a percentage such as 10% or a fraction such as 0.1/,
    ],
    [
      ['--threads', '10', '--utilization', '150%'],
      /--utilization must be a percentage such as 10% or a fraction such as 0.1/,
    ],
    [
      ['--threads', '10', '--utilization', '0'],
      /--utilization must be a percentage such as 10% or a fraction such as 0.1/,
    ],
    [['--rate', '-1', '--hold-ms', '2'], /--rate must be a number > 0/],
    [['--rate', '100', '--hold-ms', 'Infinity'], /--hold-ms must be a duration such as 500ms/],
    [['--preset', 'api', '--buffer', '-1'], /--buffer must be a whole number/],
    [['--preset', 'api', '--target-wait', '100%'], /--target-wait must be a percentage/],
    [['--preset', 'api', '--maxclients', '0'], /--maxclients must be a whole number/],
    [['--preset', 'nope'], /--preset must be one of api, worker, batch/],
    [['--threads', '10'], /--threads needs --utilization/],
    [['--peak-rate', '0', '--instances', '2', '--hold-ms', '1'], /^redis-pool: --peak-rate must be a number > 0/],
    [['--peak-rate', 'lots', '--instances', '2', '--hold-ms', '1'], /^redis-pool: --peak-rate must be a number > 0/],
    [['--peak-rate', '1000', '--rate', '10', '--hold-ms', '1'], /give --rate \(one instance's load\) or --peak-rate/],
    [
      ['--peak-rate', '1000', '--instances', '2', '--threads', '4', '--utilization', '10%', '--hold-ms', '1'],
      /give either --utilization or --peak-rate, not both/,
    ],
    [
      ['--peak-rate', '1000', '--hold-ms', '1'],
      /--peak-rate needs how much one instance serves: --from a bench result/,
    ],
    [['--peak-rate', '1000', '--instances', '2'], /--peak-rate needs --hold-ms/],
    [[], /no load given/],
    [['--preset', 'api', '--no-such-flag'], /unknown option '--no-such-flag'/],
    [['--preset'], /argument missing/],
    [['--preset', 'api', 'extra'], /too many arguments/],
  ])('exits 2 with one line for %j', async (args, message) => {
    const run = await runCli(['size', ...args]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  // The ends of the accepted ranges (the largest thread count and rate × hold, the smallest utilization, rate,
  // hold and wait target): each is answered, not refused and not left computing.
  it.each([
    [['--threads', '10000000', '--utilization', '0.5'], 'finite-source', 5_003_713],
    [['--threads', '10000000', '--utilization', '0.5', '--target-wait', '1e-300'], 'finite-source', 5_058_576],
    [['--rate', '1000000000', '--hold-ms', '3600000'], 'erlang-c', 3_600_004_506_035],
    [
      ['--rate', '10000000', '--hold-ms', '1000', '--threads', '10000000', '--buffer', '1000000'],
      'finite-source',
      10_000_000,
    ],
    [['--threads', '10000000', '--utilization', '1e-300'], 'finite-source', 1],
    // rate × hold underflows to a load of exactly 0 (1e-300/s × 1e-33 s).
    [['--rate', '1e-300', '--hold-ms', '0.000000000000000000000000000001'], 'erlang-c', 1],
  ])('answers the extremes of the accepted ranges: %j', async (args, model, poolSize) => {
    const run = await runCli(['size', ...args, '--json']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const doc = writtenDocument(run.stdout, 'size');
    expect(doc.queueing).toMatchObject({ model, poolSize });
    expect(doc.poolSize).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['bench-sweep-result.json', 'pooled(max=6)', /the largest pool of the sweep's 6 pooled runs/],
    ['bench-result.json', 'pooled(max=10)', /the pooled run: it measures a pool's hold time/],
  ])('size --from %s says which run it took the load from, and why', async (name, run, reason) => {
    const file = fixturePath(name);
    const chosen = readBenchFixture(name).results.find((r) => r.label === run)!;
    const json = writtenDocument((await runCli(['size', '--from', file, '--json'])).stdout, 'size');
    expect(json.inputs.from).toMatchObject({ file, run });
    expect(json.inputs.from!.reason).toMatch(reason);
    expect(json.inputs.holdMs).toBe(chosen.load.holdMeanMs);
    const table = await runCli(['size', '--from', file, '--wide']);
    expect(table.stdout.split('\n')[0]).toBe(`Load measured in ${file}, run ${run}: ${json.inputs.from!.reason}.`);
  });

  it('size --from a capacity curve --peak-rate: the instances the peak needs at the knee, each one sized for its share', async () => {
    const file = fixturePath('bench-curve-result.json');
    const pooled = readBenchFixture('bench-curve-result.json').capacity!.find((c) => c.strategy === 'pooled')!;
    const instances = Math.ceil(20_000 / pooled.kneeRatePerSec!);
    const run = await runCli(['size', '--from', file, '--peak-rate', '20000'], { env: { COLUMNS: '80' } });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Peak 20,000 req/s: ${instances} instances \\(each `));
    const json = writtenDocument(
      (await runCli(['size', '--from', file, '--peak-rate', '20000', '--json'])).stdout,
      'size',
    );
    expect(json.peak).toMatchObject({ peakRatePerSec: 20_000, instances, instancesFrom: 'knee' });
    expect(json.inputs).toMatchObject({ ratePerSec: 20_000 / instances, knee: { ratePerSec: pooled.kneeRatePerSec } });
    expect(json.fleet.queueing.connectionsPerNode).toBe(instances * json.queueing.poolSize);
  });

  it('exits 2 for an unknown command and 0 for --help', async () => {
    expect((await runCli(['sise'])).exitCode).toBe(2);
    const help = await runCli(['size', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('--target-wait');
  });
});
