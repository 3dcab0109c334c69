import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Marked, type Token, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';

// Every relative link of the README, CONTRIBUTING.md and docs/*.md points to a file that exists, and every #anchor to a heading
// of that file, as GitHub renders them. Links inside code (spans and blocks) are text, not links.

const repository = join(import.meta.dirname, '..', '..');
const markdown = new Marked();

/** The text a heading shows: its inline tokens without their markup (code spans keep their text). */
function plainText(tokens: Token[] | undefined): string {
  return (tokens ?? [])
    .map((token) =>
      'tokens' in token && token.tokens ? plainText(token.tokens) : 'text' in token ? String(token.text) : '',
    )
    .join('');
}

/** GitHub's heading anchors: lowercase, punctuation other than - and _ dropped, spaces to -, repeats get -1, -2. */
function headingSlugs(source: string): Set<string> {
  const slugs = new Set<string>();
  const seen = new Map<string, number>();
  // The callbacks are synchronous: walkTokens' list of their results holds no promise.
  void markdown.walkTokens(markdown.lexer(source), (token) => {
    if (token.type !== 'heading') return;
    const base = plainText((token as Tokens.Heading).tokens)
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    slugs.add(count === 0 ? base : `${base}-${count}`);
  });
  return slugs;
}

function linkTargets(source: string): string[] {
  const targets: string[] = [];
  void markdown.walkTokens(markdown.lexer(source), (token) => {
    if (token.type === 'link' || token.type === 'image') targets.push((token as Tokens.Link | Tokens.Image).href);
  });
  return targets;
}

/** The relative links of one Markdown file that lead nowhere, each with the reason. */
function brokenLinks(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const broken: string[] = [];
  for (const href of linkTargets(source)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) continue; // https:, mailto:: not ours to check
    const hash = href.indexOf('#');
    const path = decodeURIComponent(hash === -1 ? href : href.slice(0, hash));
    const anchor = hash === -1 ? undefined : decodeURIComponent(href.slice(hash + 1));
    const target = path === '' ? file : resolve(dirname(file), path);
    if (!existsSync(target)) {
      broken.push(`${href}: no file ${relative(repository, target)}`);
      continue;
    }
    if (anchor === undefined) continue;
    if (!target.endsWith('.md') || !statSync(target).isFile()) {
      broken.push(`${href}: an anchor into a file that is not Markdown`);
    } else if (!headingSlugs(readFileSync(target, 'utf8')).has(anchor)) {
      broken.push(`${href}: no heading #${anchor} in ${relative(repository, target)}`);
    }
  }
  return broken;
}

const documents = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(repository, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

describe('the links of the README, CONTRIBUTING.md and docs/*.md resolve', () => {
  it.each(documents)('%s', (document) => {
    expect(brokenLinks(join(repository, document))).toEqual([]);
  });

  it('the README links every page of docs/', () => {
    const linked = new Set(
      linkTargets(readFileSync(join(repository, 'README.md'), 'utf8')).map((href) => href.split('#')[0]),
    );
    for (const document of documents.filter((name) => name.startsWith('docs/'))) expect(linked).toContain(document);
  });
});

describe('the link check itself', () => {
  it('finds a missing file, a missing heading and a missing anchor in the same file, and passes good links', () => {
    const dir = tempDir('docs-links');
    writeFileSync(
      join(dir, 'other.md'),
      '# Other page\n\n## Thresholds: pass or fail (exit 99)\n\n## Markdown report (`--markdown <file>`)\n\n## Notes\n\n## Notes\n',
    );
    writeFileSync(
      join(dir, 'page.md'),
      [
        '# A page',
        '',
        '[ok](other.md) [ok](other.md#thresholds-pass-or-fail-exit-99) [ok](other.md#markdown-report---markdown-file)',
        '[ok](other.md#notes-1) [ok](#a-page) [ok](https://example.com/x.md) `[code](nowhere.md)`',
        '',
        '```',
        '[in a block](nowhere-either.md)',
        '```',
        '',
        '[bad](missing.md) [bad](other.md#no-such-heading) [bad](#nor-here) ![bad](missing.png)',
        '',
      ].join('\n'),
    );
    expect(brokenLinks(join(dir, 'page.md'))).toEqual([
      expect.stringMatching(/^missing\.md: no file /),
      expect.stringMatching(/^other\.md#no-such-heading: no heading #no-such-heading in /),
      expect.stringMatching(/^#nor-here: no heading #nor-here in /),
      expect.stringMatching(/^missing\.png: no file /),
    ]);
  });
});
