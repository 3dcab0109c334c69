import { serverLabel } from '../redis/info.js';
import type { AnatomyPhase, AnatomyPhaseName, AnatomyResult } from '../schema/anatomy.js';
import type { LatencySummary } from '../schema/bench.js';
import { formatDecimal, formatMs, formatPercent, plural } from '../format.js';
import { cell, renderSectionTerminal, type Cell, type TableSection } from './section.js';
import { FULL_LAYOUT, wrapLine, type TerminalLayout } from './layout.js';
import { plainStyle, type Style } from './style.js';
import { renderWarnings } from './warnings.js';

const WHAT_IT_IS: Record<AnatomyPhaseName, string> = {
  dns: 'host name → address (dns.lookup)',
  tcp: 'TCP handshake: SYN, SYN-ACK, ACK',
  tls: 'TLS handshake: certificates, keys',
  auth: 'AUTH: user and password checked',
  select: "SELECT the URL's database",
  'ready-check': "client init: INFO, ioredis' ready check",
  'first-command': 'PING, the first command',
};

/** The only reason each optional phase is left out. */
const SKIPPED_BECAUSE: Partial<Record<AnatomyPhaseName, string>> = {
  dns: 'IP address',
  tls: 'redis://',
  auth: 'no password',
  select: 'db 0',
};

/**
 * The human view of an anatomy result, the answer first: what a new connection costs against a command on an open
 * one, then one row per phase, the total, and (with `details`) what each phase is.
 */
export function renderAnatomyTable(
  result: AnatomyResult,
  style: Style = plainStyle,
  layout: TerminalLayout = FULL_LAYOUT,
): string {
  const { width, details } = layout;
  const section = phaseSection(result, details);
  return [
    wrapLine(style.bold(section.title!), width, 2),
    ...costLine(result, style).map((line) => wrapLine(line, width, 2)),
    renderSectionTerminal({ ...section, title: null }, style, width),
    wrapLine(style.dim("share = the phase's mean ÷ the total's mean (means add up, percentiles do not)"), width, 2),
    ...renderWarnings(result.warnings, style, width),
    ...(details ? [] : [wrapLine(style.dim('more: --details (what each phase is), --json'), width, 2)]),
  ].join('\n');
}

/** One row per phase (a skipped one says why), then the total and a PING on a connection kept open. */
function phaseSection(result: AnatomyResult, details: boolean): TableSection {
  const { target, samples } = result;
  const mode = `${target.mode}${target.tls ? ', TLS' : ''}`;
  const connections = plural(samples, 'connection');
  const rows = [
    ...result.phases.map((phase) => phaseRow(phase, result.total)),
    [cell('total', 'strong'), cell('lookup to the first reply'), ...latencyCells(result.total), cell('100 %')],
    [
      cell('open connection', 'dim'),
      cell('PING on a connection kept open'),
      ...latencyCells(result.openConnectionPing),
      cell(''),
    ],
  ];
  const head = ['phase', 'what it is', 'p50', 'p99', 'mean', 'share of total'];
  // Without details the second column (what each phase is) is left out: the phase's name says enough to read it.
  const keep = (row: readonly Cell[] | readonly string[]): number[] =>
    row.map((_, i) => i).filter((i) => details || i !== 1);
  return {
    title: `${serverLabel(target.server)} at ${target.url} (${mode}): ${connections} opened one after another`,
    head: keep(head).map((i) => head[i]!),
    rows: rows.map((row) => keep(row).map((i) => row[i]!)),
    textColumns: details ? 2 : 1,
    notes: [],
  };
}

function phaseRow({ phase, latency }: AnatomyPhase, total: LatencySummary): Cell[] {
  if (latency === null) {
    const reason = SKIPPED_BECAUSE[phase] ?? 'not needed';
    return [
      cell(phase, 'dim'),
      cell(WHAT_IT_IS[phase], 'dim'),
      cell('–'),
      cell('–'),
      cell('–'),
      cell(`skipped: ${reason}`, 'dim'),
    ];
  }
  return [
    cell(phase, 'name'),
    cell(WHAT_IT_IS[phase]),
    ...latencyCells(latency),
    cell(total.mean > 0 ? formatPercent(latency.mean / total.mean) : '–'),
  ];
}

function latencyCells(latency: LatencySummary): Cell[] {
  return [latency.p50, latency.p99, latency.mean].map((ms) => cell(formatMs(ms)));
}

/** The total against a command on an open connection: what reusing a connection saves. */
function costLine({ total, openConnectionPing: ping }: AnatomyResult, style: Style): string[] {
  if (ping.p50 <= 0 || total.count === 0) return [];
  const ratio = total.p50 / ping.p50;
  const times = `${formatDecimal(ratio, ratio >= 10 ? 0 : 1)}×`;
  return [
    `Total p50 ${formatMs(total.p50)}: a new connection costs ${style.bold(times)} a PING on an open one (${formatMs(ping.p50)}).`,
  ];
}
