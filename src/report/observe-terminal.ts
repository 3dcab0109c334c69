import type { ObserveResult } from '../schema/observe.js';
import { accessSection, estimatesSection, findingsSection, groupsSection, OBSERVE_INTERRUPTED, observeDescription, serverSection } from './observe-sections.js';
import { renderLinesTerminal, renderListTerminal, renderSectionTerminal } from './section.js';
import { plainStyle, type Style } from './style.js';
import { renderWarnings } from './warnings.js';

/** The human view of an observe result: what was read, the groups, the findings, the server, the estimates. */
export function renderObserveTable(result: ObserveResult, style: Style = plainStyle): string {
  const estimates = estimatesSection(result);
  const findings = findingsSection(result);
  return [
    renderLinesTerminal(observeDescription(result), style),
    ...renderListTerminal(accessSection(result), style),
    renderSectionTerminal(groupsSection(result), style),
    ...(findings.items.length > 0 ? renderListTerminal(findings, style) : [style.green('No finding: no churn, idle pool, pool at its ceiling or blocked connection was seen.')]),
    renderSectionTerminal(serverSection(result), style),
    ...(estimates ? [renderSectionTerminal(estimates, style)] : []),
    ...(result.interrupted ? [style.yellow(OBSERVE_INTERRUPTED)] : []),
    ...renderWarnings(result.warnings, style),
  ].join('\n');
}
