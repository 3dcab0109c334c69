import { describe, expect, it } from 'vitest';
import { defaultPoolConfig } from '../../../src/bench/config/config.js';
import { namesRun, plannedRunNames, plannedRuns } from '../../../src/bench/gates/run-plan.js';

const one = { commandsPerRequest: 1, pipeline: false, autoPipelining: false };

describe('planned runs', () => {
  it('names each run before anything connects: its strategy and, for pooled, its size', () => {
    const pool = defaultPoolConfig(8);
    expect(
      plannedRunNames({ strategies: ['per-request', 'pooled', 'multiplexed'], pool, poolSizes: null, workload: one }),
    ).toEqual([
      { strategy: 'per-request', label: 'per-request', poolSize: null },
      { strategy: 'pooled', label: 'pooled(max=8)', poolSize: 8 },
      { strategy: 'multiplexed', label: 'multiplexed(1 conn)', poolSize: null },
    ]);
  });

  it('names a run of several threads for what all of them hold, and by the label of one of them', () => {
    const runs = plannedRunNames({
      strategies: ['per-request', 'pooled', 'multiplexed'],
      pool: defaultPoolConfig(8),
      poolSizes: null,
      workload: one,
      threads: 2,
    });
    expect(runs).toEqual([
      { strategy: 'per-request', label: 'per-request', poolSize: null },
      { strategy: 'pooled', label: 'pooled(2 × max=8)', instanceLabel: 'pooled(max=8)', poolSize: 8 },
      { strategy: 'multiplexed', label: 'multiplexed(2 conns)', instanceLabel: 'multiplexed(1 conn)', poolSize: null },
    ]);
    expect(namesRun('multiplexed(1 conn)', runs[2]!)).toBe(true);
    expect(namesRun('multiplexed(2 conns)', runs[2]!)).toBe(true);
    expect(namesRun('multiplexed(3 conns)', runs[2]!)).toBe(false);
  });

  it('plans one pooled run per size of a sweep, each with its own pool size', () => {
    const runs = plannedRuns({ strategies: ['pooled', 'multiplexed'], pool: defaultPoolConfig(8), poolSizes: [2, 4] });
    expect(runs.map((r) => r.label)).toEqual(['pooled(max=2)', 'pooled(max=4)', 'multiplexed(1 conn)']);
    expect(runs.map((r) => r.pool.size)).toEqual([2, 4, 8]);
  });

  it('says in the label when commands are pipelined, explicitly or by ioredis, so that a pipelined figure is never read as a plain one', () => {
    const labels = (workload: typeof one) =>
      plannedRunNames({
        strategies: ['per-request', 'pooled', 'multiplexed'],
        pool: defaultPoolConfig(8),
        poolSizes: null,
        workload,
      }).map((r) => r.label);
    expect(labels({ ...one, commandsPerRequest: 16, pipeline: true })).toEqual([
      'per-request(pipeline=16)',
      'pooled(max=8, pipeline=16)',
      'multiplexed(1 conn, pipeline=16)',
    ]);
    expect(labels({ ...one, autoPipelining: true })).toEqual([
      'per-request(auto-pipelining)',
      'pooled(max=8, auto-pipelining)',
      'multiplexed(1 conn, auto-pipelining)',
    ]);
    expect(labels({ ...one, commandsPerRequest: 4, pipeline: true, autoPipelining: true })[1]).toBe(
      'pooled(max=8, pipeline=4, auto-pipelining)',
    );
    // Several commands one after another are not pipelined; one command "as a pipeline" is one command.
    expect(labels({ ...one, commandsPerRequest: 4 })[1]).toBe('pooled(max=8)');
    expect(labels({ ...one, pipeline: true })[1]).toBe('pooled(max=8)');
  });
});
