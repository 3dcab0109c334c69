import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderAnatomyTable } from '../../src/report/anatomy-terminal.js';
import { renderBenchTable } from '../../src/report/bench-terminal.js';
import { renderCapacityMarkdown } from '../../src/report/capacity-markdown.js';
import { renderObserveTable } from '../../src/report/observe-terminal.js';
import { renderSizeTable } from '../../src/report/size-terminal.js';
import { plainStyle } from '../../src/report/style.js';
import type { AnatomyResult } from '../../src/schema/anatomy.js';
import type { LatencySummary } from '../../src/schema/bench.js';
import type { ObserveResult } from '../../src/schema/observe.js';
import {
  findExamples,
  needsServer,
  parseMarker,
  renderBlock,
  rewrite,
  runExample,
  subcommands,
  tableHeaders,
  type FoundExample,
} from '../../scripts/lib/examples.mjs';
import { readBenchFixture, readFixture, readSizeFixture, withGenerator } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

// The outputs shown in the README and docs/ are marked excerpts of real runs, which `npm run docs:examples`
// (scripts/docs-examples.mjs) runs again and rewrites. Here, without a Redis server: an example that needs none
// (size) is run and its whole excerpt compared; in the others, every table's header must be one that the current
// renderers print (rendered from the fixtures), so a renamed or moved column fails here until the excerpts are
// regenerated. The built CLI is what runs (npm test builds first).

const root = join(import.meta.dirname, '..', '..');
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];
const examples = pages.flatMap((page) => findExamples(readFileSync(join(root, page), 'utf8'), page));
const named = (list: FoundExample[]): [string, FoundExample][] =>
  list.map((e) => [`${e.file}:${e.line} (${subcommands(e).join(', ')})`, e]);

function latency(p50: number, p99: number, mean: number): LatencySummary {
  return { unit: 'ms', count: 200, mean, p50, p90: p99, p99, p999: p99, max: p99, hdr: '' };
}

/** A run of anatomy (no fixture holds one): its table's columns do not depend on the figures. */
const anatomy: AnatomyResult = {
  schema: 'redis-pool.anatomy/v1',
  tool: { name: 'redis-pool', version: '0.1.0' },
  startedAt: '2026-01-01T00:00:00.000Z',
  target: {
    url: 'redis://127.0.0.1:6390/0',
    mode: 'ephemeral',
    redisVersion: '7.0.15',
    server: { name: 'redis', version: '7.0.15' },
    tls: false,
  },
  samples: 200,
  phases: [
    { phase: 'dns', skipped: true, latency: null },
    { phase: 'tcp', skipped: false, latency: latency(0.2, 0.8, 0.25) },
    { phase: 'tls', skipped: true, latency: null },
    { phase: 'auth', skipped: true, latency: null },
    { phase: 'select', skipped: true, latency: null },
    { phase: 'ready-check', skipped: false, latency: latency(0.2, 0.7, 0.25) },
    { phase: 'first-command', skipped: false, latency: latency(0.2, 0.6, 0.25) },
  ],
  total: latency(0.6, 1.8, 0.75),
  openConnectionPing: latency(0.1, 0.5, 0.12),
  warnings: [],
};

/**
 * Every table header the tool's terminal and Markdown renderers print for the fixtures' results, at the width the
 * examples are run at (80 columns), with and without --details.
 */
function knownHeaders(): Set<string> {
  const sweep = readBenchFixture('bench-sweep-generator-result.json');
  const size = readSizeFixture('size-result.json');
  const rendered = [false, true].flatMap((details) => {
    const layout = { width: 80, details };
    return [
      renderBenchTable(withGenerator(readBenchFixture('bench-result.json')), plainStyle, layout),
      renderBenchTable(sweep, plainStyle, layout),
      renderBenchTable(readBenchFixture('bench-cluster-result.json'), plainStyle, layout),
      renderObserveTable(readFixture<ObserveResult>('observe-result.json'), plainStyle, layout),
      renderAnatomyTable(anatomy, plainStyle, layout),
      renderSizeTable(size, plainStyle, layout),
    ];
  });
  rendered.push(renderCapacityMarkdown(size, [{ file: 'bench.json', result: sweep }]));
  return new Set(rendered.flatMap((text) => tableHeaders(text)));
}

describe('the examples of the README and docs/', () => {
  it("show the README's two commands, and .ci/run runs its test command as it is", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const lines = readme.split('\n').map((line) => line.replace(/\s+#.*$/, ''));
    expect(lines).toContain('npm ci && npx redis-pool bench');
    expect(lines).toContain('npm ci && npm test');
    const ci = readFileSync(join(root, '.ci', 'run'), 'utf8')
      .trim()
      .split('\n');
    expect(ci.at(-1)).toBe('npm ci && npm test');
  });

  it('include one real output of each command in the README', () => {
    const shown = new Set(examples.filter((e) => e.file === 'README.md').flatMap((e) => subcommands(e)));
    for (const command of ['size', 'bench', 'anatomy', 'observe', 'report', 'merge']) expect(shown).toContain(command);
  });

  it.each(named(examples))('%s: the excerpt starts with the command its marker runs', (_, example) => {
    const commandLines = example.command.split('\n').map((line) => `$ ${line.trim()}`);
    const block = example.content.split('\n');
    expect(block[0]).toMatch(/^`{3,}$/);
    expect(block.slice(1, 1 + commandLines.length)).toEqual(commandLines);
    expect(block.at(-1)).toBe(block[0]);
  });

  it.each(named(examples.filter((e) => !needsServer(e))))(
    '%s: the whole excerpt is what the tool prints now',
    async (_, example) => {
      const stdout = await runExample(example, tempDir('docs-examples'));
      expect(example.content).toBe(renderBlock(example, stdout));
    },
  );

  const known = knownHeaders();
  it.each(named(examples.filter((e) => needsServer(e))))(
    '%s: every table header is one the tool prints now',
    (_, example) => {
      for (const header of tableHeaders(example.content)) expect([...known]).toContain(header);
    },
  );
});

describe('the example markers', () => {
  it('read the options and the command, over several lines', () => {
    expect(parseMarker('<!-- example: redis-pool size --preset api -->')).toEqual({
      head: null,
      grep: null,
      setup: null,
      exit: 0,
      command: 'redis-pool size --preset api',
    });
    expect(
      parseMarker('<!-- example head=9 grep=^x|y setup=server exit=99: a=1\nredis-pool bench --url "$REDIS_URL" -->'),
    ).toEqual({
      head: 9,
      grep: '^x|y',
      setup: 'server',
      exit: 99,
      command: 'a=1\nredis-pool bench --url "$REDIS_URL"',
    });
    expect(() => parseMarker('<!-- example lines=3: redis-pool size -->')).toThrow(/unknown example option lines=3/);
    expect(() => parseMarker('<!-- example setup=cluster: redis-pool bench -->')).toThrow(
      /unknown example option setup=cluster/,
    );
    expect(() => parseMarker('<!-- example: ls -->')).toThrow(/does not run redis-pool/);
  });

  it('are found outside code blocks only, each with its closing marker, and rewritten in place', () => {
    const text = [
      '# Page',
      '````',
      '<!-- example: redis-pool size --preset batch -->',
      '````',
      '<!-- example head=1: redis-pool size --preset api -->',
      'old',
      'lines',
      '<!-- /example -->',
      'after',
    ].join('\n');
    const [found, ...more] = findExamples(text, 'page.md');
    expect(more).toEqual([]);
    expect(found).toMatchObject({ line: 5, start: 5, end: 7, content: 'old\nlines', head: 1 });
    const block = renderBlock(found!, 'first\nsecond\n');
    expect(block).toBe('```\n$ redis-pool size --preset api\nfirst\n…\n```');
    expect(
      rewrite(text, [found!], new Map([[found!, block]]))
        .split('\n')
        .slice(4),
    ).toEqual([
      '<!-- example head=1: redis-pool size --preset api -->',
      ...block.split('\n'),
      '<!-- /example -->',
      'after',
    ]);
    expect(() => findExamples('<!-- example: redis-pool size -->\n```\n```\n', 'page.md')).toThrow(
      /page\.md:1: an example without its closing/,
    );
  });

  it('keep the lines that match, then the first N, and mark a cut', () => {
    const output = 'a1\nb2\na3\na4\n';
    expect(
      renderBlock(parseMarker('<!-- example grep=^a head=2: redis-pool x -->'), output).split('\n').slice(2, -1),
    ).toEqual(['a1', 'a3', '…']);
    expect(renderBlock(parseMarker('<!-- example: redis-pool x -->'), output).split('\n').slice(2, -1)).toEqual([
      'a1',
      'b2',
      'a3',
      'a4',
    ]);
  });

  it('find the header of box tables, of a table an excerpt starts in, and of Markdown tables', () => {
    const text = [
      '┌───┬───┐',
      '│ a │ b │',
      '│ 1 │ 2 │',
      '└───┴───┘',
      'text',
      '│ c  │  d │',
      '│ 3  │  4 │',
      '',
      '| e | f |',
      '| --- | ---: |',
      '| 5 | 6 |',
    ].join('\n');
    expect(tableHeaders(text)).toEqual(['a | b', 'c | d', 'e | f']);
  });

  it('tell the examples that need a server from those that do not', () => {
    expect(needsServer(parseMarker('<!-- example: redis-pool size --preset api -->'))).toBe(false);
    expect(
      needsServer(parseMarker('<!-- example: redis-pool size --json > s.json\nredis-pool report --size s.json -->')),
    ).toBe(true);
    expect(needsServer(parseMarker('<!-- example setup=server: redis-pool size --preset api -->'))).toBe(true);
  });
});
