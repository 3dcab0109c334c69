import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { writtenDocument } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// The package a user installs: `npm pack` (which runs the `prepare` script, the build), then the tarball installed
// into an empty folder (`npm install <tarball>`) and globally (`npm install -g <tarball>`, the Dockerfile's install
// step, here with --prefix), and the installed `redis-pool` run from there: --version, size, bench against a
// server of the test's own. The pack runs on a copy of the repository, so that its build never rewrites the
// dist/ that the other test files run meanwhile. The dependencies come from the npm registry (or npm's cache):
// what a user's install resolves, not this repository's lockfile.

const root = join(import.meta.dirname, '..', '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
/** Made by a build or a run, or too big to copy: never part of what `npm pack` is given. */
const NOT_COPIED = new Set(['node_modules', 'dist', '.git', 'coverage', 'test-artifacts']);

/** npm's own environment, as `npm test` hands it down, would point the nested npm at this repository. */
function npmEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_(package|lifecycle)_|^npm_config_(local_prefix|prefix|global_prefix|global|dry_run)$/i.test(key))
      delete env[key];
  }
  return env;
}

async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout } = await promisify(execFile)('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd,
    env: npmEnvironment(),
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

interface Installed {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** An installed `redis-pool` binary, run from a folder of its own, as a user's shell runs it. */
async function run(binary: string, args: string[], cwd: string): Promise<Installed> {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
  delete env.REDIS_URL;
  try {
    const { stdout, stderr } = await promisify(execFile)(binary, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { stdout, stderr, exitCode: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: failed.stdout ?? '', stderr: failed.stderr ?? '', exitCode: failed.code ?? -1 };
  }
}

let redis: TestRedis;
let work: string;
let tarball: string;
let packed: string[];
let local: string;
let global: string;

beforeAll(async () => {
  redis = await startRedis();
  work = tempDir('package');
  const source = join(work, 'source');
  cpSync(root, source, {
    recursive: true,
    filter: (path) => {
      const first = relative(root, path).split(sep)[0]!;
      return !NOT_COPIED.has(first) && !first.endsWith('.tgz');
    },
  });
  symlinkSync(realpathSync(join(root, 'node_modules')), join(source, 'node_modules'));
  mkdirSync(join(work, 'tarball'));
  // --json: the tarball's name and files on stdout; the prepare script's output goes to stderr.
  const stdout = await npm(['pack', '--json', '--pack-destination', join(work, 'tarball')], source);
  const [pack] = JSON.parse(stdout.slice(stdout.search(/^\[/m))) as [{ filename: string; files: { path: string }[] }];
  tarball = join(work, 'tarball', pack.filename);
  packed = pack.files.map((f) => f.path);

  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'app', private: true })}\n`);
  await npm(['install', tarball], app);
  local = join(app, 'node_modules', '.bin', 'redis-pool');
  await npm(['install', '--global', '--prefix', join(work, 'global'), tarball], work);
  global = join(work, 'global', 'bin', 'redis-pool');
}, 150_000);

afterAll(async () => {
  await redis?.stop();
});

describe('the npm package', () => {
  it('holds the built CLI, the scenarios, the README and the LICENSE, and no sources, tests or source maps', () => {
    expect(packed).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/cli/main.js', 'scenarios/api.yaml']),
    );
    expect(
      packed.filter((path) => /^(src|test|scripts|docs)\//.test(path) || path.endsWith('.map') || path.endsWith('.ts')),
    ).toEqual([]);
  });

  it('installed into an empty folder: redis-pool --version', async () => {
    const result = await run(local, ['--version'], work);
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^${version.replaceAll('.', '\\.')}\\b`));
  });

  it('installed into an empty folder: redis-pool size --preset api', async () => {
    const result = await run(local, ['size', '--preset', 'api'], work);
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(result.stdout).toMatch(/\b12\b/);
  });

  it('installed into an empty folder: redis-pool bench --url … --requests 100 --json', async () => {
    const result = await run(local, ['bench', '--url', redis.url, '--requests', '100', '--json'], work);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const document = writtenDocument(result.stdout, 'bench');
    expect(document.tool).toEqual({ name: 'redis-pool', version });
    expect(document.results.map((r) => r.strategy)).toEqual(['per-request', 'pooled', 'multiplexed']);
    for (const r of document.results) expect(r.requests).toBe(100);
  });

  it("installed globally (the Dockerfile's npm install -g): --version and size, the scenarios where the docs say", async () => {
    // docs/scale-out.md names them under npm's global prefix (/usr/local in the node:20 images).
    expect(existsSync(join(work, 'global', 'lib', 'node_modules', 'redis-pool', 'scenarios', 'api.yaml'))).toBe(true);
    const shown = await run(global, ['--version'], work);
    expect(shown).toMatchObject({ exitCode: 0, stderr: '' });
    expect(shown.stdout.startsWith(version)).toBe(true);
    const sized = await run(global, ['size', '--preset', 'api', '--json'], work);
    expect(sized.exitCode).toBe(0);
    expect(writtenDocument(sized.stdout, 'size').poolSize).toBe(12);
  });
});
