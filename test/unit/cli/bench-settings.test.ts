import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBenchConfig, type RawBenchOptions } from '../../../src/cli/bench-options.js';
import { UsageError } from '../../../src/errors.js';
import { tempDir } from '../../helpers/temp-dir.js';

/**
 * One path for settings: the flags are a partial scenario laid over the scenario file's, read by one schema, and
 * every rule between settings is checked in one place, whoever gives the values. A refusal names each value's
 * source: its flag, the file's file:line:col and field, or the default.
 */

const dir = tempDir('settings');
let files = 0;

/** A scenario file: a valid head (lines 1-4), then `rest` from line 5. */
function scenario(...rest: string[]): string {
  const file = join(dir, `s${++files}.yaml`);
  writeFileSync(
    file,
    ['name: t', 'workload:', '  commands:', '    - { command: get, weight: 1 }', ...rest, ''].join('\n'),
  );
  return file;
}

function refusal(raw: RawBenchOptions): string {
  try {
    parseBenchConfig(raw, 2);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
}

describe('a rule broken by flags is said with the flags', () => {
  it.each<[RawBenchOptions, string]>([
    [{ requests: '5', duration: '5s' }, 'give --requests or --duration, not both'],
    [{ utilization: '10%', think: '5' }, 'give --utilization or --think, not both'],
    [
      { rate: '100', think: '5' },
      '--rate (open loop) and --utilization/--think (closed loop) do not go together: choose one load model',
    ],
    [{ poolSize: '2', minIdle: '3' }, '--min-idle (3) must not exceed --pool-size (2)'],
    [{ poolSize: '2,4', minIdle: '3' }, '--min-idle (3) must not exceed --pool-size (2)'],
    [
      { poolSize: '2,4', strategy: 'multiplexed' },
      '--pool-size with several sizes sweeps the pooled strategy: include pooled in --strategy',
    ],
    // A default is named by the flag that changes it: the default pool is as large as the 8 workers.
    [{ concurrency: '8', minIdle: '9' }, '--min-idle (9) must not exceed --pool-size (8)'],
  ])('%j', (raw, message) => {
    expect(refusal(raw)).toBe(message);
  });

  it("a flag's wrong value in its parser's words, and two flags that give one setting differently", () => {
    expect(refusal({ think: 'soon' })).toMatch(/^--think must be a duration .* \(got "soon"\)$/);
    expect(refusal({ poolSize: '4,4' })).toBe('--pool-size lists a size twice (got "4,4")');
    expect(refusal({ threshold: ['pooled:latency:p99<5'] })).toMatch(
      /^--threshold "pooled:latency:p99<5": not a threshold/,
    );
    expect(refusal({ pipeline: '16', commandsPerRequest: '10' })).toBe(
      '--pipeline 16 and --commands-per-request 10 disagree: --pipeline <n> sends n commands a request; give one of them',
    );
  });
});

describe("a rule broken by a file's values points at the file", () => {
  it('file:line:col and the fields, as when the file is read by itself', () => {
    const file = scenario('rate: 100', 'thinkMs: 5');
    expect(refusal({ scenario: file })).toBe(
      `${file}:5:7: rate (open loop) and thinkMs (closed loop) cannot both be set; choose one load model`,
    );
    const sweep = scenario('pool: { minIdle: 3 }', 'poolSizes: [2, 4]');
    expect(refusal({ scenario: sweep })).toBe(
      `${sweep}:5:18: pool.minIdle (3) is more than the smallest of poolSizes (2); use at most 2`,
    );
  });

  it("a file's wrong value, whatever the flags say over it", () => {
    const file = scenario('workers: lots');
    expect(refusal({ scenario: file, concurrency: '8' })).toBe(
      `${file}:5:10: workers must be a whole number from 1 to 10000 (got "lots")`,
    );
  });

  it("a file's value against a default: the file's place, and the default named as one", () => {
    const file = scenario('pool: { minIdle: 60 }');
    expect(refusal({ scenario: file })).toBe(
      `${file}:5:18: pool.minIdle (60) is more than the default pool.size (50); use at most 50`,
    );
    const jedis = scenario('pool: { minIdle: 9, profile: jedis }');
    expect(refusal({ scenario: jedis })).toBe(
      `${jedis}:5:18: pool.minIdle (9) is more than the jedis profile's pool.size (8); use at most 8`,
    );
  });
});

describe('a rule broken by a flag and a file value names both', () => {
  it.each<[string[], RawBenchOptions, string]>([
    [['pool: { size: 2 }'], { minIdle: '3' }, '5:15: --min-idle (3) is more than pool.size (2); use at most 2'],
    [['pool: { minIdle: 3 }'], { poolSize: '2' }, '5:18: pool.minIdle (3) is more than --pool-size (2); use at most 2'],
    [
      ['pool: { minIdle: 3 }'],
      { poolSize: '2,4' },
      '5:18: pool.minIdle (3) is more than the smallest of --pool-size (2); use at most 2',
    ],
    [['poolSizes: [12]'], { minIdle: '20' }, '5:12: --min-idle (20) is more than poolSizes (12); use at most 12'],
    [
      ['poolSizes: 2..4'],
      { strategy: 'multiplexed' },
      '5:12: poolSizes with several sizes sweeps the pooled strategy, which --strategy leaves out; add pooled to --strategy',
    ],
    [
      ['strategies: [multiplexed]'],
      { poolSize: '2,4' },
      '5:13: --pool-size with several sizes sweeps the pooled strategy, which strategies leaves out; add pooled to strategies',
    ],
  ])('%j with %j', (lines, raw, message) => {
    const file = scenario(...lines);
    expect(refusal({ ...raw, scenario: file })).toBe(`${file}:${message}`);
  });
});

describe('flags override the file', () => {
  const file = scenario(
    '  valueSize: 2KiB',
    'workers: 4',
    'requests: 500',
    'rate: 100',
    'strategies: [pooled]',
    'pool: { size: 4, order: fifo }',
    'thresholds: ["pooled:latency:p(99)<5"]',
  );

  it('reads the file alone', () => {
    expect(parseBenchConfig({ scenario: file }, 2)).toMatchObject({
      concurrency: 4,
      requests: 500,
      durationMs: null,
      load: { ratePerSec: 100, targetUtilization: null, thinkMs: null },
      strategies: ['pooled'],
      pool: { size: 4, order: 'fifo' },
      workload: { commands: [{ command: 'get', weight: 1, valueSize: 2048 }] },
      thresholds: ['pooled:latency:p(99)<5'],
    });
  });

  it('a flag replaces its field and leaves the others; a load model or a run length replaces the whole of it', () => {
    const config = parseBenchConfig(
      {
        scenario: file,
        concurrency: '8',
        duration: '2s',
        think: '5',
        strategy: 'pooled,multiplexed',
        poolSize: '12',
        command: 'set',
        threshold: ['multiplexed:latency:p(99)<9'],
      },
      2,
    );
    expect(config).toMatchObject({
      concurrency: 8,
      requests: null,
      durationMs: 2000,
      load: { ratePerSec: null, targetUtilization: null, thinkMs: 5 },
      strategies: ['pooled', 'multiplexed'],
      pool: { size: 12, order: 'fifo' },
      workload: { commands: [{ command: 'set', weight: 1, valueSize: 2048 }] },
      // --threshold adds to the file's thresholds.
      thresholds: ['pooled:latency:p(99)<5', 'multiplexed:latency:p(99)<9'],
    });
  });
});

describe('every rule is enforced in one place, wherever its values come from', () => {
  interface Placed {
    flags: RawBenchOptions;
    file: string[];
  }
  /** Two values of a rule given by the flags, by the file, and split between them both ways. */
  const cases: [rule: string, placements: Placed[], says: RegExp][] = [
    [
      'min idle above the pool size',
      [
        { flags: { minIdle: '3', poolSize: '2' }, file: [] },
        { flags: {}, file: ['pool: { size: 2, minIdle: 3 }'] },
        { flags: { minIdle: '3' }, file: ['pool: { size: 2 }'] },
        { flags: { poolSize: '2' }, file: ['pool: { minIdle: 3 }'] },
      ],
      /\(3\) .* \(2\)/,
    ],
    [
      'min idle above the smallest size of a sweep',
      [
        { flags: { minIdle: '3', poolSize: '2,4' }, file: [] },
        { flags: {}, file: ['pool: { minIdle: 3 }', 'poolSizes: [2, 4]'] },
        { flags: { minIdle: '3' }, file: ['poolSizes: [2, 4]'] },
        { flags: { poolSize: '2,4' }, file: ['pool: { minIdle: 3 }'] },
      ],
      /\(3\) .* \(2\)/,
    ],
    [
      'a sweep without pooled',
      [
        { flags: { poolSize: '2,4', strategy: 'multiplexed' }, file: [] },
        { flags: {}, file: ['poolSizes: [2, 4]', 'strategies: [multiplexed]'] },
        { flags: { poolSize: '2,4' }, file: ['strategies: [multiplexed]'] },
        { flags: { strategy: 'multiplexed' }, file: ['poolSizes: [2, 4]'] },
      ],
      /sweeps the pooled strategy/,
    ],
  ];
  const raw = ({ flags, file }: Placed): RawBenchOptions => ({ ...flags, scenario: scenario(...file) });

  it.each(cases)('%s', (_, placements, says) => {
    for (const placed of placements) expect(refusal(raw(placed)), JSON.stringify(placed)).toMatch(says);
  });

  it('and the same values that keep it pass wherever they come from', () => {
    for (const placed of [
      { flags: { minIdle: '2', poolSize: '2' }, file: [] },
      { flags: {}, file: ['pool: { size: 2, minIdle: 2 }'] },
      { flags: { minIdle: '2' }, file: ['pool: { size: 2 }'] },
      { flags: { poolSize: '2' }, file: ['pool: { minIdle: 2 }'] },
    ]) {
      expect(parseBenchConfig(raw(placed), 2).pool, JSON.stringify(placed)).toMatchObject({ size: 2, minIdle: 2 });
    }
  });

  it('a load model and a run length: refused from one source, while a flag replaces the file’s', () => {
    expect(refusal({ think: '5', utilization: '10%' })).toBe('give --utilization or --think, not both');
    const both = scenario('thinkMs: 5', 'targetUtilization: 10%');
    expect(refusal({ scenario: both })).toBe(
      `${both}:5:10: thinkMs and targetUtilization cannot both be set; give one of them`,
    );
    expect(parseBenchConfig({ think: '5', scenario: scenario('targetUtilization: 10%') }, 2).load).toMatchObject({
      targetUtilization: null,
      thinkMs: 5,
    });
    expect(refusal({ requests: '5', duration: '1s' })).toBe('give --requests or --duration, not both');
    expect(parseBenchConfig({ duration: '1s', scenario: scenario('requests: 500') }, 2)).toMatchObject({
      requests: null,
      durationMs: 1000,
    });
  });
});
