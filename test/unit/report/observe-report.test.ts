import { describe, expect, it } from 'vitest';
import { renderObserveMarkdown } from '../../../src/report/observe-markdown.js';
import { findingsSection, groupsSection } from '../../../src/report/observe-sections.js';
import { renderObserveTable } from '../../../src/report/observe-terminal.js';
import type { ObserveResult } from '../../../src/schema/observe.js';
import { readFixture } from '../../helpers/fixtures.js';

const observed = readFixture<ObserveResult>('observe-result.json');

describe('the observe report, one definition for the table and the Markdown', () => {
  it('has a row per group and every finding, in both', () => {
    const table = renderObserveTable(observed);
    const markdown = renderObserveMarkdown(observed);
    expect(groupsSection(observed).rows).toHaveLength(observed.groups.length);
    for (const group of observed.groups) {
      expect(table).toContain(group.key);
      expect(markdown).toContain(group.key);
    }
    const items = findingsSection(observed).items;
    expect(items.length).toBe(
      observed.groups.reduce((n, g) => n + g.findings.length, 0) + observed.server.findings.length,
    );
    for (const { lead, text } of items) {
      expect(table.split('\n')).toContain(`${lead.text} ${text}`);
      expect(markdown.split('\n')).toContain(`- ${lead.text} ${text}`);
    }
    expect(markdown).toContain('## Into size: busy connections per group');
  });

  it('says what the ACL refused, and what that costs', () => {
    const refused: ObserveResult = {
      ...observed,
      access: [
        ...observed.access.filter((a) => a.command !== 'client|list'),
        { command: 'client|list', allowed: false, rule: '+client|list', costs: 'the client groups' },
      ],
      groups: [],
    };
    expect(renderObserveTable(refused)).toContain(
      '+client|list missing: without it the report lacks the client groups',
    );
    expect(renderObserveMarkdown(refused)).toContain('## What the ACL refused');
  });
});
