import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RedisPoolError, UsageError } from '../../../src/errors.js';
import { confirmation, OutputPlan, writeAtomically } from '../../../src/cli/output-plan.js';
import { tempDir } from '../../helpers/temp-dir.js';

const fresh = (): string => tempDir('plan');

/** The error a plan's check throws, or null. */
function refusal(check: () => unknown): UsageError | null {
  try {
    check();
    return null;
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
}

/** What the plan printed on stdout, in order. */
function captureStdout(run: () => void): string[] {
  const printed: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((text: string | Uint8Array) => {
    printed.push(String(text));
    return true;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return printed;
}

afterEach(() => vi.restoreAllMocks());

describe('the output plan checks every output before the run', () => {
  it('refuses a file whose folder is missing with exit 2 and one line naming the flag and the folder', () => {
    const error = refusal(() =>
      new OutputPlan<string>().document('--output', '/nonexistent-dir/x.json', (r) => r).check(),
    );
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toBe('--output /nonexistent-dir/x.json: the folder /nonexistent-dir does not exist');
  });

  it('refuses a folder given as a file, and a file that cannot be created or replaced (/proc), naming the flag', () => {
    const folder = refusal(() => new OutputPlan<string>().document('--output', tmpdir(), (r) => r).check());
    expect(folder?.exitCode).toBe(2);
    expect(folder?.message).toBe(
      `--output ${tmpdir()}: is a folder; give the name of a file to write, e.g. ${join(tmpdir(), 'result.json')}`,
    );
    // Root may write anywhere the permissions say, yet not in /proc: only making a file there tells.
    expect(
      refusal(() => new OutputPlan<string>().document('--markdown', '/proc/version', (r) => r).check())?.message,
    ).toMatch(
      /^--markdown \/proc\/version: cannot be created or replaced there \(E[A-Z]+\); give a file in a folder you can write to$/,
    );
    expect(
      refusal(() => new OutputPlan<string>().document('--export-prom', '/proc/new.prom', (r) => r).check())?.message,
    ).toMatch(/^--export-prom \/proc\/new\.prom: cannot be created/);
    // Nothing of the check is left behind.
    const dir = fresh();
    expect(
      refusal(() =>
        new OutputPlan<string>()
          .document('--output', join(dir, 'r.json'), (r) => r)
          .folder('--export-hgrm', dir, () => [])
          .check(),
      ),
    ).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('checks the files of a prefix, the nearest existing folder of a folder to make, and the job summary', () => {
    const dir = fresh();
    expect(
      refusal(() =>
        new OutputPlan<string>()
          .files(
            '--export-gab',
            '/nonexistent-dir/gab',
            'file prefix',
            (p) => [`${p}-a.json`],
            () => [''],
          )
          .check(),
      )?.message,
    ).toBe('--export-gab /nonexistent-dir/gab-a.json: the folder /nonexistent-dir does not exist');
    // A folder that does not exist yet is made (with its parents) in the nearest one that does.
    expect(
      refusal(() => new OutputPlan<string>().folder('--export-hgrm', join(dir, 'a', 'b'), () => []).check()),
    ).toBeNull();
    writeFileSync(join(dir, 'file'), '');
    expect(
      refusal(() => new OutputPlan<string>().folder('--export-hgrm', join(dir, 'file', 'b'), () => []).check())
        ?.message,
    ).toBe(`--export-hgrm ${join(dir, 'file', 'b')}: ${join(dir, 'file')} is not a folder`);
    expect(
      refusal(() =>
        new OutputPlan<string>().append('GITHUB_STEP_SUMMARY', '/nonexistent-dir/summary.md', (r) => r).check(),
      )?.message,
    ).toBe('GITHUB_STEP_SUMMARY /nonexistent-dir/summary.md: the folder /nonexistent-dir does not exist');
  });

  it('gives stdout to one document: refuses two, and - for a flag that writes several files', () => {
    const two = new OutputPlan<string>().stdout('--json', true, (r) => r).document('--output', '-', (r) => r);
    expect(refusal(() => two.check())?.message).toBe(
      '--json and --output - would both print on stdout, which carries one document: give all but one of them a file',
    );
    const three = new OutputPlan<string>()
      .document('--markdown', '-', (r) => r, '--markdown')
      .document('--html', '-', (r) => r, '--html')
      .stdout('--json', true, (r) => r);
    expect(refusal(() => three.check())?.message).toMatch(
      /^--markdown and --html and --json would all print on stdout/,
    );
    expect(refusal(() => new OutputPlan<string>().folder('--export-hgrm', '-', () => []).check())?.message).toBe(
      '--export-hgrm writes several files, so it cannot go to stdout (-): give it a folder',
    );
    expect(
      new OutputPlan<string>()
        .document('--markdown', '-', (r) => r)
        .otherwiseStdout((r) => r)
        .checkStdout(),
    ).toBe('--markdown -');
    expect(
      new OutputPlan<string>()
        .document('--markdown', 'x.md', (r) => r)
        .document('--html', undefined, (r) => r)
        .checkStdout(),
    ).toBeNull();
  });
});

describe('the output plan writes after the run', () => {
  it('writes every file and prints stdout last: the human report only when no output took stdout', () => {
    const dir = fresh();
    const plan = new OutputPlan<string>()
      .document('--output', join(dir, 'r.json'), (r) => `json ${r}`)
      .files(
        '--export-gab',
        join(dir, 'gab'),
        'file prefix',
        (p) => [`${p}-small.json`, `${p}-big.json`],
        (r) => [`small ${r}`, `big ${r}`],
      )
      .folder('--export-hgrm', join(dir, 'hgrm', 'deep'), (r) => [
        ['a.hgrm', `a ${r}`],
        ['b.hgrm', `b ${r}`],
      ])
      .otherwiseStdout((r) => `table ${r}`);
    expect(captureStdout(() => plan.write('x'))).toEqual(['table x\n']);
    expect(readFileSync(join(dir, 'r.json'), 'utf8')).toBe('json x');
    expect(readFileSync(join(dir, 'gab-small.json'), 'utf8')).toBe('small x');
    expect(readFileSync(join(dir, 'gab-big.json'), 'utf8')).toBe('big x');
    expect(readdirSync(join(dir, 'hgrm', 'deep')).sort()).toEqual(['a.hgrm', 'b.hgrm']);

    const claimed = new OutputPlan<string>()
      .document('--output', '-', (r) => `json ${r}\n`)
      .otherwiseStdout((r) => `table ${r}`);
    expect(captureStdout(() => claimed.write('y'))).toEqual(['json y\n']);
  });

  it('appends to the job summary instead of replacing it', () => {
    const summary = join(fresh(), 'summary.md');
    writeFileSync(summary, 'earlier step\n');
    new OutputPlan<string>().append('GITHUB_STEP_SUMMARY', summary, (r) => `# ${r}\n`).write('report');
    expect(readFileSync(summary, 'utf8')).toBe('earlier step\n# report\n');
  });

  it('writes nothing at all when one of the outputs fails to render', () => {
    const dir = fresh();
    const plan = new OutputPlan<string>()
      .document('--output', join(dir, 'r.json'), (r) => r)
      .document('--html', join(dir, 'r.html'), () => {
        throw new Error('render failed');
      });
    expect(() => plan.write('x')).toThrow('render failed');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('a file that cannot be written after the run', () => {
  it('is saved in the temporary folder, the other outputs still written, and the error names where it went (exit 1)', () => {
    const dir = fresh();
    const gone = join(dir, 'gone');
    mkdirSync(gone);
    const plan = new OutputPlan<string>()
      .document('--output', join(gone, 'r.json'), (r) => `json ${r}`)
      .document('--markdown', join(dir, 'r.md'), (r) => `md ${r}`)
      .otherwiseStdout((r) => `table ${r}`);
    plan.check();
    rmSync(gone, { recursive: true });
    let error: unknown = null;
    const printed = captureStdout(() => {
      try {
        plan.write('x');
      } catch (caught) {
        error = caught;
      }
    });
    expect(printed).toEqual(['table x\n']);
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).toBe('md x');
    expect(error).toBeInstanceOf(RedisPoolError);
    expect((error as RedisPoolError).exitCode).toBe(1);
    const message = (error as RedisPoolError).message;
    const saved = /saved to (\S+)$/.exec(message)?.[1];
    expect(message).toMatch(
      new RegExp(
        `^--output ${gone}/r\\.json: could not be written after the run \\(ENOENT\\); nothing is lost, it was saved to `,
      ),
    );
    expect(saved).toBeDefined();
    expect(readFileSync(saved!, 'utf8')).toBe('json x');
    rmSync(dirname(saved!), { recursive: true });
  });
});

describe('an atomic write', () => {
  it('writes a device in place instead of replacing it', () => {
    writeAtomically('/dev/null', 'discarded');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('replaces the file whole and leaves no temporary file', () => {
    const dir = fresh();
    const file = join(dir, 'r.json');
    writeFileSync(file, 'old');
    writeAtomically(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['r.json']);
  });

  it('leaves no partial file when it fails', () => {
    const dir = fresh();
    // A folder where the file should go: the rename fails after the temporary file was written.
    mkdirSync(join(dir, 'r.json'));
    expect(() => writeAtomically(join(dir, 'r.json'), 'new')).toThrow();
    expect(readdirSync(dir)).toEqual(['r.json']);
    expect(readdirSync(join(dir, 'r.json'))).toEqual([]);
    // A folder that vanished after the check: nothing is written anywhere.
    expect(() => writeAtomically(join(dir, 'gone', 'r.json'), 'new')).toThrow();
    expect(existsSync(join(dir, 'gone'))).toBe(false);
  });
});

describe('the line that confirms a file written', () => {
  it('names the file, what it holds and its size in decimal units', () => {
    expect(confirmation('--markdown', 'plan.md', 'x'.repeat(4_200))).toBe('wrote plan.md (Markdown, 4.2 kB)');
    expect(confirmation('--output', 'r.json', '{}\n')).toBe('wrote r.json (JSON, 3 B)');
    expect(confirmation('--html', 'plan.html', 'é'.repeat(700_000))).toBe('wrote plan.html (HTML, 1.4 MB)');
  });
});
