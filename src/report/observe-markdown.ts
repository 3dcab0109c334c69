import type { ObserveResult } from '../schema/observe.js';
import {
  accessSection,
  estimatesSection,
  findingsSection,
  groupsSection,
  OBSERVE_INTERRUPTED,
  observeDescription,
  serverSection,
} from './observe-sections.js';
import { renderLinesMarkdown, renderListMarkdown, renderSectionMarkdown } from './section.js';
import { markdownWarning } from './warnings.js';

/** The observe result as a Markdown report. */
export function renderObserveMarkdown(result: ObserveResult): string {
  const access = accessSection(result);
  const findings = findingsSection(result);
  const estimates = estimatesSection(result);
  return `${[
    '# redis-pool observe',
    renderLinesMarkdown(observeDescription(result)),
    ...(result.interrupted ? [`*${OBSERVE_INTERRUPTED}*`] : []),
    ...(access.items.length > 0 ? ['## What the ACL refused', renderListMarkdown(access)] : []),
    renderSectionMarkdown(groupsSection(result)),
    '## Findings',
    findings.items.length > 0
      ? renderListMarkdown(findings)
      : 'No finding: no churn, idle pool, pool at its ceiling or blocked connection was seen.',
    renderSectionMarkdown(serverSection(result)),
    ...(estimates ? [renderSectionMarkdown(estimates)] : []),
    ...(result.warnings.length > 0 ? ['## Warnings', result.warnings.map((w) => markdownWarning(w)).join('\n')] : []),
    `---\n${result.tool.name} ${result.tool.version}, schema ${result.schema}, started ${result.startedAt}`,
  ].join('\n\n')}\n`;
}
