// What each command prints fits: the width COLUMNS names (as a terminal would), 120 columns when piped, the answer
// first; every command's default output and its --details, run as a user runs them against a real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleWidth } from '../../src/report/layout.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { fixturePath } from '../helpers/fixtures.js';
import { runCli } from '../helpers/run-cli.js';

let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const widest = (text: string): number => Math.max(...text.split('\n').map(visibleWidth));

/** The command's stdout at a width (null: piped, no COLUMNS), which must succeed. */
async function printed(args: string[], columns: number | null): Promise<string> {
  const run = await runCli(args, {
    env: { COLUMNS: columns === null ? undefined : String(columns), REDIS_URL: undefined },
  });
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  return run.stdout;
}

const commands: [name: string, args: () => string[]][] = [
  ['size --preset api', () => ['size', '--preset', 'api']],
  ['bench', () => ['bench', '--url', redis.url, '--requests', '300', '--warmup', '0']],
  ['anatomy', () => ['anatomy', '--url', redis.url, '--samples', '5']],
  ['observe', () => ['observe', '--url', redis.url, '-d', '1s', '--interval', '500ms', '-q']],
  [
    'size --from a curve --peak-rate',
    () => ['size', '--from', fixturePath('bench-curve-result.json'), '--peak-rate', '20000', '--instances', '3'],
  ],
];

describe.each(commands)('%s', (_, args) => {
  it.each([80, 120])('fits %i columns, with and without --details', async (columns) => {
    for (const details of [[], ['--details']]) {
      const text = await printed([...args(), ...details], columns);
      expect(widest(text), text).toBeLessThanOrEqual(columns);
    }
  });

  it('keeps to 120 columns when piped', async () => {
    const text = await printed([...args(), '--details'], null);
    expect(widest(text), text).toBeLessThanOrEqual(120);
  });
});

describe('the answer first', () => {
  it('bench at 80 columns: the table and the verdict lines in the first 12 lines, the details only when asked', async () => {
    const lines = (await printed(commands[1]![1](), 80)).split('\n');
    expect(lines.slice(0, 12).join('\n')).toMatch(/│ multiplexed\(1 conn\) +│/);
    expect(lines.slice(0, 12).some((line) => /^pooled\(max=\d+\): .*× the throughput of per-request/.test(line))).toBe(
      true,
    );
    expect(lines.join('\n')).not.toContain('Hold, waits and the pool');
  });

  it('size --peak-rate at 80 columns: the instances the peak needs on the first line', async () => {
    const lines = (
      await printed(['size', '--from', fixturePath('bench-curve-result.json'), '--peak-rate', '20000'], 80)
    ).split('\n');
    expect(lines[0]).toMatch(/^Peak 20,000 req\/s: \d+ instances \(each /);
  });

  it('size at 100 columns: the recommendation on the second line', async () => {
    const lines = (await printed(['size', '--preset', 'api'], 100)).split('\n');
    expect(lines[1]).toMatch(/^Recommendation: 12 connections/);
  });

  it('--wide lifts the limit', async () => {
    const text = await printed([...commands[1]![1](), '--details', '--wide'], 80);
    expect(widest(text)).toBeGreaterThan(80);
  });
});
