#!/usr/bin/env node
// npm run docs:examples: runs again every marked example of the README and docs/*.md (the marker holds the exact
// command: see scripts/lib/examples.mjs) with the built CLI, and rewrites each excerpt in place.
//   npm run docs:examples                      every example, every file
//   npm run docs:examples -- README.md         only that file's (or those files')
//   npm run docs:examples -- --check           writes nothing; runs the examples that need no server (size) and
//                                              fails, naming them, where the excerpt is not what the tool prints
// Commands that need a server start their own throwaway one (bench, anatomy without --url) or get one from the
// marker's setup: never the machine's Redis. An example that fails leaves its excerpt as it was, and the script
// exits 1 at the end. Figures of a bench run change from run to run: read the prose around each excerpt again.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findExamples, needsServer, renderBlock, rewrite, root, runExample } from './lib/examples.mjs';
import { scratchFolder } from './lib/kit.mjs';

const { plural } = await import(join(root, 'dist', 'format.js'));

const args = process.argv.slice(2);
const check = args.includes('--check');
const named = args.filter((a) => a !== '--check');
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];
const unknown = named.map((f) => relative(root, join(process.cwd(), f))).filter((f) => !pages.includes(f));
if (unknown.length > 0) {
  console.error(`docs:examples: not a page with examples: ${unknown.join(', ')} (the README.md and docs/*.md)`);
  process.exit(2);
}
const wanted = named.length === 0 ? pages : named.map((f) => relative(root, join(process.cwd(), f)));

const scratch = await scratchFolder('docs-examples');
/** The same command with the same setup runs once: the README and a docs page may show the same run. */
const outputs = new Map();
let failed = 0;
let stale = 0;
let total = 0;

for (const page of wanted) {
  const file = join(root, page);
  const text = readFileSync(file, 'utf8');
  const examples = findExamples(text, page).filter((e) => !check || !needsServer(e));
  if (examples.length === 0) continue;
  const blocks = new Map();
  for (const example of examples) {
    total++;
    const key = `${example.setup}\n${example.command}`;
    const started = Date.now();
    process.stderr.write(
      `${page}:${example.line}: ${example.command.replace(/\n/g, ' ⏎ ')}${example.setup ? ` (setup: ${example.setup})` : ''} … `,
    );
    try {
      if (!outputs.has(key)) outputs.set(key, await runExample(example, scratch));
      const block = renderBlock(example, outputs.get(key));
      process.stderr.write(
        `${((Date.now() - started) / 1000).toFixed(1)} s${block === example.content ? ', unchanged' : ''}\n`,
      );
      if (block !== example.content) {
        stale++;
        blocks.set(example, block);
      }
    } catch (error) {
      failed++;
      process.stderr.write(`failed\n${error.message}\n`);
    }
  }
  if (!check && blocks.size > 0) {
    writeFileSync(file, rewrite(text, examples, blocks));
    console.log(`${page}: ${plural(blocks.size, 'excerpt')} rewritten`);
  }
}

if (check) {
  console.log(
    `docs:examples --check: ${plural(total, 'example')} ` +
      `that need no server, ${stale} not what the tool prints ` +
      `now${stale > 0 ? ' (npm run docs:examples rewrites them)' : ''}`,
  );
  if (stale > 0) process.exitCode = 1;
} else {
  console.log(`docs:examples: ${plural(total, 'example')} run, ${stale} rewritten, ${failed} failed`);
}
if (failed > 0) process.exitCode = 1;
