import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { benchCommand } from '../../src/cli/bench-command.js';
import { parseBenchConfig, parseStartAt, type RawBenchOptions } from '../../src/cli/bench-options.js';
import { mergeCommand } from '../../src/cli/merge-command.js';

// The README's two examples of several load machines are complete files: parsed here, with the redis-pool
// command lines in them read by the CLI's own option parsers (so a renamed flag or a bad value fails this).
const root = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Many load machines'), readme.indexOf('## Performance of the generator'));
const yamlBlocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
const future = new Date(Date.now() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');

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

function parseMerge(argv: string[]): string[] {
  const command = mergeCommand().exitOverride();
  const { operands, unknown } = command.parseOptions(argv);
  expect(unknown).toEqual([]);
  return operands;
}

describe('README: several load machines', () => {
  it('has the two examples', () => {
    expect(yamlBlocks).toHaveLength(2);
  });

  it('the Kubernetes Jobs: N pods that each run bench to their own file, and a merge of those N files', () => {
    const documents = parseAllDocuments(yamlBlocks[0]!).map((d) => d.toJS() as Record<string, any>);
    for (const d of documents) expect(d).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job' });
    const [load, merge] = documents as [Record<string, any>, Record<string, any>];
    const n = load.spec.parallelism as number;
    expect(n).toBeGreaterThan(1);
    expect(load.spec.completions).toBe(n);
    expect(load.spec.completionMode).toBe('Indexed');
    const benchArgs = (load.spec.template.spec.containers[0].args as string[]).join(' ').replace('${START_AT}', future);
    const raw = parseBench(words(benchArgs, 'bench').map((w) => w.replace('scenarios/', `${root}/scenarios/`)));
    expect(raw.output).toBe('/results/machine-${JOB_COMPLETION_INDEX}.json');
    const files = parseMerge(words((merge.spec.template.spec.containers[0].args as string[]).join(' '), 'merge'));
    // Indexed completions are numbered 0 … n − 1: the merge reads every pod's file.
    expect(files).toEqual(Array.from({ length: n }, (_, i) => `/results/machine-${i}.json`));
    const volume = (job: Record<string, any>) => job.spec.template.spec.volumes[0].persistentVolumeClaim.claimName as string;
    expect(volume(merge)).toBe(volume(load));
  });

  it('the GitHub Actions workflow: one start time for a matrix of generators, and a merge of their artifacts', () => {
    const workflow = parseAllDocuments(yamlBlocks[1]!)[0]!.toJS() as Record<string, any>;
    const { plan, load, merge } = workflow.jobs as Record<string, Record<string, any>>;
    expect(plan!.outputs['start-at']).toBe('${{ steps.start.outputs.at }}');
    expect(load!.needs).toBe('plan');
    expect(merge!.needs).toBe('load');
    const machines = load!.strategy.matrix.machine as number[];
    expect(machines.length).toBeGreaterThan(1);
    const benchStep = (load!.steps as { run?: string }[]).find((s) => s.run?.includes('redis-pool bench'))!;
    const benchText = benchStep.run!
      .replace('${{ needs.plan.outputs.start-at }}', future)
      .replace('${{ github.run_id }}', '123')
      .replace(/\$\{\{ matrix\.machine \}\}/g, '1')
      .replace('/tmp/redis-pool/', `${root}/`);
    expect(parseBench(words(benchText, 'bench')).output).toBe('machine-1.json');
    const upload = (load!.steps as { uses?: string; with?: Record<string, string> }[]).find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    const download = (merge!.steps as { uses?: string; with?: Record<string, unknown> }[]).find((s) => s.uses?.startsWith('actions/download-artifact'))!;
    expect(upload.with!.name).toBe('machine-${{ matrix.machine }}');
    expect(download.with).toMatchObject({ pattern: 'machine-*', 'merge-multiple': true });
    const mergeStep = (merge!.steps as { run?: string }[]).find((s) => s.run?.includes('redis-pool merge'))!;
    expect(parseMerge(words(mergeStep.run!, 'merge'))).toEqual(machines.map((m) => `machine-${m}.json`));
  });
});
