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
import { renderLinesTerminal, renderListTerminal, renderSectionTerminal } from './section.js';
import { FULL_LAYOUT, wrapLine, type TerminalLayout } from './layout.js';
import { plainStyle, type Style } from './style.js';
import { renderWarnings } from './warnings.js';

/**
 * The human view of an observe result, the answer first: what was read, the findings, the client groups; with
 * `details`, the server's figures and the estimates `size --from` takes.
 */
export function renderObserveTable(
  result: ObserveResult,
  style: Style = plainStyle,
  layout: TerminalLayout = FULL_LAYOUT,
): string {
  const { width, details } = layout;
  const estimates = estimatesSection(result);
  const findings = findingsSection(result);
  const noFinding = 'No finding: no churn, idle pool, pool at its ceiling or blocked connection was seen.';
  return [
    renderLinesTerminal(observeDescription(result), style, width),
    // Only refused commands are listed: what the report lacks is part of its answer.
    ...renderListTerminal(accessSection(result), style, width),
    ...(findings.items.length > 0
      ? renderListTerminal(findings, style, width)
      : [wrapLine(style.green(noFinding), width, 2)]),
    ...(result.groups.length > 0 ? [renderSectionTerminal(groupsSection(result), style, width)] : []),
    ...(details ? [renderSectionTerminal(serverSection(result), style, width)] : []),
    ...(details && estimates ? [renderSectionTerminal(estimates, style, width)] : []),
    ...(result.interrupted ? [style.yellow(OBSERVE_INTERRUPTED)] : []),
    ...renderWarnings(result.warnings, style, width),
    ...(details
      ? []
      : [
          wrapLine(
            style.dim('more: --details (the server, the estimates for size --from), --json, --markdown'),
            width,
            2,
          ),
        ]),
  ].join('\n');
}
