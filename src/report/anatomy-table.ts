import Table from 'cli-table3';
import type { AnatomyPhase, AnatomyPhaseName, AnatomyResult } from '../schema/anatomy.js';
import type { LatencySummary } from '../schema/bench.js';
import { formatDecimal, formatMs, formatPercent } from '../format.js';
import { COMPACT_TABLE_CHARS, plainStyle, type Style } from './style.js';
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

/** The human view of an anatomy result: one row per phase, the total, and what a new connection costs. */
export function renderAnatomyTable(result: AnatomyResult, style: Style = plainStyle): string {
  return [
    heading(result, style),
    phaseTable(result, style),
    ...costLine(result, style),
    style.dim("share = the phase's mean ÷ the total's mean (means add up, percentiles do not)"),
    ...renderWarnings(result.warnings, style),
  ].join('\n');
}

function heading({ target, samples }: AnatomyResult, style: Style): string {
  const mode = `${target.mode}${target.tls ? ', TLS' : ''}`;
  const connections = samples === 1 ? '1 connection' : `${samples} connections`;
  return style.bold(`Redis ${target.redisVersion} at ${target.url} (${mode}): ${connections} opened one after another`);
}

function phaseTable(result: AnatomyResult, style: Style): string {
  const head = ['phase', 'what it is', 'p50', 'p99', 'mean', 'share of total'];
  const table = new Table({
    head: head.map((h) => style.bold(h)),
    style: { head: [], border: [] },
    chars: COMPACT_TABLE_CHARS,
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right'],
  });
  for (const phase of result.phases) table.push(phaseRow(phase, result.total, style));
  table.push([style.bold('total'), 'lookup to the first reply', ...latencyCells(result.total), '100 %']);
  table.push([style.dim('open connection'), 'PING on a connection kept open', ...latencyCells(result.openConnectionPing), '']);
  return table.toString();
}

function phaseRow({ phase, latency }: AnatomyPhase, total: LatencySummary, style: Style): string[] {
  if (latency === null) {
    const reason = SKIPPED_BECAUSE[phase] ?? 'not needed';
    return [style.dim(phase), style.dim(WHAT_IT_IS[phase]), '–', '–', '–', style.dim(`skipped: ${reason}`)];
  }
  return [style.cyan(phase), WHAT_IT_IS[phase], ...latencyCells(latency), total.mean > 0 ? formatPercent(latency.mean / total.mean) : '–'];
}

function latencyCells(latency: LatencySummary): string[] {
  return [formatMs(latency.p50), formatMs(latency.p99), formatMs(latency.mean)];
}

/** The total against a command on an open connection: what reusing a connection saves. */
function costLine({ total, openConnectionPing: ping }: AnatomyResult, style: Style): string[] {
  if (ping.p50 <= 0 || total.count === 0) return [];
  const ratio = total.p50 / ping.p50;
  const times = `${formatDecimal(ratio, ratio >= 10 ? 0 : 1)}×`;
  return [`Total p50 ${formatMs(total.p50)}: a new connection costs ${style.bold(times)} a PING on an open one (${formatMs(ping.p50)}).`];
}
