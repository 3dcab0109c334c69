import { LIMIT_WARNING_FRACTION } from '../sizing/fleet.js';
import type { FleetBudget, QueueingModelName, QueueingResult, SizeResult, WaitPrediction } from '../schema/size.js';
import { SIZE_PRESETS } from '../sizing/presets.js';
import type { BenchResult, StrategyResult, SweepResult } from '../schema/bench.js';
import { evidenceRunsSection, INTERRUPTED, predictionSection, ratioSection, runDescription } from './bench-sections.js';
import {
  clusterEvidence,
  fairRows,
  measuredLoad,
  PLAN_ABOVE_KNEE,
  reportWarnings,
  saturatedRuns,
  smallestPoolMeetingTarget,
  type CapacityBench,
  type CapacityOptions,
  type ReportWarning,
} from './capacity-evidence.js';
import { formatCount, formatDecimal, formatMs, formatPercent, formatRate, plural } from '../format.js';
import { capitalise, markdownWarning } from './warnings.js';
import { clusterSection } from './cluster-section.js';
import { generatorSection } from './generator-section.js';
import { cell, renderLinesMarkdown, renderListMarkdown, renderSectionMarkdown, type TableSection } from './section.js';
import { limitShare, meanWait, peakAnswer } from './size-figures.js';
import { PEAK_TITLE, peakFleet, peakLead, peakSection, type PeakFleet } from './peak-section.js';
import { sweepSection } from './sweep-section.js';
import { capacityAnswer, capacitySection } from './capacity-curve-section.js';

/**
 * The capacity-planning review document of `redis-pool report`: the size plan (inputs, pool per instance, load per
 * Redis node) beside the measurements that support or contradict it. Pure: it only reads and formats the results.
 */
export function renderCapacityMarkdown(
  size: SizeResult,
  benches: CapacityBench[],
  options: CapacityOptions = {},
): string {
  const { head, evidence, tail } = capacityReportParts(size, benches, options);
  return `${[head, ...evidence, tail].join('\n\n')}\n`;
}

/** The report in parts, one per bench's evidence, so that the HTML page can draw each bench's charts under it. */
export function capacityReportParts(
  size: SizeResult,
  benches: CapacityBench[],
  options: CapacityOptions = {},
): { head: string; evidence: string[]; tail: string } {
  const peak = peakFleet(size, benches, options.peakRatePerSec);
  const warnings = reportWarnings(size, benches);
  const head = [
    ...titleSection(size, warnings),
    // The fleet's peak answers "how many instances, and what do they cost Redis": right under the plan's answer.
    ...(peak ? fleetPeakSection(size, peak) : []),
    ...poolSection(size),
    ...nodeSection(size),
    '## Measured evidence',
    ...(benches.length === 0 ? [noMeasurements(size)] : []),
  ];
  return {
    head: head.join('\n\n'),
    evidence: benches.map((bench) => benchEvidence(size, bench).join('\n\n')),
    tail: [...warningSection(warnings), footer(size, benches)].join('\n\n'),
  };
}

/** A table inside a section (no heading of its own), its cells plain text. */
const table = (head: string[], rows: string[][], textColumns = 1): TableSection => ({
  title: null,
  head,
  rows: rows.map((row) => row.map((text) => cell(text))),
  textColumns,
  notes: [],
});

const modelName = (model: QueueingModelName): string => (model === 'erlang-c' ? 'Erlang C' : 'finite-source');

// ── 1. Title and inputs ──────────────────────────────────────────────────────────────────────────

function titleSection(size: SizeResult, warnings: readonly ReportWarning[]): string[] {
  const preset = size.inputs.preset;
  // A measurement that contradicts the plan's load stands beside its answer, not only in the warnings at the end.
  const contradicted = warnings
    .filter((w) => w.code === PLAN_ABOVE_KNEE)
    .map((w) => `⚠️ ${capitalise(w.message)} (\`${w.from}\`: see the warnings).`);
  return [
    `# Capacity plan${preset ? `: preset ${preset}` : ''}`,
    // The answer first; the models it comes from are in "Pool per instance" below.
    recommendation(size),
    ...contradicted,
    (preset ? `Preset ${preset}: ${SIZE_PRESETS[preset].description}. ` : '') +
      'What the plan assumes: the load of one service instance (threads, utilization, or an arrival rate and a hold time), ' +
      'the headroom and wait target asked for, and the fleet the pools are multiplied by. – means not given.',
    renderSectionMarkdown(table(['input', 'value'], inputRows(size), 2)),
  ];
}

function inputRows(size: SizeResult): string[][] {
  const { inputs } = size;
  const given = <T>(value: T | null, format: (v: T) => string): string => (value === null ? '–' : format(value));
  const derived =
    inputs.utilization !== null && inputs.ratePerSec !== null && inputs.threads !== null
      ? ' (derived: rate × hold ÷ threads)'
      : '';
  return [
    ['threads', given(inputs.threads, formatCount)],
    ['utilization', `${given(inputs.utilization, formatPercent)}${derived}`],
    ['arrival rate', given(inputs.ratePerSec, (rate) => `${formatRate(rate)}/s`)],
    ['hold time', given(inputs.holdMs, formatMs)],
    ['buffer', formatCount(inputs.buffer)],
    ['target wait share', formatPercent(inputs.targetWait)],
    ['instances', formatCount(inputs.fleet.instances)],
    ['shards', formatCount(inputs.fleet.shards)],
    ['maxclients', formatCount(inputs.fleet.maxclients)],
    ['fd limit', formatCount(inputs.fleet.fdLimit)],
    ...(inputs.peak ? [['peak rate (the fleet)', `${formatRate(inputs.peak.ratePerSec)}/s`]] : []),
    ...(inputs.knee
      ? [
          [
            'knee (one instance)',
            `${formatCount(inputs.knee.ratePerSec)}/s, ${inputs.knee.label} in ${inputs.knee.file}`,
          ],
        ]
      : []),
  ];
}

// ── 1b. The fleet at its peak ────────────────────────────────────────────────────────────────────

function fleetPeakSection(size: SizeResult, peak: PeakFleet): string[] {
  const plan = peakAnswer(size, (text) => `**${text}**`);
  return [
    `## ${PEAK_TITLE}`,
    peakLead(peak),
    ...(plan ? [`The plan: ${plan}`] : []),
    ...(peak.strategies.length > 0 ? [renderSectionMarkdown(peakSection(peak))] : []),
  ];
}

// ── 2. Pool per instance ─────────────────────────────────────────────────────────────────────────

function poolSection(size: SizeResult): string[] {
  const { formula } = size;
  const busySource = formula.busySource === 'rate×hold' ? "rate × hold time, Little's law" : 'threads × utilization';
  return [
    '## Pool per instance',
    `Rule of thumb: \`${formula.expression}\`, a pool of **${formatCount(formula.poolSize)}** ` +
      `(${formatDecimal(formula.busyConnections)} busy connections from ${busySource}, plus a buffer of ${formatCount(formula.buffer)}).`,
    renderSectionMarkdown(
      table(
        [
          'model',
          `pool for ≤ ${formatPercent(size.inputs.targetWait)} waits`,
          'P(wait)',
          'mean wait',
          'p99 wait',
          `P(wait) at the formula's ${formatCount(formula.poolSize)}`,
        ],
        size.models.map((model) => modelRow(size, model)),
      ),
    ),
  ];
}

function modelRow(size: SizeResult, model: QueueingResult): string[] {
  const primary = model.model === size.queueing.model ? ' (primary)' : '';
  return [
    `${modelName(model.model)}${primary}`,
    formatCount(model.poolSize),
    formatPercent(model.waitProbability),
    meanWait(model),
    p99Wait(model),
    formatPercent(model.atFormulaSize.waitProbability),
  ];
}

function p99Wait(prediction: WaitPrediction): string {
  if (prediction.p99WaitMs !== null) return formatMs(prediction.p99WaitMs);
  return prediction.meanWaitInHoldTimes === null ? 'unbounded' : '–';
}

function recommendation(size: SizeResult): string {
  const model = size.queueing;
  const formulaPool = size.formula.poolSize;
  const difference = model.poolSize - formulaPool;
  const versusFormula =
    difference === 0
      ? `the same as the rule of thumb`
      : `${formatCount(Math.abs(difference))} ${difference > 0 ? 'more' : 'fewer'} than the rule of thumb's ${formatCount(formulaPool)}, ` +
        `where ${formatPercent(model.atFormulaSize.waitProbability)} of requests would wait`;
  return (
    `**Recommendation: ${plural(model.poolSize, 'connection')} per instance**, the ${modelName(model.model)} model's smallest pool ` +
    `where at most ${formatPercent(model.targetWait)} of requests wait (${formatPercent(model.waitProbability)}); ${versusFormula}.`
  );
}

// ── 3. Per Redis node ────────────────────────────────────────────────────────────────────────────

function nodeSection(size: SizeResult): string[] {
  const { fleet } = size;
  return [
    '## Per Redis node',
    `Each Redis node (${plural(fleet.shards, 'shard')}) receives instances × pool connections from ${plural(fleet.instances, 'instance')}; ` +
      `each service process holds pool × shards connections, one file descriptor each. ` +
      `⚠️ marks more than ${formatPercent(LIMIT_WARNING_FRACTION)} of a limit (the alert level).`,
    renderSectionMarkdown(
      table(
        [
          'pool',
          'pool per instance',
          'connections per node',
          `% of maxclients ${formatCount(fleet.maxclients)}`,
          'connections per process',
          `% of fd limit ${formatCount(fleet.fdLimit)}`,
          'fleet connections',
        ],
        [
          budgetRow('rule of thumb', fleet.formula),
          budgetRow(`${modelName(size.queueing.model)} model`, fleet.queueing),
        ],
      ),
    ),
  ];
}

function budgetRow(name: string, budget: FleetBudget): string[] {
  return [
    name,
    formatCount(budget.poolSize),
    formatCount(budget.connectionsPerNode),
    limitShare(budget.maxclientsFraction),
    formatCount(budget.connectionsPerProcess),
    limitShare(budget.fdFraction),
    formatCount(budget.totalConnections),
  ];
}

// ── 4. Measured evidence ─────────────────────────────────────────────────────────────────────────

function noMeasurements(size: SizeResult): string {
  const sizes = [size.formula.poolSize, size.queueing.poolSize];
  const low = Math.min(...sizes);
  const high = Math.max(...sizes);
  const range = low === high ? String(low) : `${low}..${high}`;
  return (
    'No measurements were given: this plan rests on the models alone. Measure a run against a real Redis server with ' +
    '`redis-pool bench --output bench.json` (a sweep around the planned sizes: ' +
    `\`redis-pool bench --strategy pooled --pool-size ${range} --output bench.json\`) and pass it with \`--bench bench.json\`.`
  );
}

function benchEvidence(size: SizeResult, { file, result }: CapacityBench): string[] {
  const ratios = ratioSection(result);
  const loadLine = describeLoadAgainstPlan(size, result);
  const predictions = predictionSection(result);
  const saturated = saturatedRuns(result);
  return [
    `### ${file}`,
    renderLinesMarkdown(runDescription(result)),
    ...(result.interrupted ? [`*${INTERRUPTED}*`] : []),
    // A capacity curve states each strategy's knee first, then its steps; their ratios to each other say nothing more.
    ...(result.capacity
      ? [renderListMarkdown(capacityAnswer(result.capacity)), renderSectionMarkdown(capacitySection(result.capacity))]
      : []),
    renderSectionMarkdown(markSaturatedRuns(evidenceRunsSection(result.results), saturated)),
    ...(saturated.size > 0 && !result.sweep ? [unfairRunsLine(result, saturated)] : []),
    ...(ratios.items.length > 0 && !result.capacity ? [renderListMarkdown(ratios)] : []),
    ...(result.sweep ? sweepEvidence(size, result.sweep, saturated) : []),
    ...(loadLine ? [loadLine] : []),
    ...clusterNodeEvidence(size, result),
    ...(predictions.items.length > 0 ? [renderListMarkdown(predictions)] : []),
    ...generatorEvidence(result.results),
  ];
}

/** A cluster bench: its nodes, the plan's connections per node, and each run's beside what size predicted for it. */
function clusterNodeEvidence(size: SizeResult, result: BenchResult): string[] {
  const section = clusterSection(result);
  const evidence = clusterEvidence(
    { shards: size.fleet.shards, connectionsPerNode: size.fleet.queueing.connectionsPerNode },
    result,
  );
  if (!section || !evidence) return [];
  const shardsNote =
    evidence.planShards === evidence.masters
      ? ''
      : ` (the plan counts ${plural(evidence.planShards, 'shard')}, the bench ran against ${plural(evidence.masters, 'master')})`;
  return [
    renderSectionMarkdown(section, 4),
    `Per node, the plan holds ${formatCount(evidence.planConnectionsPerNode)} ` +
      `connections (${plural(size.fleet.instances, 'instance')} × a ` +
      `pool of ${formatCount(size.queueing.poolSize)})${shardsNote}.`,
  ];
}

function sweepEvidence(size: SizeResult, sweep: SweepResult, saturated: ReadonlySet<string>): string[] {
  return [
    renderSectionMarkdown(markSaturatedSizes(sweepSection(sweep), sweep, saturated), 4),
    sweepVerdict(size, sweep, saturated),
  ];
}

// ── A saturated generator is no evidence ─────────────────────────────────────────────────────────

const SATURATED_MARK = '⚠️';

/** How to measure again with a generator that applies the load it is asked for. */
const FAIR_EVIDENCE =
  'give the generator less to do per event loop: fewer workers (--concurrency) at a longer hold or a lower utilization, ' +
  '--threads 2 on a machine with cores to spare (one pool size per run: a sweep runs on one thread), ' +
  'or a second load machine (bench on each with --start-at, then merge)';

/** The runs table with ⚠️ after the name of each run measured with the generator saturated. */
function markSaturatedRuns(section: TableSection, saturated: ReadonlySet<string>): TableSection {
  if (saturated.size === 0) return section;
  const rows = section.rows.map(([name, ...rest]) =>
    saturated.has(name!.text) ? [cell(`${name!.text} ${SATURATED_MARK}`, name!.tone), ...rest] : [name!, ...rest],
  );
  return {
    ...section,
    rows,
    notes: [
      ...section.notes,
      `${SATURATED_MARK} measured with the load generator saturated (see its table and the warnings): not fair evidence.`,
    ],
  };
}

/** The sweep table with "⚠️ generator saturated" in the marks of each size measured so. */
function markSaturatedSizes(section: TableSection, sweep: SweepResult, saturated: ReadonlySet<string>): TableSection {
  if (saturated.size === 0) return section;
  const marksColumn = section.head.length - 1;
  const rows = section.rows.map((cells, i) => {
    if (!saturated.has(sweep.rows[i]!.label)) return cells;
    const marks = cells[marksColumn]!.text;
    return cells.map((c, column) =>
      column === marksColumn
        ? cell([marks, `${SATURATED_MARK} generator saturated`].filter(Boolean).join(', '), c.tone)
        : c,
    );
  });
  return { ...section, rows };
}

/** Under a bench of runs (no sweep) some of which ran with the generator saturated. */
function unfairRunsLine(result: BenchResult, saturated: ReadonlySet<string>): string {
  const all = saturated.size === result.results.length;
  const which = all
    ? 'this bench: the load generator was saturated in every run'
    : `${[...saturated].join(', ')}: the load generator was saturated there`;
  return (
    `${SATURATED_MARK} No fair evidence from ${which}, so the latencies and waits measured ` +
    `are the generator's as much as Redis' and the pool's. For fair evidence, ${FAIR_EVIDENCE}.`
  );
}

/** Whether the generator applied the load it was asked for: evidence from a distorted run says so. */
function generatorEvidence(results: StrategyResult[]): string[] {
  const section = generatorSection(results);
  return section ? [renderSectionMarkdown(section, 4)] : [];
}

function sweepVerdict(size: SizeResult, sweep: SweepResult, saturated: ReadonlySet<string> = new Set()): string {
  const target = size.inputs.targetWait;
  const lead = `Evidence for the plan's target of at most ${formatPercent(target)} of requests waiting:`;
  const fair = fairRows(sweep, saturated);
  if (sweep.rows.length > 0 && fair.length === 0) {
    return (
      `${lead} **no fair evidence**: the load generator was saturated at every measured size ` +
      `(${SATURATED_MARK}), so the waits it measured are the generator's as much as the pool's ` +
      `and say nothing of the plan's ${formatCount(size.queueing.poolSize)}. For fair evidence, ${FAIR_EVIDENCE}.`
    );
  }
  const leftOut = sweep.rows.filter((row) => saturated.has(row.label)).map((row) => formatCount(row.poolSize));
  const without =
    leftOut.length > 0
      ? ` Left out: ${leftOut.join(', ')}, measured with the generator saturated (${SATURATED_MARK}).`
      : '';
  const smallest = smallestPoolMeetingTarget(sweep, target, saturated);
  if (smallest === null) {
    const largest = fair.reduce<SweepResult['rows'][number] | null>(
      (best, row) => (best === null || row.poolSize > best.poolSize ? row : best),
      null,
    );
    const closest = largest
      ? ` (the largest, ${formatCount(largest.poolSize)}, measured ${formatPercent(largest.waitProbability)})`
      : '';
    return `${lead} none of the ${leftOut.length > 0 ? 'fairly ' : ''}measured sizes reached it${closest}.${without}`;
  }
  return (
    `${lead} the smallest measured pool that reached it is **${formatCount(smallest.poolSize)}** ` +
    `(measured P(wait) ${formatPercent(smallest.waitProbability)}); the plan recommends ${formatCount(size.queueing.poolSize)}.${without}`
  );
}

/** "The bench measured … ; the plan assumes …", naming only quantities that both sides have. */
function describeLoadAgainstPlan(size: SizeResult, result: BenchResult): string | null {
  const measured = measuredLoad(result);
  if (!measured) return null;
  const plan = size.inputs;
  const pairs: [string, string][] = [];
  if (plan.holdMs !== null)
    pairs.push([`a mean hold of ${formatMs(measured.holdMs)}`, `a hold of ${formatMs(plan.holdMs)}`]);
  if (plan.utilization !== null && measured.utilization !== null)
    pairs.push([`u = ${formatPercent(measured.utilization)}`, `u = ${formatPercent(plan.utilization)}`]);
  if (plan.ratePerSec !== null && measured.ratePerSec !== null) {
    pairs.push([`${formatCount(measured.ratePerSec)} requests/s`, `${formatRate(plan.ratePerSec)} requests/s`]);
  }
  if (plan.threads !== null) pairs.push([plural(measured.workers, 'worker'), plural(plan.threads, 'thread')]);
  if (pairs.length === 0) return null;
  const benchSide = pairs.map(([bench]) => bench).join(', ');
  const planSide = pairs.map(([, planned]) => planned).join(', ');
  return `Load: the bench measured ${benchSide} ${measured.source}; the plan assumes ${planSide}.`;
}

// ── 5. Warnings and 6. footer ────────────────────────────────────────────────────────────────────

function warningSection(warnings: readonly ReportWarning[]): string[] {
  const lines = warnings.map(({ from, ...w }) => markdownWarning(w, from === 'plan' ? undefined : from));
  return lines.length === 0 ? [] : ['## Warnings', lines.join('\n')];
}

function footer(size: SizeResult, benches: CapacityBench[]): string {
  const runs = benches.map(
    ({ file, result }) =>
      `${file}: run ${result.runId} (${result.tool.name} ${result.tool.version}, started ${result.startedAt})`,
  );
  const benchSchema = benches[0]?.result.schema;
  const schemas = benchSchema ? `schemas ${size.schema} and ${benchSchema}` : `schema ${size.schema}`;
  return `---\n${size.tool.name} ${size.tool.version}, ${schemas}${runs.length > 0 ? `; bench ${runs.join('; ')}` : ''}`;
}
