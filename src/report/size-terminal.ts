import { SIZE_PRESETS } from '../sizing/presets.js';
import { formatCount, formatDecimal, formatMs, formatPercent, formatRate, plural } from '../format.js';
import { withinObjectives } from '../sizing/peak.js';
import type { QueueingResult, SizeResult, WaitPrediction } from '../schema/size.js';
import { cell, renderSectionTerminal, type Cell, type TableSection } from './section.js';
import { meanWait, peakAnswer } from './size-figures.js';
import { FULL_LAYOUT, wrapLine, type TerminalLayout } from './layout.js';
import { plainStyle, type Style } from './style.js';
import { renderWarnings } from './warnings.js';

/** A row: what, its value, what it means (a value may carry a tone: the answer). */
type Row = [string, string | Cell, string];

/**
 * The human answer of `redis-pool size`: the recommendation first, with the few figures behind it; with `details`, a
 * table that explains every figure in a line; then the warnings.
 */
export function renderSizeTable(
  result: SizeResult,
  style: Style = plainStyle,
  layout: TerminalLayout = FULL_LAYOUT,
): string {
  const { width, details } = layout;
  const prose = (line: string): string => wrapLine(line, width, 2);
  return [
    prose(peakAnswer(result, style.bold)),
    prose(headline(result, style)),
    prose(measuredIn(result)),
    ...(details ? [renderSectionTerminal(sizeSection(result), style, width)] : []),
    prose(summary(result, style)),
    ...(details ? [] : [prose(style.dim(figures(result)))]),
    ...renderWarnings(result.warnings, style, width),
    ...(details ? [] : [prose(style.dim('more: --details (every figure with what it means), --json'))]),
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/** Every figure of the answer in a line of its own, with what it means; the parts are marked by their title rows instead of rules. */
function sizeSection(result: SizeResult): TableSection {
  const title = (name: string, about: string): Cell[] => [cell(name, 'heading'), cell(''), cell(about, 'name')];
  const plain = (rows: Row[]): Cell[][] => rows.map((row) => row.map((c) => (typeof c === 'string' ? cell(c) : c)));
  return {
    title: null,
    head: ['', 'value', 'what it means'],
    rows: [
      title('Load', 'what the service does'),
      ...plain(loadRows(result)),
      title('Rule of thumb', 'ceil(busy) + buffer'),
      ...plain(formulaRows(result)),
      ...result.models.flatMap((model) => [title(...modelTitle(model)), ...plain(modelRows(result, model))]),
      title('Fleet', 'connections seen by each Redis node and held by each process'),
      ...plain(fleetRows(result)),
    ],
    textColumns: 3,
    notes: [],
    widths: [22, 17, 56],
  };
}

function headline(result: SizeResult, style: Style): string {
  const preset = result.inputs.preset;
  return preset ? style.bold(`Preset ${preset}: ${SIZE_PRESETS[preset].description}`) : '';
}

/** size --from: which run of which result the load was measured in (with a peak, only its hold), and why that run. */
function measuredIn(result: SizeResult): string {
  const from = result.inputs.from;
  const what = result.peak ? 'Hold' : 'Load';
  return from ? `${what} measured in ${from.file}, run ${from.run}: ${from.reason}.` : '';
}

function loadRows(result: SizeResult): Row[] {
  const { inputs } = result;
  const rows: Row[] = [];
  if (inputs.threads !== null)
    rows.push(['threads', formatCount(inputs.threads), 'threads, workers or coroutines that share one pool']);
  if (inputs.utilization !== null) {
    const derived = inputs.ratePerSec !== null ? ' (derived: rate × hold ÷ threads)' : '';
    rows.push([
      'utilization',
      formatPercent(inputs.utilization),
      `share of its time a thread holds a connection when it never waits${derived}`,
    ]);
  }
  if (result.peak) rows.push(...peakRows(result, result.peak));
  if (inputs.ratePerSec !== null)
    rows.push([
      'arrival rate',
      `${formatDecimal(inputs.ratePerSec)}/s`,
      result.peak
        ? "one instance's share of the peak (peak ÷ instances): requests per second that each need a connection"
        : 'requests per second that each need a connection',
    ]);
  if (inputs.holdMs !== null)
    rows.push(['hold time', formatMs(inputs.holdMs), 'mean time a request keeps its connection (acquire → release)']);
  return rows;
}

function peakRows(result: SizeResult, peak: NonNullable<SizeResult['peak']>): Row[] {
  const knee = result.inputs.knee;
  const instances =
    peak.instancesFrom === 'knee' ? 'ceil(peak ÷ knee): each takes at most the knee' : 'given (--instances)';
  return [
    ['peak rate', `${formatRate(peak.peakRatePerSec)}/s`, "the whole fleet's requests per second at its peak"],
    ...(knee
      ? [
          [
            'knee',
            `${formatCount(knee.ratePerSec)}/s`,
            `the most one instance served${withinObjectives(knee.slo)} (the ${knee.label} curve)`,
          ] satisfies Row,
        ]
      : []),
    ['instances', formatCount(peak.instances), instances],
  ];
}

function formulaRows(result: SizeResult): Row[] {
  const { formula } = result;
  const busyMeaning =
    formula.busySource === 'rate×hold'
      ? "connections in use on average (Little's law: rate × hold time)"
      : 'connections in use on average (threads × utilization)';
  return [
    ['busy connections', formatDecimal(formula.busyConnections), busyMeaning],
    ['buffer', formatCount(formula.buffer), 'headroom for bursts, chosen by hand (--buffer)'],
    ['pool size', cell(formatCount(formula.poolSize), 'answer'), formula.expression],
  ];
}

function modelTitle(model: QueueingResult): [string, string] {
  return model.model === 'finite-source'
    ? ['Finite-source model', 'N threads share the pool: how often a request waits']
    : ['Erlang C model', 'requests arrive at a rate: how often a request waits'];
}

function modelRows(result: SizeResult, model: QueueingResult): Row[] {
  const target = formatPercent(model.targetWait);
  return [
    ...predictionRows(model.atFormulaSize, `pool ${formatCount(result.poolSize)}`),
    [
      'pool size for target',
      cell(formatCount(model.poolSize), 'answer'),
      `smallest pool where at most ${target} of requests wait for a connection`,
    ],
    ...predictionRows(model, `pool ${formatCount(model.poolSize)}`),
  ];
}

function predictionRows(prediction: WaitPrediction, where: string): Row[] {
  const rows: Row[] = [
    [
      `P(wait), ${where}`,
      formatPercent(prediction.waitProbability),
      'share of requests that find every connection taken',
    ],
    [`mean wait, ${where}`, meanWait(prediction), 'wait for a connection, averaged over all requests'],
  ];
  if (prediction.p99WaitMs !== null)
    rows.push([`p99 wait, ${where}`, formatMs(prediction.p99WaitMs), '99 % of requests wait less than this']);
  return rows;
}

function fleetRows(result: SizeResult): Row[] {
  const { fleet } = result;
  const perNode = (budget: SizeResult['fleet']['formula']): string =>
    `${formatCount(budget.connectionsPerNode)} (${formatPercent(budget.maxclientsFraction)})`;
  const shardsNote = fleet.shards > 1 ? `; a cluster client keeps one pool per shard (${fleet.shards} shards)` : '';
  return [
    [
      'instances × shards',
      `${formatCount(fleet.instances)} × ${formatCount(fleet.shards)}`,
      'service processes, each with its own pool, and Redis shards (--instances, --shards)',
    ],
    [
      'per Redis node',
      perNode(fleet.formula),
      `connections each node receives with the formula's pool: instances × pool; share of maxclients ${formatCount(fleet.maxclients)}`,
    ],
    ['per node (model)', perNode(fleet.queueing), "the same with the queueing model's pool"],
    [
      'sockets per process',
      formatCount(fleet.formula.connectionsPerProcess),
      `pool × shards, against a file-descriptor limit of ${formatCount(fleet.fdLimit)}${shardsNote}`,
    ],
    ['whole fleet', formatCount(fleet.formula.totalConnections), 'client connections across all instances and shards'],
  ];
}

function summary(result: SizeResult, style: Style): string {
  const q = result.queueing;
  return (
    `${style.bold('Recommendation:')} ${plural(result.poolSize, 'connection')} by the rule of ` +
    `thumb (${result.formula.expression}); ${formatCount(q.poolSize)} keep the share of ` +
    `requests that wait at or below ${formatPercent(q.targetWait)} (${q.model} model).`
  );
}

/** The figures behind the recommendation, in a line: the waits at both sizes, and what the fleet costs a node. */
function figures(result: SizeResult): string {
  const q = result.queueing;
  const atFormula = `P(wait) at ${formatCount(result.poolSize)}: ${formatPercent(q.atFormulaSize.waitProbability)}`;
  const atModel =
    q.poolSize !== result.poolSize ? `; at ${formatCount(q.poolSize)}: ${formatPercent(q.waitProbability)}` : '';
  const { fleet } = result;
  const { formula, queueing } = fleet;
  // Two pools, two figures: each named, so that neither reads as the other (the peak's line gives the model's).
  const node =
    formula.connectionsPerNode === queueing.connectionsPerNode
      ? `${plural(formula.connectionsPerNode, 'connection')} per Redis node`
      : `${plural(formula.connectionsPerNode, 'connection')} per Redis node with the rule of thumb's pools, ` +
        `${formatCount(queueing.connectionsPerNode)} with the model's`;
  const largest = Math.max(formula.maxclientsFraction, queueing.maxclientsFraction);
  return `${atFormula}${atModel}. ${node} (${formatPercent(largest)} of maxclients ${formatCount(fleet.maxclients)}).`;
}
