import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { commandLine, commandName, processGroup, runningPids, waitFor, workingFolder } from './processes.js';
import { SERVER_PROGRAMS } from './server-binary.js';

/**
 * Vitest's global setup (vitest.config.ts): the suite leaves nothing behind. Before the first test file it notes
 * what is already there; its teardown, after the last file, fails the run, naming them, if a temporary folder or a
 * redis-server (or valkey-server) of the suite's own is still there.
 *
 * The machine runs other things that make the same folders and servers (another developer's run or suite, the
 * machine's own Redis), so only what this suite made counts:
 * - a folder in the temporary folder that was not there when the suite started, named as the tests name theirs
 *   (tempDir(): `redis-pool-test-<this run>-…`) or as the tool names a throwaway server's (`redis-pool-` and six
 *   characters), unless a redis-server of another run works in it: that run is still using it;
 * - a redis-server that was not running when the suite started, in the suite's process group (every worker, tool
 *   and server the tests start inherits it, and keeps it when orphaned; another run is in a group of its own).
 * A throwaway server's folder that another run leaked (its server gone) still counts: a false alarm that names the
 * folder is better than a leak that nobody sees. The servers are read from /proc (Linux; elsewhere only the
 * folders are checked); the few started under `script` (the progress-line tests) are in a group of their own and
 * go unseen.
 */

const RUN_VARIABLE = 'REDIS_POOL_TEST_RUN';

/** The tool's mkdtemp('redis-pool-') for a throwaway redis-server: six random letters or digits. */
const THROWAWAY_SERVER_FOLDER = /^redis-pool-[A-Za-z0-9]{6}$/;

/** Vitest ends the last workers after the teardown has started: their exit hooks and janitors need a moment. */
const SETTLE_MS = 10_000;

/** The start of the name of every folder this run's tests make; the run is set by setup() for every worker. */
export function testDirPrefix(): string {
  return `redis-pool-test-${process.env[RUN_VARIABLE] ?? 'solo'}-`;
}

interface Before {
  folders: ReadonlySet<string>;
  servers: ReadonlySet<number>;
}

export default function setup(): () => Promise<void> {
  process.env[RUN_VARIABLE] = String(process.pid);
  const before: Before = { folders: new Set(readdirSync(tmpdir())), servers: new Set(serverPids()) };
  return async () => {
    await waitFor(() => (leftovers(before).length === 0 ? true : null), SETTLE_MS);
    const left = leftovers(before);
    if (left.length === 0) return;
    // Vitest prints a failed teardown's error but would still exit 0.
    process.exitCode = 1;
    throw new Error(`the test suite left behind ${left.join(', ')}`);
  };
}

/** What this suite made and left: folders by path, servers by pid and command line. */
function leftovers(before: Before): string[] {
  const newServers = serverPids().filter((pid) => !before.servers.has(pid));
  const suiteGroup = processGroup(process.pid);
  const ourServers = newServers.filter((pid) => processGroup(pid) === suiteGroup);
  const inUseByOtherRuns = new Set(
    newServers.filter((pid) => !ourServers.includes(pid)).map((pid) => basename(workingFolder(pid) ?? '')),
  );
  const ourFolders = readdirSync(tmpdir()).filter(
    (name) => !before.folders.has(name) && isOurFolder(name) && !inUseByOtherRuns.has(name),
  );
  return [
    ...ourFolders.map((name) => `the folder ${join(tmpdir(), name)}`),
    ...ourServers.map((pid) => `the ${commandName(pid)} ${pid} (${commandLine(pid)})`),
  ];
}

/** Every redis-server and valkey-server running now (the project `valkey` starts the latter). */
function serverPids(): number[] {
  return SERVER_PROGRAMS.flatMap((name) => runningPids(name));
}

function isOurFolder(name: string): boolean {
  return name.startsWith(testDirPrefix()) || THROWAWAY_SERVER_FOLDER.test(name);
}
