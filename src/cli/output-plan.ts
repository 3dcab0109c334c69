import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { EXIT, RedisPoolError, UsageError } from '../errors.js';
import { writeStderr, writeStdout } from './output.js';

/** `-` as the file of an output flag means stdout, as in curl, tar and k6. */
export const STDOUT_FILE = '-';

/** What each output flag writes, as the line that confirms a file names it. */
const WHAT_IS_WRITTEN: Readonly<Record<string, string>> = {
  '--output': 'JSON',
  '--json': 'JSON',
  '--markdown': 'Markdown',
  GITHUB_STEP_SUMMARY: 'Markdown, appended',
  '--html': 'HTML',
  '--export-bmf': 'Bencher Metric Format',
  '--export-prom': 'Prometheus text',
  '--export-gab': 'github-action-benchmark JSON',
  '--export-hgrm': 'HdrHistogram percentiles',
};

/** A file's size as a person reads it: 512 B, 4.2 kB, 1.3 MB (decimal units, as ls -h --si and browsers write them). */
export function formatFileSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** The line that confirms one file written: "wrote plan.md (Markdown, 4.2 kB)". */
export function confirmation(flag: string, file: string, text: string): string {
  const what = WHAT_IS_WRITTEN[flag] ?? flag;
  return `wrote ${file} (${what}, ${formatFileSize(Buffer.byteLength(text))})`;
}

/** One file or stream a command writes; `render` makes its text from the command's result, after the run. */
type Output<R> =
  /** A document to a file, or to stdout for `-` (named `claim` when it asks for stdout). */
  | { kind: 'document'; flag: string; file: string; claim: string; render: (result: R) => string }
  /** A document that always goes to stdout (--json). */
  | { kind: 'stdout'; flag: string; render: (result: R) => string }
  /** Several files from one value (a prefix): never stdout. */
  | { kind: 'files'; flag: string; given: string; what: string; files: string[]; render: (result: R) => string[] }
  /** Files named by the render, in a folder made if missing: never stdout. */
  | { kind: 'folder'; flag: string; folder: string; render: (result: R) => [name: string, text: string][] }
  /** Appended to a file someone else owns (the GitHub Actions job summary). */
  | { kind: 'append'; flag: string; file: string; render: (result: R) => string }
  /** The human report: on stdout unless another output asks for it. */
  | { kind: 'fallback'; render: (result: R) => string };

/**
 * Every file or stream a command writes, planned in one list before the run: `check()` refuses, before anything
 * connects, what could not be written (a missing or read-only folder, `-` for a flag that writes several files,
 * two documents for stdout); `write()` renders everything after the run, then writes each file atomically (a
 * temporary file beside it, renamed over it), so a reader never sees half a document, and stdout last.
 * A flag that was not given (undefined) adds nothing.
 */
export class OutputPlan<R> {
  private readonly outputs: Output<R>[] = [];
  private confirming = false;

  /**
   * After writing, confirm each file written in one line on stderr (`wrote plan.md (Markdown, 4.2 kB)`): for the
   * commands whose whole work is writing files (report, merge), so that a run that printed nothing on stdout still
   * says where its documents went. Nothing for what went to stdout, nor for a file that could not be written.
   */
  confirmWrites(): this {
    this.confirming = true;
    return this;
  }

  /** `file`, or stdout for `-`; `claim` is how the stdout rule names it (`--output -`, or `--markdown` for a bare flag). */
  document(flag: string, file: string | undefined, render: (result: R) => string, claim = `${flag} -`): this {
    if (file !== undefined) this.outputs.push({ kind: 'document', flag, file, claim, render });
    return this;
  }

  stdout(flag: string, wanted: boolean, render: (result: R) => string): this {
    if (wanted) this.outputs.push({ kind: 'stdout', flag, render });
    return this;
  }

  /** `what` says what to give instead of `-` (a file prefix); `files` are the paths the value stands for. */
  files(
    flag: string,
    given: string | undefined,
    what: string,
    files: (given: string) => string[],
    render: (result: R) => string[],
  ): this {
    if (given !== undefined)
      this.outputs.push({ kind: 'files', flag, given, what, files: given === STDOUT_FILE ? [] : files(given), render });
    return this;
  }

  folder(flag: string, folder: string | undefined, render: (result: R) => [name: string, text: string][]): this {
    if (folder !== undefined) this.outputs.push({ kind: 'folder', flag, folder, render });
    return this;
  }

  append(flag: string, file: string | undefined, render: (result: R) => string): this {
    if (file !== undefined && file !== '') this.outputs.push({ kind: 'append', flag, file, render });
    return this;
  }

  otherwiseStdout(render: (result: R) => string): this {
    this.outputs.push({ kind: 'fallback', render });
    return this;
  }

  /**
   * stdout carries one document: the human report, or the one output that asks for it (`--json`, a flag given
   * `-`). Refuses a flag that writes several files given `-`, and two outputs that ask for stdout, naming both.
   * Returns the one that has stdout, or null (the human report then).
   */
  checkStdout(): string | null {
    for (const output of this.outputs) {
      if (
        (output.kind === 'files' && output.given === STDOUT_FILE) ||
        (output.kind === 'folder' && output.folder === STDOUT_FILE)
      ) {
        const what = output.kind === 'files' ? output.what : 'folder';
        throw new UsageError(`${output.flag} writes several files, so it cannot go to stdout (-): give it a ${what}`);
      }
    }
    const claims = this.outputs.flatMap((o) =>
      o.kind === 'stdout' ? [o.flag] : o.kind === 'document' && o.file === STDOUT_FILE ? [o.claim] : [],
    );
    if (claims.length > 1) {
      throw new UsageError(
        `${claims.join(' and ')} would ${claims.length === 2 ? 'both' : 'all'} print on stdout, which carries one document: give all but one of them a file`,
      );
    }
    return claims[0] ?? null;
  }

  /**
   * Every file can be created or replaced, every folder made or written to, the job summary appended to (stdout
   * always can): each is tried with a file made and removed beside it, which also catches what permissions do not
   * tell (root, read-only mounts, /proc). The first that cannot is refused in one line.
   */
  checkWritable(): void {
    for (const output of this.outputs) {
      switch (output.kind) {
        case 'document':
          checkReplaceable(output.flag, output.file);
          break;
        case 'files':
          for (const file of output.files) checkReplaceable(output.flag, file);
          break;
        case 'folder':
          checkFolder(output.flag, output.folder);
          break;
        case 'append':
          checkAppendable(output.flag, output.file);
          break;
        case 'fallback':
        case 'stdout':
          break;
      }
    }
  }

  check(): void {
    this.checkStdout();
    this.checkWritable();
  }

  /**
   * Renders every output first (a failure then writes nothing), writes the files, and stdout last. A file that
   * cannot be written after all (the disk filled, the folder went away during the run) loses nothing: its text is
   * saved in the system's temporary folder, the other outputs are still written, and the error names where it went.
   */
  write(result: R): void {
    const claimed = this.outputs.some((o) => o.kind === 'stdout' || (o.kind === 'document' && o.file === STDOUT_FILE));
    const toStdout: string[] = [];
    const files: Pending[] = [];
    for (const output of this.outputs) {
      switch (output.kind) {
        case 'document': {
          const text = output.render(result);
          if (output.file === STDOUT_FILE) toStdout.push(text);
          else
            files.push({
              flag: output.flag,
              target: output.file,
              texts: [[output.file, text]],
              write: () => writeAtomically(output.file, text),
            });
          break;
        }
        case 'stdout':
        case 'fallback':
          if (output.kind === 'stdout' || !claimed) toStdout.push(output.render(result));
          break;
        case 'files': {
          const texts = output.render(result);
          const named = output.files.map((file, i): [string, string] => [file, texts[i]!]);
          files.push({
            flag: output.flag,
            target: output.given,
            texts: named,
            write: () => named.forEach(([file, text]) => writeAtomically(file, text)),
          });
          break;
        }
        case 'folder': {
          const named = output.render(result);
          const paths = named.map(([name, text]): [string, string] => [join(output.folder, name), text]);
          files.push({
            flag: output.flag,
            target: output.folder,
            texts: paths,
            write: () => writeFolder(output.folder, named),
          });
          break;
        }
        case 'append': {
          const text = output.render(result);
          files.push({
            flag: output.flag,
            target: output.file,
            texts: [[output.file, text]],
            write: () => appendFileSync(output.file, text),
          });
          break;
        }
      }
    }
    const failures = files.flatMap((pending) => {
      const failed = writeOrRescue(pending);
      if (this.confirming && failed.length === 0)
        for (const [file, text] of pending.texts) writeStderr(confirmation(pending.flag, file, text));
      return failed;
    });
    for (const text of toStdout) writeStdout(text);
    if (failures.length > 0) throw new RedisPoolError(failures.join('; '), EXIT.internal);
  }
}

/** A file output rendered and waiting to be written: `texts` are its files' names and contents, for a rescue. */
interface Pending {
  flag: string;
  target: string;
  texts: [name: string, text: string][];
  write: () => void;
}

/** Writes one output; if that fails, saves its texts in a fresh temporary folder and returns the sentence that says so. */
function writeOrRescue(pending: Pending): string[] {
  try {
    pending.write();
    return [];
  } catch (error) {
    const failed = `${pending.flag} ${pending.target}: could not be written after the run (${codeOf(error)})`;
    try {
      return [`${failed}; nothing is lost, it was saved to ${rescue(pending.texts)}`];
    } catch (rescueError) {
      return [`${failed}, nor saved in ${tmpdir()} (${codeOf(rescueError)})`];
    }
  }
}

/** The texts in a fresh folder of the system's temporary folder: the one file's path, or the folder's for several. */
function rescue(texts: [name: string, text: string][]): string {
  const folder = mkdtempSync(join(tmpdir(), 'redis-pool-unsaved-'));
  for (const [name, text] of texts) writeFileSync(join(folder, basename(name)), text);
  return texts.length === 1 ? join(folder, basename(texts[0]![0])) : folder;
}

const codeOf = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/**
 * Write to a temporary file beside the target and rename it, so a reader never sees half a document; a failed write
 * leaves neither. A target that exists and is not a regular file (/dev/null, a named pipe) is written in place:
 * renaming over it would replace the device or pipe itself.
 */
export function writeAtomically(file: string, text: string): void {
  const existing = statSync(file, { throwIfNoEntry: false });
  if (existing !== undefined && !existing.isFile() && !existing.isDirectory()) {
    writeFileSync(file, text);
    return;
  }
  const temporary = temporaryBeside(file);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

const temporaryBeside = (file: string): string => `${file}.${process.pid}.tmp`;

function writeFolder(folder: string, files: [name: string, text: string][]): void {
  mkdirSync(folder, { recursive: true });
  for (const [name, text] of files) writeAtomically(join(folder, name), text);
}

/** A file is written beside its target and renamed over it: the target must not be a folder, and its folder must take a new file. */
function checkReplaceable(flag: string, file: string): void {
  if (file === STDOUT_FILE) return;
  const path = resolve(file);
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing?.isDirectory())
    throw new UsageError(
      `${flag} ${file}: is a folder; give the name of a file to write, e.g. ${join(file, 'result.json')}`,
    );
  // A device or a pipe (/dev/null) is written in place, not replaced.
  if (existing !== undefined && !existing.isFile()) return;
  const dir = dirname(path);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`${flag} ${file}: the folder ${dir} does not exist`);
  tryCreating(flag, file, temporaryBeside(path));
}

/** A folder that exists must take a new file; one that does not is made, in its nearest existing parent. */
function checkFolder(flag: string, folder: string): void {
  let dir = resolve(folder);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`${flag} ${folder}: ${dir} is not a folder`);
  tryCreating(flag, folder, join(dir, `.redis-pool-check.${process.pid}.tmp`));
}

/** Appended to: the file itself when it exists (opened for appending, nothing written), else a new file in its folder. */
function checkAppendable(flag: string, file: string): void {
  const path = resolve(file);
  if (!existsSync(path)) {
    checkReplaceable(flag, file);
    return;
  }
  try {
    closeSync(openSync(path, 'a'));
  } catch (error) {
    throw cannotWrite(flag, file, error);
  }
}

/** Makes and removes an empty file where the output would go: the one check that root, mounts and /proc all answer. */
function tryCreating(flag: string, given: string, probe: string): void {
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (error) {
    throw cannotWrite(flag, given, error);
  }
  rmSync(probe, { force: true });
}

function cannotWrite(flag: string, given: string, error: unknown): UsageError {
  return new UsageError(
    `${flag} ${given}: cannot be created or replaced there (${codeOf(error)}); give a file in a folder you can write to`,
  );
}
