import { accessSync, appendFileSync, constants, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { writeStdout } from './output.js';

/** `-` as the file of an output flag means stdout, as in curl, tar and k6. */
export const STDOUT_FILE = '-';

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
  files(flag: string, given: string | undefined, what: string, files: (given: string) => string[], render: (result: R) => string[]): this {
    if (given !== undefined) this.outputs.push({ kind: 'files', flag, given, what, files: given === STDOUT_FILE ? [] : files(given), render });
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
      if ((output.kind === 'files' && output.given === STDOUT_FILE) || (output.kind === 'folder' && output.folder === STDOUT_FILE)) {
        const what = output.kind === 'files' ? output.what : 'folder';
        throw new UsageError(`${output.flag} writes several files, so it cannot go to stdout (-): give it a ${what}`);
      }
    }
    const claims = this.outputs.flatMap((o) => (o.kind === 'stdout' ? [o.flag] : o.kind === 'document' && o.file === STDOUT_FILE ? [o.claim] : []));
    if (claims.length > 1) {
      throw new UsageError(`${claims.join(' and ')} would ${claims.length === 2 ? 'both' : 'all'} print on stdout, which carries one document: give all but one of them a file`);
    }
    return claims[0] ?? null;
  }

  /** Every file's folder exists and is writable (stdout always is); the first that is not is refused. */
  checkWritable(): void {
    for (const output of this.outputs) {
      switch (output.kind) {
        case 'document':
          checkFolderOf(output.flag, output.file);
          break;
        case 'files':
          for (const file of output.files) checkFolderOf(output.flag, file);
          break;
        case 'folder':
          checkFolder(output.flag, output.folder);
          break;
        case 'append':
          checkAppendable(output.flag, output.file);
          break;
      }
    }
  }

  check(): void {
    this.checkStdout();
    this.checkWritable();
  }

  /** Renders every output first (a failure then writes nothing), writes the files, and stdout last. */
  write(result: R): void {
    const claimed = this.outputs.some((o) => o.kind === 'stdout' || (o.kind === 'document' && o.file === STDOUT_FILE));
    const writes = this.outputs.flatMap((output): { toStdout: boolean; write: () => void }[] => {
      switch (output.kind) {
        case 'document': {
          const text = output.render(result);
          return [{ toStdout: output.file === STDOUT_FILE, write: () => (output.file === STDOUT_FILE ? writeStdout(text) : writeAtomically(output.file, text)) }];
        }
        case 'stdout':
        case 'fallback': {
          if (output.kind === 'fallback' && claimed) return [];
          const text = output.render(result);
          return [{ toStdout: true, write: () => writeStdout(text) }];
        }
        case 'files': {
          const texts = output.render(result);
          return [{ toStdout: false, write: () => output.files.forEach((file, i) => writeAtomically(file, texts[i]!)) }];
        }
        case 'folder': {
          const files = output.render(result);
          return [{ toStdout: false, write: () => writeFolder(output.folder, files) }];
        }
        case 'append': {
          const text = output.render(result);
          return [{ toStdout: false, write: () => appendFileSync(output.file, text) }];
        }
      }
    });
    for (const { write } of writes.filter((w) => !w.toStdout)) write();
    for (const { write } of writes.filter((w) => w.toStdout)) write();
  }
}

/** Write to a temporary file beside the target and rename it, so a reader never sees half a document; a failed write leaves neither. */
export function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function writeFolder(folder: string, files: [name: string, text: string][]): void {
  mkdirSync(folder, { recursive: true });
  for (const [name, text] of files) writeAtomically(join(folder, name), text);
}

function cannotWrite(flag: string, path: string): UsageError {
  return new UsageError(`${flag}: cannot write to ${JSON.stringify(path)} (missing folder or no permission)`);
}

/** A file is replaced by a rename: its folder must exist and be writable. */
function checkFolderOf(flag: string, file: string): void {
  if (file === STDOUT_FILE) return;
  const dir = dirname(resolve(file));
  if (!writable(dir)) throw cannotWrite(flag, dir);
}

/** A folder that exists must be writable; one that does not is made, in its nearest existing parent. */
function checkFolder(flag: string, folder: string): void {
  let dir = resolve(folder);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`${flag}: ${JSON.stringify(dir)} is not a folder`);
  if (!writable(dir)) throw cannotWrite(flag, dir);
}

/** Appended to: the file itself when it exists, else its folder, where it will be made. */
function checkAppendable(flag: string, file: string): void {
  const path = resolve(file);
  if (existsSync(path) ? !writable(path) : !writable(dirname(path))) throw cannotWrite(flag, existsSync(path) ? path : dirname(path));
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
