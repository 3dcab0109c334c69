import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario, type Scenario } from '../../../src/bench/config/scenario.js';
import { UsageError } from '../../../src/errors.js';
import { fixturePath } from '../../helpers/fixtures.js';

const lines = (...text: string[]) => `${text.join('\n')}\n`;

/** A valid head (lines 1-4) to which a test appends the lines under test, starting at line 5. */
const HEAD = ['name: t', 'workload:', '  commands:', '    - { command: get, weight: 1 }'];
const withHead = (...rest: string[]) => lines(...HEAD, ...rest);

const RUN_LENGTH = 'a duration with a unit, such as 500ms, 10s, 1.5m or 1h, more than 0 and at most 24h';
const BARE_MS = 'a duration such as 500ms, 5s or 1.5m, or a bare number of milliseconds';
const SHARE = 'a percentage such as 10% or a fraction such as 0.1, more than 0% and at most 100%';
const SIZE = 'a size such as 512 (bytes), 4KB (4000 bytes), 4KiB (4096 bytes) or 1MiB, from 1B to 64MiB';
const WARMUP = 'a duration such as 2s or 500ms, a request count such as 500req, or 0 for none';

function problem(text: string, file = 'x.yaml'): string {
  try {
    parseScenario(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected parseScenario to refuse the scenario');
}

describe('parseScenario: valid files', () => {
  it("reads workload.autoPipelining, ioredis' auto-pipelining, which is off unless the file says so", () => {
    expect(parseScenario(withHead('  autoPipelining: true'), 'x.yaml').workload.autoPipelining).toBe(true);
    expect(parseScenario(withHead(), 'x.yaml').workload.autoPipelining).toBeUndefined();
  });

  it('parses the full example with durations in ms and fractions as numbers', () => {
    const expected: Scenario = {
      name: 'api',
      description: 'REST API, 20 threads at 10 %',
      workload: {
        commands: [
          { command: 'get', weight: 80 },
          { command: 'set', weight: 20 },
        ],
        valueSize: 512,
        keyspace: 10_000,
        commandsPerRequest: 3,
        pipeline: false,
      },
      workers: 20,
      targetUtilization: 0.1,
      durationMs: 10_000,
      warmup: { requests: null, durationMs: 1_000 },
      strategies: ['per-request', 'pooled', 'multiplexed'],
      pool: { size: 12, minIdle: 2, acquireTimeoutMs: 1_000, profile: 'go-redis' },
      poolSizes: [2, 4, 6, 8, 12],
      thresholds: ['pooled:latency:p(99)<5'],
      thresholdSources: [`${fixturePath('scenarios/api.yaml')}:18:14: thresholds[0]`],
    };
    expect(loadScenario(fixturePath('scenarios/api.yaml'))).toStrictEqual(expected);
  });

  it('needs only name and workload; description defaults to an empty string', () => {
    expect(parseScenario(lines(...HEAD), 'x.yaml')).toStrictEqual({
      name: 't',
      description: '',
      workload: { commands: [{ command: 'get', weight: 1 }] },
    });
  });

  it.each([
    ['2s', { requests: null, durationMs: 2_000 }],
    ['500ms', { requests: null, durationMs: 500 }],
    ['500req', { requests: 500, durationMs: null }],
    ['"500 requests"', { requests: 500, durationMs: null }],
    ['0', { requests: null, durationMs: null }],
    ['0s', { requests: null, durationMs: null }],
  ])('reads warmup: %s', (raw, expected) => {
    expect(parseScenario(withHead(`warmup: ${raw}`), 'x.yaml').warmup).toEqual(expected);
  });

  it.each([
    ['10s', 10_000],
    ['500ms', 500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1.5m', 90_000],
    ['"2 s"', 2_000],
  ])('reads duration: %s as %d ms', (raw, ms) => {
    expect(parseScenario(withHead(`duration: ${raw}`), 'x.yaml').durationMs).toBe(ms);
  });

  it.each([
    ['0.25', 0.25],
    ['25%', 0.25],
    ['1', 1],
    ['100%', 1],
  ])('reads targetUtilization: %s', (raw, fraction) => {
    expect(parseScenario(withHead(`targetUtilization: ${raw}`), 'x.yaml').targetUtilization).toBe(fraction);
  });

  it('reads pool *Ms fields as numbers of ms or duration strings', () => {
    const scenario = parseScenario(
      withHead(
        'pool:',
        '  acquireTimeoutMs: 250',
        '  idleTimeoutMs: 30s',
        '  evictionRunIntervalMs: 0',
        '  maxLifetimeMs: 30m',
        '  healthCheckIntervalMs: 1500ms',
        '  order: fifo',
        '  testOnBorrow: true',
        '  failFast: false',
      ),
      'x.yaml',
    );
    expect(scenario.pool).toStrictEqual({
      acquireTimeoutMs: 250,
      idleTimeoutMs: 30_000,
      evictionRunIntervalMs: 0,
      maxLifetimeMs: 1_800_000,
      healthCheckIntervalMs: 1_500,
      order: 'fifo',
      testOnBorrow: true,
      failFast: false,
    });
  });

  it('reads blpop with blockMs, per-command overrides, think time, requests and rate', () => {
    const scenario = parseScenario(
      lines(
        'name: queue',
        'workload:',
        '  commands:',
        '    - { command: lpush, weight: 1, valueSize: 64, keyspace: 10 }',
        '    - { command: blpop, weight: 1.5, blockMs: 2s }',
        'thinkMs: 0.5',
        'thinkDistribution: exponential',
        'requests: 1000',
      ),
      'x.yaml',
    );
    expect(scenario.workload.commands).toStrictEqual([
      { command: 'lpush', weight: 1, valueSize: 64, keyspace: 10 },
      { command: 'blpop', weight: 1.5, blockMs: 2_000 },
    ]);
    expect(scenario).toMatchObject({ thinkMs: 0.5, thinkDistribution: 'exponential', requests: 1000 });
    expect(parseScenario(withHead('rate: 250.5'), 'x.yaml').rate).toEqual([250.5]);
    // The steps of a capacity curve: a list, a range, or a YAML list.
    expect(parseScenario(withHead('rate: "1000,4000"'), 'x.yaml').rate).toEqual([1000, 4000]);
    expect(parseScenario(withHead('rate: 2000..6000:2000'), 'x.yaml').rate).toEqual([2000, 4000, 6000]);
    expect(parseScenario(withHead('rate: [500, 4000]', "slo: ['p99<2ms']"), 'x.yaml')).toMatchObject({
      rate: [500, 4000],
      slo: ['p99<2ms'],
    });
  });

  it('reads a …Ms field the same whether the number is quoted or not: milliseconds, as its name says', () => {
    expect(parseScenario(withHead('thinkMs: 250'), 'x.yaml').thinkMs).toBe(250);
    expect(parseScenario(withHead('thinkMs: "250"'), 'x.yaml').thinkMs).toBe(250);
    expect(parseScenario(withHead('thinkMs: 0.25s'), 'x.yaml').thinkMs).toBe(250);
    expect(parseScenario(withHead('pool: { acquireTimeoutMs: "1.5s" }'), 'x.yaml').pool?.acquireTimeoutMs).toBe(1_500);
  });

  it.each([
    ['512', 512],
    ['512B', 512],
    ['4KB', 4_000],
    ['4KiB', 4_096],
    ['1.5 KiB', 1_536],
    ['1MiB', 1_048_576],
    ['64MiB', 67_108_864],
  ])('reads valueSize: %s as %d bytes, like --value-size', (raw, bytes) => {
    expect(parseScenario(lines(...HEAD, `  valueSize: ${raw}`), 'x.yaml').workload.valueSize).toBe(bytes);
    const perCommand = lines(
      'name: t',
      'workload:',
      '  commands:',
      `    - { command: get, weight: 1, valueSize: ${raw} }`,
    );
    expect(parseScenario(perCommand, 'x.yaml').workload.commands[0]!.valueSize).toBe(bytes);
  });

  it.each([
    ['[2, 4, 8]', [2, 4, 8]],
    ['2..8', [2, 3, 4, 5, 6, 7, 8]],
    ['2..12:5', [2, 7, 12]],
    ['"2,4,8"', [2, 4, 8]],
    ['2, 4, 8', [2, 4, 8]],
    ['12', [12]],
  ])('reads poolSizes: %s, with the spellings of --pool-size', (raw, sizes) => {
    expect(parseScenario(withHead(`poolSizes: ${raw}`), 'x.yaml').poolSizes).toEqual(sizes);
  });

  it('reads target, what the server must be, with where each of its fields is written', () => {
    const scenario = parseScenario(withHead('target:', '  tls: true', '  user: app-user', '  db: "3"'), 'x.yaml');
    expect(scenario.target).toStrictEqual({ tls: true, user: 'app-user', db: 3 });
    expect(scenario.targetSources).toStrictEqual({
      tls: 'x.yaml:6:8: target.tls',
      user: 'x.yaml:7:9: target.user',
      db: 'x.yaml:8:7: target.db',
    });
    expect(parseScenario(withHead('target: { tls: false }'), 'x.yaml')).toMatchObject({
      target: { tls: false },
      targetSources: { tls: 'x.yaml:5:16: target.tls' },
    });
    expect(parseScenario(withHead(), 'x.yaml')).not.toHaveProperty('target');
  });
});

describe('parseScenario: refused files point at file:line:column', () => {
  it('an unknown top-level field, at its key, listing the accepted fields', () => {
    expect(problem(withHead('wrokers: 3'), 'scenarios/api.yaml')).toBe(
      'scenarios/api.yaml:5:1: unknown field "wrokers"; did you mean "workers"? (accepted: name, description, target, workload, workers, ' +
        'targetUtilization, thinkMs, thinkDistribution, duration, requests, warmup, rate, strategies, client, pool, ' +
        'poolSizes, thresholds, slo)',
    );
  });

  it('an unknown nested field, at its key', () => {
    expect(problem(withHead('pool:', '  size: 8', '  minIdel: 2'))).toBe(
      'x.yaml:7:3: unknown field "minIdel" in pool; did you mean "minIdle"? (accepted: size, minIdle, acquireTimeoutMs, order, idleTimeoutMs, ' +
        'evictionRunIntervalMs, maxLifetimeMs, testOnBorrow, healthCheckIntervalMs, failFast, profile)',
    );
    expect(
      problem(lines('name: t', 'workload:', '  commands:', '    - { command: get, weight: 1, wieght: 2 }')),
    ).toMatch(
      /^x\.yaml:4:34: unknown field "wieght" in workload\.commands\[0\]; did you mean "weight"\? \(accepted: command, weight, /,
    );
  });

  it('an unknown field in a fixture file, through loadScenario', () => {
    const file = fixturePath('scenarios/invalid-pool-key.yaml');
    expect(() => loadScenario(file)).toThrow(
      `${file}:7:3: unknown field "minIdel" in pool; did you mean "minIdle"? (accepted: size, minIdle,`,
    );
  });

  it('a wrong value, at the value, saying what was given and what is accepted', () => {
    expect(problem(withHead('workers: many'), 'scenarios/api.yaml')).toBe(
      'scenarios/api.yaml:5:10: workers must be a whole number from 1 to 10000 (got "many")',
    );
    expect(problem(withHead('workers: 10001'))).toBe(
      'x.yaml:5:10: workers must be a whole number from 1 to 10000 (got 10001)',
    );
    expect(problem(withHead('workers: 2.5'))).toBe(
      'x.yaml:5:10: workers must be a whole number from 1 to 10000 (got 2.5)',
    );
    expect(problem(withHead('workers:'))).toBe('x.yaml:5:9: workers must be a whole number from 1 to 10000 (got null)');
  });

  it('a wrong type in a list item', () => {
    expect(problem(withHead('strategies: [pooled, 5]'))).toBe(
      'x.yaml:5:22: strategies[1] must be one of per-request, pooled, multiplexed (got 5)',
    );
    expect(
      problem(
        lines(
          'name: t',
          'workload:',
          '  commands:',
          '    - command: get',
          '      weight: 1',
          '    - command: set',
          '      weight: lots',
        ),
      ),
    ).toBe('x.yaml:7:15: workload.commands[1].weight must be a number > 0 (got "lots")');
    expect(problem(withHead('thresholds: ["pooled:latency:p(99)<5", 7]'))).toBe(
      'x.yaml:5:40: thresholds[1] must be a string (got 7)',
    );
  });

  it('a YAML syntax error, at the position the yaml library gives', () => {
    expect(problem(lines('name: t', 'workload: commands: []'))).toBe(
      'x.yaml:2:11: invalid YAML: Nested mappings are not allowed in compact mappings',
    );
    expect(problem(lines('name: t', 'workload: { commands: [', 'workers: 3'))).toMatch(
      /^x\.yaml:3:1: invalid YAML: Flow sequence/,
    );
    expect(problem(lines('name: t', 'name: u'))).toBe('x.yaml:2:1: invalid YAML: Map keys must be unique');
    expect(problem(lines('name: "t', 'workers: 3'))).toBe('x.yaml:3:1: invalid YAML: Missing closing "quote');
  });

  it('a duplicate strategy or pool size, at the second occurrence', () => {
    expect(problem(withHead('strategies: [pooled, multiplexed, pooled]'))).toBe(
      'x.yaml:5:35: strategies lists "pooled" twice; give each strategy at most once',
    );
    expect(problem(withHead('poolSizes:', '  - 2', '  - 4', '  - 2'))).toBe(
      'x.yaml:8:5: poolSizes lists 2 twice; give each size at most once',
    );
  });

  it('a wrong target field, at its value or key', () => {
    expect(problem(withHead('target: { tls: yes }'))).toBe('x.yaml:5:16: target.tls must be true or false (got "yes")');
    expect(problem(withHead('target:', '  user: default'))).toBe(
      'x.yaml:6:9: target.user must be an ACL user name of letters, digits, ".", "_", "-" and "@", other than default (got "default")',
    );
    expect(problem(withHead('target: { user: "app user" }'))).toMatch(
      /^x\.yaml:5:17: target\.user must be an ACL user name .* \(got "app user"\)$/,
    );
    expect(problem(withHead('target: { db: 1024 }'))).toBe(
      'x.yaml:5:15: target.db must be a whole number from 0 to 1023 (got 1024)',
    );
    expect(problem(withHead('target: { tsl: true }'))).toBe(
      'x.yaml:5:11: unknown field "tsl" in target; did you mean "tls"? (accepted: tls, user, db)',
    );
    expect(problem(withHead('target: rediss'))).toBe(
      'x.yaml:5:9: target must be a mapping with the fields tls, user, db (got "rediss")',
    );
  });

  it('both duration and requests, at requests', () => {
    expect(problem(withHead('duration: 10s', 'requests: 5'))).toBe(
      'x.yaml:6:11: duration and requests cannot both be set; give one of them',
    );
  });

  it('both targetUtilization and thinkMs, at thinkMs', () => {
    expect(problem(withHead('targetUtilization: 10%', 'thinkMs: 5'))).toBe(
      'x.yaml:6:10: thinkMs and targetUtilization cannot both be set; give one of them',
    );
  });

  it('blockMs without blpop, and blpop without blockMs', () => {
    expect(problem(lines('name: t', 'workload:', '  commands:', '    - { command: get, weight: 1, blockMs: 5 }'))).toBe(
      'x.yaml:4:43: blockMs is only for blpop, not get; remove it or use command: blpop',
    );
    expect(problem(lines('name: t', 'workload:', '  commands:', '    - { command: blpop, weight: 1 }'))).toMatch(
      /^x\.yaml:4:7: blpop needs blockMs, the BLPOP timeout; /,
    );
  });

  it('a missing required field, at the mapping that lacks it', () => {
    expect(problem(lines('description: no name', ...HEAD.slice(1)))).toBe(
      'x.yaml:1:1: missing field "name"; it must be a non-empty string',
    );
    expect(problem(lines('name: t', 'workload:', '  valueSize: 10'))).toBe(
      'x.yaml:3:3: missing field "workload.commands"; it must be a list of { command, weight } mappings',
    );
    expect(problem(lines('name: t', 'workload:', '  commands:', '    - { weight: 1 }'))).toBe(
      'x.yaml:4:7: missing field "workload.commands[0].command"; it must be one of get, set, incr, lpush, rpop, blpop',
    );
  });

  it('an empty name, an empty command list and an empty strategy list', () => {
    expect(problem(lines('name: ""', ...HEAD.slice(1)))).toBe('x.yaml:1:7: name must be a non-empty string (got "")');
    expect(problem(lines('name: t', 'workload: { commands: [] }'))).toBe(
      'x.yaml:2:23: workload.commands must be a non-empty list of { command, weight } mappings (got an empty list)',
    );
    expect(problem(withHead('strategies: []'))).toBe(
      'x.yaml:5:13: strategies must be a non-empty list of per-request, pooled, multiplexed (got an empty list)',
    );
  });

  it('an empty file and a top-level value that is not a mapping', () => {
    expect(problem('')).toBe('x.yaml:1:1: the file is empty; a scenario needs at least name and workload');
    expect(problem('# only a comment\n')).toMatch(/^x\.yaml:1:1: the file is empty; /);
    expect(problem(lines('- name: t'))).toMatch(
      /^x\.yaml:1:1: the scenario must be a mapping with the fields name, .* \(got a list\)$/,
    );
    expect(problem('just text\n')).toMatch(/^x\.yaml:1:1: the scenario must be a mapping .* \(got "just text"\)$/);
  });

  it.each([
    ['duration: 10 parsecs', '5:11', `duration must be ${RUN_LENGTH} (got "10 parsecs")`],
    ['duration: 0', '5:11', `duration must be ${RUN_LENGTH} (got 0)`],
    [
      'duration: 10',
      '5:11',
      `duration must be ${RUN_LENGTH} (got 10); a bare number has no unit here: write 10s for seconds or 10ms for milliseconds`,
    ],
    ['duration: 25h', '5:11', `duration must be ${RUN_LENGTH} (got "25h")`],
    [
      'targetUtilization: 10',
      '5:20',
      `targetUtilization must be ${SHARE} (got 10); a bare number is a fraction (0.1 = 10%): write 10% for 10 percent`,
    ],
    ['targetUtilization: 0%', '5:20', `targetUtilization must be ${SHARE} (got "0%")`],
    ['targetUtilization: 101%', '5:20', `targetUtilization must be ${SHARE} (got "101%")`],
    ['thinkMs: -1', '5:10', `thinkMs must be ${BARE_MS}, from 0 to 1h (got -1)`],
    ['thinkMs: 2 days', '5:10', `thinkMs must be ${BARE_MS}, from 0 to 1h (got "2 days")`],
    ['thinkDistribution: normal', '5:20', 'thinkDistribution must be one of exponential, fixed (got "normal")'],
    ['requests: 0', '5:11', 'requests must be a whole number from 1 to 1000000000 (got 0)'],
    [
      'warmup: 100',
      '5:9',
      `warmup must be ${WARMUP} (got 100); a bare number is ambiguous here: write 100req for 100 requests, or 100s or 100ms for a time`,
    ],
    [
      'warmup: "100"',
      '5:9',
      `warmup must be ${WARMUP} (got "100"); a bare number is ambiguous here: write 100req for 100 requests, or 100s or 100ms for a time`,
    ],
    ['warmup: -5', '5:9', `warmup must be ${WARMUP} (got -5)`],
    ['warmup: 0req', '5:9', `warmup must be ${WARMUP}; a count is from 1req to 1000000000req (got "0req")`],
    ['rate: 0', '5:7', 'rate must be a number > 0 and ≤ 10000000 requests per second (got 0)'],
    ['pool: { size: 0 }', '5:15', 'pool.size must be a whole number from 1 to 10000 (got 0)'],
    [
      'pool: { acquireTimeoutMs: 1.5 }',
      '5:27',
      `pool.acquireTimeoutMs must be ${BARE_MS}, from 0 to 24h in whole milliseconds (got 1.5)`,
    ],
    ['pool: { order: random }', '5:16', 'pool.order must be one of lifo, fifo (got "random")'],
    [
      'pool: { profile: lettuce }',
      '5:18',
      'pool.profile must be one of go-redis, redis-py, redis-py-blocking, jedis, node-redis (got "lettuce")',
    ],
    ['pool: { testOnBorrow: yes }', '5:23', 'pool.testOnBorrow must be true or false (got "yes")'],
    ['pool: { size: 2, minIdle: 3 }', '5:27', 'pool.minIdle (3) is more than pool.size (2); use at most 2'],
    [
      'pool: 12',
      '5:7',
      'pool must be a mapping with the fields size, minIdle, acquireTimeoutMs, order, idleTimeoutMs, ' +
        'evictionRunIntervalMs, maxLifetimeMs, testOnBorrow, healthCheckIntervalMs, failFast, profile (got 12)',
    ],
    ['poolSizes: [4, 0]', '5:16', 'poolSizes[1] must be a whole number from 1 to 10000 (got 0)'],
    [
      'poolSizes: 8..2',
      '5:12',
      'poolSizes must be a size (12), a list (2,4,8) or a range (2..12 or 2..12:2) of whole numbers from 1 to 10000 (got "8..2"); ' +
        'a range goes from the smaller to the larger',
    ],
    ['poolSizes: "2,4,2"', '5:12', 'poolSizes lists a size twice (got "2,4,2")'],
    ['poolSizes: 1..100', '5:12', 'poolSizes: a sweep runs at most 50 sizes (got 51)'],
    [
      'poolSizes: []',
      '5:12',
      'poolSizes must be a non-empty list of pool sizes, whole numbers from 1 to 10000 (got an empty list)',
    ],
    [
      'thresholds: "p99<5"',
      '5:13',
      'thresholds must be a list of threshold strings such as "pooled:latency:p(99)<5" (got "p99<5")',
    ],
  ])('refuses %s', (line, position, message) => {
    expect(problem(withHead(line))).toBe(`x.yaml:${position}: ${message}`);
  });

  it.each([
    ['valueSize: 67108865', `x.yaml:5:14: workload.valueSize must be ${SIZE} (got 67108865)`],
    ['valueSize: 65MiB', `x.yaml:5:14: workload.valueSize must be ${SIZE} (got "65MiB")`],
    [
      'valueSize: 1.5B',
      `x.yaml:5:14: workload.valueSize must be ${SIZE} (got "1.5B"); that is not a whole number of bytes`,
    ],
    ['valueSize: 4 kilobytes', `x.yaml:5:14: workload.valueSize must be ${SIZE} (got "4 kilobytes")`],
    [
      'commandsPerRequest: 1001',
      'x.yaml:5:23: workload.commandsPerRequest must be a whole number from 1 to 1000 (got 1001)',
    ],
    ['keyspace: 0', 'x.yaml:5:13: workload.keyspace must be a whole number from 1 to 10000000 (got 0)'],
    ['pipeline: "false"', 'x.yaml:5:13: workload.pipeline must be true or false (got "false")'],
    ['autoPipelining: 1', 'x.yaml:5:19: workload.autoPipelining must be true or false (got 1)'],
  ])('refuses workload %s', (line, message) => {
    expect(problem(lines(...HEAD, `  ${line}`))).toBe(message);
  });

  it('reports the problem that comes first in the file, not first in the schema', () => {
    expect(problem(lines('workers: many', 'name: ""', ...HEAD.slice(1)))).toBe(
      'x.yaml:1:10: workers must be a whole number from 1 to 10000 (got "many")',
    );
  });

  it('points at an alias where it is used, and through it at the aliased nodes', () => {
    expect(problem(withHead('pool: &p { size: 2 }', 'thresholds: *p'))).toBe(
      'x.yaml:6:13: thresholds must be a list of threshold strings such as "pooled:latency:p(99)<5" (got a mapping)',
    );
    expect(problem(lines('name: t', 'pool: &p { size: 2 }', 'workload: *p'))).toMatch(
      /^x\.yaml:2:12: unknown field "size" in workload \(accepted: commands, /,
    );
  });
});

describe('parseScenario: a mistake is reported as what it is, where it is', () => {
  it('a typo in a required key is the unknown key (with a suggestion), not the missing field', () => {
    expect(problem(lines('nmae: t', ...HEAD.slice(1)))).toMatch(
      /^x\.yaml:1:1: unknown field "nmae"; did you mean "name"\? \(accepted: name, /,
    );
    expect(problem(lines('name: t', 'workload:', '  comands:', '    - { command: get, weight: 1 }'))).toMatch(
      /^x\.yaml:3:3: unknown field "comands" in workload; did you mean "commands"\? \(accepted: commands, /,
    );
    expect(problem(lines('name: t', 'workload:', '  commands:', '    - { comand: get, weight: 1 }'))).toMatch(
      /^x\.yaml:4:9: unknown field "comand" in workload\.commands\[0\]; did you mean "command"\? /,
    );
  });

  it('suggests across case, - and _, and not when nothing is close', () => {
    expect(problem(withHead('pool: { acquire_timeout_ms: 5s }'))).toMatch(
      /unknown field "acquire_timeout_ms" in pool; did you mean "acquireTimeoutMs"\?/,
    );
    expect(problem(withHead('pool-sizes: [2, 4]'))).toMatch(/unknown field "pool-sizes"; did you mean "poolSizes"\?/);
    expect(problem(withHead('colour: red'))).toMatch(/^x\.yaml:5:1: unknown field "colour" \(accepted: /);
  });

  it('a bad threshold in the file, at the threshold, named by its place in the file', () => {
    expect(problem(withHead('thresholds:', '  - "pooled:latency:p(99)<5"', '  - "pooled:latency:p99<5"'))).toBe(
      'x.yaml:7:5: thresholds[1] "pooled:latency:p99<5": not a threshold; expected ' +
        "'<strategy|*>:<metric>:<aggregation><op><number>', e.g. pooled:latency:p(99)<2, pooled:errors:rate<0.001, *:throughput:value>10000",
    );
    expect(problem(withHead('thresholds: ["pooled:latecny:p(99)<5"]'))).toMatch(
      /^x\.yaml:5:14: thresholds\[0\] "pooled:latecny:p\(99\)<5": unknown metric "latecny"/,
    );
  });

  it('rate with targetUtilization or thinkMs, as a clash in the file', () => {
    expect(problem(withHead('targetUtilization: 10%', 'rate: 100'))).toBe(
      'x.yaml:6:7: rate (open loop) and targetUtilization (closed loop) cannot both be set; choose one load model',
    );
    expect(problem(withHead('rate: 100', 'thinkMs: 5'))).toBe(
      'x.yaml:5:7: rate (open loop) and thinkMs (closed loop) cannot both be set; choose one load model',
    );
  });

  it('a sweep without the pooled strategy, and a minIdle above the smallest size of the sweep', () => {
    expect(problem(withHead('strategies: [multiplexed]', 'poolSizes: 2..4'))).toBe(
      'x.yaml:6:12: poolSizes with several sizes sweeps the pooled strategy, which strategies leaves out; add pooled to strategies',
    );
    expect(problem(withHead('pool: { minIdle: 3 }', 'poolSizes: [2, 4]'))).toBe(
      'x.yaml:5:18: pool.minIdle (3) is more than the smallest of poolSizes (2); use at most 2',
    );
  });
});

describe('loadScenario', () => {
  it.each(readdirSync(fileURLToPath(new URL('../../../scenarios', import.meta.url))))(
    'reads the shipped scenarios/%s',
    (name) => {
      const scenario = loadScenario(fileURLToPath(new URL(`../../../scenarios/${name}`, import.meta.url)));
      expect(scenario.name).toBe(name.replace(/\.yaml$/, ''));
    },
  );

  it('refuses a file it cannot read', () => {
    expect(() => loadScenario('/nonexistent/scenario.yaml')).toThrow(
      new UsageError('scenario file /nonexistent/scenario.yaml: cannot read it (ENOENT)'),
    );
  });
});
