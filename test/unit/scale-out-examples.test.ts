import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { benchCommand } from '../../src/cli/bench-command.js';
import { parseBenchConfig, parseStartAt, type RawBenchOptions } from '../../src/cli/bench-options.js';
import { mergeCommand } from '../../src/cli/merge-command.js';

// The two examples of several load machines in docs/scale-out.md are complete files: parsed here, with the
// redis-pool command lines in them read by the CLI's own option parsers (so a renamed flag or a bad value fails
// this). Both run the packaged tool, as the Dockerfile and test/integration/package.test.ts install it: the
// Kubernetes Jobs run the image (its entrypoint, its user), the Actions jobs install the tarball with npm install -g.
const root = join(import.meta.dirname, '..', '..');
const page = readFileSync(join(root, 'docs', 'scale-out.md'), 'utf8');
const examples = page.slice(page.indexOf('\n## Examples\n'));
const section = examples.slice(0, examples.indexOf('\n## ', 1));
const yamlBlocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
const future = new Date(Date.now() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
/** Where `npm install -g` puts the package in the node:20 images (npm's prefix there is /usr/local). */
const IMAGE_PACKAGE = '/usr/local/lib/node_modules/redis-pool/';
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

/** A shell command's words (quotes dropped), from the word after `redis-pool <command>` to the end of that command. */
function words(text: string, command: 'bench' | 'merge'): string[] {
  const start = text.indexOf(`redis-pool ${command} `);
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = text.slice(start + `redis-pool ${command} `.length).split('&&')[0]!;
  return rest.replaceAll('"', '').split(/\s+/).filter(Boolean);
}

/** The bench flags parsed by commander and then by bench's own checks, as the CLI does; the raw options. */
function parseBench(argv: string[]): RawBenchOptions {
  const command = benchCommand().exitOverride();
  const { operands, unknown } = command.parseOptions(argv);
  expect(unknown).toEqual([]);
  expect(operands).toEqual([]);
  const raw = command.opts<RawBenchOptions>();
  expect(() => parseBenchConfig(raw)).not.toThrow();
  expect(parseStartAt(raw.startAt!)).toBeGreaterThan(Date.now());
  expect(raw.runId).toBeDefined();
  expect(raw.output).toBeDefined();
  return raw;
}

/** What the test reads of a Kubernetes Job of the example (what the page holds is checked, not assumed). */
interface Job {
  apiVersion: string;
  kind: string;
  spec: {
    parallelism: number;
    completions: number;
    completionMode: string;
    template: {
      spec: {
        containers: { image: string; command?: string[]; args: string[] }[];
        securityContext: unknown;
        volumes: { persistentVolumeClaim: { claimName: string } }[];
      };
    };
  };
}

/** What the test reads of the GitHub Actions workflow of the example. */
interface Workflow {
  env: Record<string, string>;
  jobs: Record<string, WorkflowJob>;
}

interface WorkflowJob {
  needs?: string;
  outputs?: Record<string, string>;
  strategy?: { matrix: { machine: number[] } };
  steps: { run?: string; uses?: string; with?: Record<string, unknown> }[];
}

function parseMerge(argv: string[]): string[] {
  const command = mergeCommand().exitOverride();
  const { operands, unknown } = command.parseOptions(argv);
  expect(unknown).toEqual([]);
  return operands;
}

describe('docs/scale-out.md: several load machines', () => {
  it('has the two examples', () => {
    expect(yamlBlocks).toHaveLength(2);
  });

  it('runs the packaged tool: no clone, no build in a pod or a job', () => {
    expect(section).not.toMatch(/git clone|npm ci|npm link/);
    expect(dockerfile).toMatch(/^FROM node:20-/m);
    expect(dockerfile).toMatch(/^RUN [\s\S]*npm install -g\b/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["redis-pool"\]$/m);
  });

  it('the Kubernetes Jobs: N pods that each run bench to their own file, and a merge of those N files', () => {
    const documents = parseAllDocuments(yamlBlocks[0]!).map((d) => d.toJS() as Job);
    for (const d of documents) expect(d).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job' });
    const [load, merge] = documents as [Job, Job];
    const n = load.spec.parallelism;
    expect(n).toBeGreaterThan(1);
    expect(load.spec.completions).toBe(n);
    expect(load.spec.completionMode).toBe('Indexed');
    // The image's entrypoint is redis-pool, given the arguments as they are: no shell, no command of its own.
    for (const job of [load, merge]) {
      const [container] = job.spec.template.spec.containers;
      expect(container!.image).toMatch(/\/redis-pool:\d+\.\d+\.\d+$/);
      expect(container!.command).toBeUndefined();
      // The Dockerfile's user, node, is uid 1000; fsGroup lets it write the shared volume.
      expect(job.spec.template.spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 });
    }
    const [command, ...benchArgs] = load.spec.template.spec.containers[0]!.args;
    expect(command).toBe('bench');
    const raw = parseBench(benchArgs.map((w) => w.replace('${START_AT}', future).replace(IMAGE_PACKAGE, `${root}/`)));
    // Kubernetes expands $(VAR) in args from the container's environment, where an Indexed Job sets the index.
    expect(raw.output).toBe('/results/machine-$(JOB_COMPLETION_INDEX).json');
    const [mergeCommandName, ...mergeArgs] = merge.spec.template.spec.containers[0]!.args;
    expect(mergeCommandName).toBe('merge');
    const files = parseMerge(mergeArgs);
    // Indexed completions are numbered 0 … n − 1: the merge reads every pod's file.
    expect(files).toEqual(Array.from({ length: n }, (_, i) => `/results/machine-${i}.json`));
    const volume = (job: Job): string | undefined => job.spec.template.spec.volumes[0]?.persistentVolumeClaim.claimName;
    expect(volume(merge)).toBe(volume(load));
  });

  it('the GitHub Actions workflow: one start time for a matrix of generators, and a merge of their artifacts', () => {
    const workflow = parseAllDocuments(yamlBlocks[1]!)[0]!.toJS() as Workflow;
    const { plan, load, merge } = workflow.jobs;
    expect(plan!.outputs?.['start-at']).toBe('${{ steps.start.outputs.at }}');
    expect(load!.needs).toBe('plan');
    expect(merge!.needs).toBe('load');
    const machines = load!.strategy!.matrix.machine;
    expect(machines.length).toBeGreaterThan(1);
    // Both jobs install the release tarball as the package test does (npm install -g), before they run it.
    expect(workflow.env.REDIS_POOL_TARBALL).toMatch(/\/redis-pool-\d+\.\d+\.\d+\.tgz$/);
    for (const job of [load!, merge!]) {
      const runs = job.steps.flatMap((s) => (s.run ? [s.run] : []));
      expect(runs[0]).toMatch(/^npm install -g .*"\$REDIS_POOL_TARBALL"$/);
      expect(runs.slice(1).every((run) => run.startsWith('redis-pool '))).toBe(true);
    }
    const benchStep = load!.steps.find((s) => s.run?.includes('redis-pool bench'))!;
    const benchText = benchStep
      .run!.replace('${{ needs.plan.outputs.start-at }}', future)
      .replace('${{ github.run_id }}', '123')
      .replace(/\$\{\{ matrix\.machine \}\}/g, '1')
      .replace('$(npm root -g)/redis-pool/', `${root}/`);
    expect(parseBench(words(benchText, 'bench')).output).toBe('machine-1.json');
    const upload = load!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    const download = merge!.steps.find((s) => s.uses?.startsWith('actions/download-artifact'))!;
    expect(upload.with!.name).toBe('machine-${{ matrix.machine }}');
    expect(download.with).toMatchObject({ pattern: 'machine-*', 'merge-multiple': true });
    const mergeStep = merge!.steps.find((s) => s.run?.includes('redis-pool merge'))!;
    expect(parseMerge(words(mergeStep.run!, 'merge'))).toEqual(machines.map((m) => `machine-${m}.json`));
  });
});

describe('every YAML example of the README and docs/', () => {
  it('installs the packaged tool instead of cloning and building it', () => {
    const pages = [
      'README.md',
      ...readdirSync(join(root, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ];
    for (const name of pages) {
      const blocks = [...readFileSync(join(root, name), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
      for (const block of blocks) expect(block, name).not.toMatch(/git clone|npm ci|npm link/);
    }
  });
});
