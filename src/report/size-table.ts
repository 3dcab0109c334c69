import Table from 'cli-table3';
import { SIZE_PRESETS } from '../sizing/presets.js';
import { formatCount, formatDecimal, formatMs, formatPercent, formatSignificant } from '../format.js';
import type { QueueingResult, SizeResult, WaitPrediction } from '../schema/size.js';
import { COMPACT_TABLE_CHARS, plainStyle, type Style } from './style.js';
import { renderWarnings } from './warnings.js';

type Row = [string, string, string];

/** The human answer of `redis-pool size`: a table that explains each number in a line, then the warnings. */
export function renderSizeTable(result: SizeResult, style: Style = plainStyle): string {
  const table = new Table({
    head: ['', 'value', 'what it means'].map((h) => style.bold(h)),
    colWidths: [22, 17, 56],
    wordWrap: true,
    // No rule between rows: sections are marked by their title rows instead.
    chars: COMPACT_TABLE_CHARS,
    style: { head: [], border: [] },
  });
  const section = (title: string, about: string): void => {
    table.push([style.cyan.bold(title), '', style.cyan(about)]);
  };

  section('Load', 'what the service does');
  table.push(...loadRows(result));
  section('Rule of thumb', 'ceil(busy) + buffer');
  table.push(...formulaRows(result, style));
  for (const model of result.models) {
    section(...modelTitle(model));
    table.push(...modelRows(result, model, style));
  }
  section('Fleet', 'connections seen by each Redis node and held by each process');
  table.push(...fleetRows(result));

  return [headline(result, style), measuredIn(result), table.toString(), summary(result, style), ...renderWarnings(result.warnings, style)]
    .filter((line) => line !== '')
    .join('\n');
}

function headline(result: SizeResult, style: Style): string {
  const preset = result.inputs.preset;
  return preset ? style.bold(`Preset ${preset}: ${SIZE_PRESETS[preset].description}`) : '';
}

/** size --from: which run of which result the load was measured in, and why that run. */
function measuredIn(result: SizeResult): string {
  const from = result.inputs.from;
  return from ? `Load measured in ${from.file}, run ${from.run}: ${from.reason}.` : '';
}

function loadRows(result: SizeResult): Row[] {
  const { inputs } = result;
  const rows: Row[] = [];
  if (inputs.threads !== null) rows.push(['threads', formatCount(inputs.threads), 'threads, workers or coroutines that share one pool']);
  if (inputs.utilization !== null) {
    const derived = inputs.ratePerSec !== null ? ' (derived: rate × hold ÷ threads)' : '';
    rows.push(['utilization', formatPercent(inputs.utilization), `share of its time a thread holds a connection when it never waits${derived}`]);
  }
  if (inputs.ratePerSec !== null) rows.push(['arrival rate', `${formatDecimal(inputs.ratePerSec)}/s`, 'requests per second that each need a connection']);
  if (inputs.holdMs !== null) rows.push(['hold time', formatMs(inputs.holdMs), 'mean time a request keeps its connection (acquire → release)']);
  return rows;
}

function formulaRows(result: SizeResult, style: Style): Row[] {
  const { formula } = result;
  const busyMeaning =
    formula.busySource === 'rate×hold'
      ? "connections in use on average (Little's law: rate × hold time)"
      : 'connections in use on average (threads × utilization)';
  return [
    ['busy connections', formatDecimal(formula.busyConnections), busyMeaning],
    ['buffer', formatCount(formula.buffer), 'headroom for bursts, chosen by hand (--buffer)'],
    ['pool size', style.bold.green(formatCount(formula.poolSize)), formula.expression],
  ];
}

function modelTitle(model: QueueingResult): [string, string] {
  return model.model === 'finite-source'
    ? ['Finite-source model', 'N threads share the pool: how often a request waits']
    : ['Erlang C model', 'requests arrive at a rate: how often a request waits'];
}

function modelRows(result: SizeResult, model: QueueingResult, style: Style): Row[] {
  const target = formatPercent(model.targetWait);
  return [
    ...predictionRows(model.atFormulaSize, `pool ${formatCount(result.poolSize)}`),
    ['pool size for target', style.bold.green(formatCount(model.poolSize)), `smallest pool where at most ${target} of requests wait for a connection`],
    ...predictionRows(model, `pool ${formatCount(model.poolSize)}`),
  ];
}

function predictionRows(prediction: WaitPrediction, where: string): Row[] {
  const rows: Row[] = [
    [`P(wait), ${where}`, formatPercent(prediction.waitProbability), 'share of requests that find every connection taken'],
    [`mean wait, ${where}`, meanWait(prediction), 'wait for a connection, averaged over all requests'],
  ];
  if (prediction.p99WaitMs !== null) rows.push([`p99 wait, ${where}`, formatMs(prediction.p99WaitMs), '99 % of requests wait less than this']);
  return rows;
}

function meanWait(prediction: WaitPrediction): string {
  if (prediction.meanWaitMs !== null) return formatMs(prediction.meanWaitMs);
  if (prediction.meanWaitInHoldTimes === null) return 'unbounded';
  return `${formatSignificant(prediction.meanWaitInHoldTimes)} × hold`;
}

function fleetRows(result: SizeResult): Row[] {
  const { fleet } = result;
  const perNode = (budget: SizeResult['fleet']['formula']): string =>
    `${formatCount(budget.connectionsPerNode)} (${formatPercent(budget.maxclientsFraction)})`;
  const shardsNote = fleet.shards > 1 ? `; a cluster client keeps one pool per shard (${fleet.shards} shards)` : '';
  return [
    ['instances × shards', `${formatCount(fleet.instances)} × ${formatCount(fleet.shards)}`, 'service processes, each with its own pool, and Redis shards (--instances, --shards)'],
    ['per Redis node', perNode(fleet.formula), `connections each node receives with the formula's pool: instances × pool; share of maxclients ${formatCount(fleet.maxclients)}`],
    ['per node (model)', perNode(fleet.queueing), "the same with the queueing model's pool"],
    ['sockets per process', formatCount(fleet.formula.connectionsPerProcess), `pool × shards, against a file-descriptor limit of ${formatCount(fleet.fdLimit)}${shardsNote}`],
    ['whole fleet', formatCount(fleet.formula.totalConnections), 'client connections across all instances and shards'],
  ];
}

function summary(result: SizeResult, style: Style): string {
  const q = result.queueing;
  return `${style.bold('Recommendation:')} ${result.poolSize} connections by the rule of thumb; ${q.poolSize} keep the share of requests that wait at or below ${formatPercent(q.targetWait)} (${q.model}).`;
}
