import { describe, expect, it } from 'vitest';
import { finalScreen, runCliWithTtyStderr } from '../helpers/pty.js';
import { runCli } from '../helpers/run-cli.js';

// A throwaway server each (no --url, no REDIS_URL), short runs: two strategies so that "run i of n" shows.
const RUN = ['bench', '--strategy', 'pooled,multiplexed', '-c', '4', '-d', '1500ms', '--warmup', '0'];
const PROGRESS =
  /\[(\d)\/2\] (pooled\(max=4\)|multiplexed\(1 conn\)) measure {2}[\d.]+ of 1\.5 s {2}[\d,]+ req\/s {2}\d+ errors?/;

describe('the progress line on a terminal', () => {
  it('shows run i of n, elapsed of total, the live rate and the errors on stderr, and is gone when the run ends', async () => {
    const run = await runCliWithTtyStderr(RUN, { REDIS_URL: undefined });
    expect(run.exitCode).toBe(0);
    const drawn = [...run.terminal.matchAll(new RegExp(PROGRESS, 'g'))];
    expect(drawn.map((m) => m[1])).toContain('1');
    expect(drawn.map((m) => m[1])).toContain('2');
    expect(drawn.map((m) => m[2])).toEqual(expect.arrayContaining(['pooled(max=4)', 'multiplexed(1 conn)']));
    // Erased at the end: nothing of it is left on the screen, and the report went to stdout.
    expect(run.terminal.endsWith('\r\u001b[2K')).toBe(true);
    expect(finalScreen(run.terminal).filter((line) => line.includes('req/s'))).toEqual([]);
    expect(run.stdout).toMatch(/pooled\(max=4\)/);
  });

  it('counts requests of the total with -n', async () => {
    const run = await runCliWithTtyStderr(
      ['bench', '--strategy', 'pooled', '-c', '2', '-n', '60000', '--warmup', '0'],
      { REDIS_URL: undefined },
    );
    expect(run.exitCode).toBe(0);
    expect(run.terminal).toMatch(/\[1\/1\] pooled\(max=2\) measure {2}[\d,]+ of 60,000 requests {2}[\d,]+ req\/s/);
  });

  it('counts down to --start-at on the same line, erased when the run starts', async () => {
    const startAt = new Date(Date.now() + 3000).toISOString();
    const run = await runCliWithTtyStderr(
      ['bench', '--strategy', 'pooled', '-c', '2', '-n', '200', '--warmup', '0', '--start-at', startAt],
      { REDIS_URL: undefined },
    );
    expect(run.exitCode).toBe(0);
    const drawn = [...run.terminal.matchAll(/waiting for --start-at (\S+): starts in (\d) s/g)];
    expect(drawn.length).toBeGreaterThan(1);
    for (const m of drawn) expect(m[1]).toBe(startAt);
    // Counting down, to the last second.
    const seconds = drawn.map((m) => Number(m[2]));
    expect(seconds).toEqual([...seconds].sort((a, b) => b - a));
    expect(seconds.at(-1)).toBe(1);
    expect(finalScreen(run.terminal).filter((line) => line.includes('start-at'))).toEqual([]);
    expect(run.stdout).toMatch(/pooled\(max=2\)/);
  });

  it('is not drawn with -q, even on a terminal', async () => {
    const run = await runCliWithTtyStderr([...RUN, '-q'], { REDIS_URL: undefined });
    expect(run.exitCode).toBe(0);
    expect(run.terminal).not.toMatch(/req\/s|\u001b\[2K/);
    expect(run.stdout).toMatch(/pooled\(max=4\)/);
  });

  it('is not drawn when stderr is not a terminal', async () => {
    const run = await runCli(RUN, { env: { REDIS_URL: undefined } });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
  });
});
