import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../../src/schema/bench.js';
import { renderCapacityMarkdown } from '../../../src/report/capacity-markdown.js';
import { capacityReportDocument } from '../../../src/report/capacity-json.js';
import { measuredLoad } from '../../../src/report/capacity-evidence.js';
import {
  HEALTHY_GENERATOR,
  readBenchFixture,
  readSizeFixture,
  twoMachinesOf,
  withGenerator,
} from '../../helpers/fixtures.js';
import { formatCount, formatMs, formatPercent } from '../../../src/format.js';
import type { SizeResult } from '../../../src/schema/size.js';
import { LIMIT_WARNING_FRACTION } from '../../../src/sizing/fleet.js';
import { sizeFlagsFromBench } from '../../../src/sizing/from-bench.js';
import { resolveSizeInputs, withMeasured } from '../../../src/sizing/inputs.js';
import { recommendPoolSize } from '../../../src/sizing/recommend.js';

const size = readSizeFixture('size-result.json');
const nearLimits = readSizeFixture('size-result-near-limits.json');
const bench = { file: 'bench-result.json', result: readBenchFixture('bench-result.json') };
const sweepBench = { file: 'bench-sweep-result.json', result: readBenchFixture('bench-sweep-result.json') };

/** The text of one `## ` section, heading included, up to the next one. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  expect(start, `missing ${heading}`).toBeGreaterThanOrEqual(0);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end === -1 ? undefined : end);
}

/** Every Markdown table of the text, as lists of rows of cells (escaped `\|` stays inside its cell). */
function tables(markdown: string): string[][][] {
  const blocks: string[][][] = [];
  let current: string[][] | null = null;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      current = null;
      continue;
    }
    if (!current) blocks.push((current = []));
    current.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
  }
  return blocks;
}

const row = (...cells: string[]): string => `| ${cells.join(' | ')} |`;

const sweepOf = (result: BenchResult) => {
  if (!result.sweep) throw new Error('fixture without a sweep');
  return result.sweep;
};

describe('capacity report', () => {
  const text = renderCapacityMarkdown(size, [sweepBench, bench]);

  it('has every section, in order', () => {
    const headings = [
      '# Capacity plan',
      '## Pool per instance',
      '## Per Redis node',
      '## Measured evidence',
      '### bench-sweep-result.json',
      '### bench-result.json',
      '## Warnings',
    ];
    const positions = headings.map((h) => text.indexOf(`${h}\n`));
    for (const [i, position] of positions.entries()) expect(position, headings[i]).toBeGreaterThanOrEqual(0);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(text.startsWith('# Capacity plan\n')).toBe(true);
  });

  it('lists the inputs', () => {
    const { inputs } = size;
    expect(text).toContain(row('threads', formatCount(inputs.threads!)));
    expect(text).toContain(`| utilization | ${formatPercent(inputs.utilization!)}`);
    expect(text).toContain(row('hold time', formatMs(inputs.holdMs)));
    expect(text).toContain(row('target wait share', formatPercent(inputs.targetWait)));
    expect(text).toContain(row('instances', formatCount(inputs.fleet.instances)));
    expect(text).toContain(row('shards', formatCount(inputs.fleet.shards)));
    expect(text).toContain(row('maxclients', formatCount(inputs.fleet.maxclients)));
    expect(text).toContain(row('fd limit', formatCount(inputs.fleet.fdLimit)));
  });

  it('names the preset in the title when there is one', () => {
    const preset: SizeResult = { ...size, inputs: { ...size.inputs, preset: 'api' } };
    expect(renderCapacityMarkdown(preset, [])).toMatch(/^# Capacity plan: preset api\n/);
  });

  it('opens with the recommendation, under the title', () => {
    const [title, answer] = text.split('\n\n');
    expect(title).toMatch(/^# Capacity plan/);
    expect(answer).toMatch(
      new RegExp(`^\\*\\*Recommendation: ${formatCount(size.queueing.poolSize)} connections per instance\\*\\*`),
    );
    expect(answer).toContain(`more than the rule of thumb's ${formatCount(size.formula.poolSize)}`);
  });

  it('shows the rule of thumb and every model', () => {
    const pool = section(text, '## Pool per instance');
    expect(pool).toContain(`\`${size.formula.expression}\``);
    expect(size.models.length).toBeGreaterThan(1);
    for (const model of size.models) {
      const cells = [formatCount(model.poolSize), formatPercent(model.waitProbability), formatMs(model.meanWaitMs)];
      expect(pool).toContain(` | ${cells.join(' | ')} | `);
      expect(pool).toContain(` | ${formatPercent(model.atFormulaSize.waitProbability)} |`);
    }
  });

  it('shows what each Redis node and each process carry, for both pools', () => {
    const node = section(text, '## Per Redis node');
    for (const budget of [size.fleet.formula, size.fleet.queueing]) {
      expect(node).toContain(
        ` | ${[budget.poolSize, budget.connectionsPerNode].map(formatCount).join(' | ')} ` +
          `| ${formatPercent(budget.maxclientsFraction)} | ${formatCount(budget.connectionsPerProcess)} ` +
          `| ${formatPercent(budget.fdFraction)} | ${formatCount(budget.totalConnections)} |`,
      );
    }
  });

  it('marks exactly the shares of a limit past the alert level', () => {
    const countMarks = (result: SizeResult): number =>
      (section(renderCapacityMarkdown(result, []), '## Per Redis node').match(/⚠️/g) ?? []).length - 1; // one in the legend
    const expectedMarks = (result: SizeResult): number =>
      [result.fleet.formula, result.fleet.queueing]
        .flatMap((b) => [b.maxclientsFraction, b.fdFraction])
        .filter((f) => f > LIMIT_WARNING_FRACTION).length;

    expect(expectedMarks(size)).toBe(0);
    expect(countMarks(size)).toBe(0);
    expect(expectedMarks(nearLimits)).toBeGreaterThan(0);
    expect(countMarks(nearLimits)).toBe(expectedMarks(nearLimits));

    const node = section(renderCapacityMarkdown(nearLimits, []), '## Per Redis node');
    for (const fraction of [nearLimits.fleet.formula, nearLimits.fleet.queueing].flatMap((b) => [
      b.maxclientsFraction,
      b.fdFraction,
    ])) {
      const cell = ` ${formatPercent(fraction)} ⚠️ |`;
      if (fraction > LIMIT_WARNING_FRACTION) expect(node).toContain(cell);
      else expect(node).toContain(` ${formatPercent(fraction)} |`);
    }
  });

  it('shows each bench: what ran, its runs and the ratios', () => {
    for (const { file, result } of [bench, sweepBench]) {
      const evidence = text.slice(text.indexOf(`### ${file}\n`));
      expect(evidence).toContain(`Redis ${result.target.redisVersion} at ${result.target.url}`);
      expect(evidence).toContain(`Node ${result.machine.node} on ${result.machine.platform}/${result.machine.arch}  `);
      for (const r of result.results) {
        expect(evidence).toContain(`| ${r.label} | ${formatCount(r.throughput)} |`);
        expect(evidence).toContain(
          `| ${formatCount(r.connections.used)} | ${formatCount(r.connections.serverPeakClients)} | ${formatCount(r.errors)} |`,
        );
      }
      expect(evidence).toMatch(/^- pooled\(max=\d+\): .*× the throughput of per-request/m);
    }
  });

  it('puts a sweep beside the model and says which measured size meets the target', () => {
    const sweep = sweepOf(sweepBench.result);
    const sweepTable = tables(text).find((t) => t[0]![0] === 'pool size')!;
    expect(sweepTable[0]!.slice(4, 8)).toEqual([
      'P(wait) measured',
      'P(wait) finite-source',
      'difference',
      'within ±3 pts',
    ]);
    for (const [i, r] of sweep.rows.entries()) {
      expect(sweepTable[i + 2]!.slice(0, 1)).toEqual([String(r.poolSize)]);
      expect(sweepTable[i + 2]!.slice(4, 6)).toEqual([
        formatPercent(r.waitProbability),
        formatPercent(r.predictedWaitProbability),
      ]);
    }

    const meeting = (target: number): number | undefined =>
      sweep.rows
        .filter((r) => r.waitProbability <= target)
        .map((r) => r.poolSize)
        .sort((a, b) => a - b)[0];

    // The fixture's own target: on this loopback machine no size reached 1 %.
    expect(meeting(size.inputs.targetWait)).toBeUndefined();
    expect(text).toContain('none of the measured sizes reached it');

    // A looser target that some measured sizes meet, and the smaller ones do not.
    const sorted = [...sweep.rows].sort((a, b) => a.poolSize - b.poolSize);
    const target = sorted[Math.floor(sorted.length / 2)]!.waitProbability;
    const expected = meeting(target);
    expect(expected).toBeDefined();
    const looser: SizeResult = { ...size, inputs: { ...size.inputs, targetWait: target } };
    const md = renderCapacityMarkdown(looser, [sweepBench]);
    expect(md).toContain(`the smallest measured pool that reached it is **${expected}**`);
    expect(md).not.toContain('none of the measured sizes reached it');
  });

  it("compares the bench's measured load with the plan's inputs", () => {
    const sweep = sweepOf(sweepBench.result);
    expect(text).toContain(
      `the bench measured a mean hold of ${formatMs(sweep.holdMs)}, ` +
        `u = ${formatPercent(sweep.utilization)}, ${sweep.workers} workers over its sweep; ` +
        `the plan assumes a hold of ${formatMs(size.inputs.holdMs)}, ` +
        `u = ${formatPercent(size.inputs.utilization!)}, ${formatCount(size.inputs.threads!)} threads.`,
    );
    const pooled = bench.result.results.find((r) => r.strategy === 'pooled')!;
    expect(text).toContain(
      `the bench measured a mean hold of ${formatMs(pooled.load.holdMeanMs)}, u = ${formatPercent(pooled.load.modelUtilization)}`,
    );

    const planWithoutLoadDetails: SizeResult = {
      ...size,
      inputs: { ...size.inputs, threads: null, utilization: null, holdMs: null },
    };
    expect(renderCapacityMarkdown(planWithoutLoadDetails, [bench])).not.toContain('the bench measured');
  });

  it('says how to measure when no bench is given', () => {
    const md = renderCapacityMarkdown(size, []);
    expect(section(md, '## Measured evidence')).toContain('No measurements were given');
    expect(md).toContain('`redis-pool bench --output bench.json`');
    expect(md).not.toContain('###');
  });

  it('lists the warnings of the plan and of each bench, with their remedies', () => {
    const warnings = section(text, '## Warnings');
    for (const w of size.warnings) expect(warnings).toContain(`- ${w.message}. *Fix:* ${w.remedy}.`);
    for (const { file, result } of [bench, sweepBench]) {
      for (const w of result.warnings) {
        expect(warnings).toContain(
          w.level === 'note'
            ? `- \`${file}\`: *Note:* ${w.message}. `
            : `- \`${file}\`: ${w.message}. *Fix:* ${w.remedy}.`,
        );
      }
    }
    const quiet: SizeResult = { ...size, warnings: [] };
    expect(renderCapacityMarkdown(quiet, [])).not.toContain('## Warnings');
  });

  it('ends with the tool, the schemas and the bench runs', () => {
    const footer = text.slice(text.lastIndexOf('\n---\n'));
    expect(footer).toContain(`${size.tool.name} ${size.tool.version}`);
    expect(footer).toContain(size.schema);
    expect(footer).toContain(bench.result.schema);
    for (const { result } of [bench, sweepBench]) expect(footer).toContain(result.runId);
  });

  it('has as many cells in every row of a table as in its header', () => {
    for (const md of [text, renderCapacityMarkdown(nearLimits, []), renderCapacityMarkdown(size, [])]) {
      const found = tables(md);
      expect(found.length).toBeGreaterThan(0);
      for (const table of found) for (const cells of table) expect(cells.length).toBe(table[0]!.length);
    }
  });

  it('is plain and pure: no terminal colours, inputs untouched, same text twice', () => {
    const before = JSON.stringify([size, sweepBench, bench]);
    const again = renderCapacityMarkdown(size, [sweepBench, bench]);
    expect(again).toBe(text);
    expect(JSON.stringify([size, sweepBench, bench])).toBe(before);
    expect(text).not.toMatch(/\u001b\[/);
  });
});

describe('capacity report: the sweep row by row, and the load generator', () => {
  // The sweep fixture as the tool writes it now: per-row predictions, the generator's figures.
  const current = { file: 'bench-sweep-result.json', result: withGenerator(sweepBench.result) };
  const text = renderCapacityMarkdown(size, [current]);

  it("shows each measured size beside the model at that size's own load, their difference and whether they agree", () => {
    expect(text).toContain('#### Pool-size sweep: measured waits beside the model');
    // A hold of 0.079 ms against wake-ups late by p90 47 µs: a burst rule crossed, marked where the row is shown.
    expect(text).toContain(
      row(
        '3',
        '27,330',
        '40 %',
        '0.079',
        '88 %',
        '65.9 %',
        '+22.1 pts',
        '✗',
        '0.067',
        '0.274',
        '⚠️ generator saturated',
      ),
    );
    expect(text).toContain(
      '2 of 6 rows agree with the model within ±3 pts (measured − predicted P(wait)); the worst difference is +62.2 pts, at pool 5 (✗).',
    );
    expect(text.indexOf('#### Pool-size sweep')).toBeLessThan(text.indexOf("Evidence for the plan's target"));
  });

  it("shows how much the load generator distorted the bench's runs, when they recorded it", () => {
    expect(text).toContain('#### Load generator: how much it distorted the load');
    expect(text).toContain(
      row('pooled(max=3)', '93 %', '1.250', '41,234', '18', '47', '131', '2,480', '7,512', '93.9 %'),
    );
    expect(renderCapacityMarkdown(size, [sweepBench])).not.toContain('Load generator');
  });

  it('marks every run and size measured with the generator saturated, and says there is no fair evidence and how to get it', () => {
    const saturatedSweep = {
      file: 'saturated.json',
      result: withGenerator(sweepBench.result, (run) => ({
        ...HEALTHY_GENERATOR,
        wakeLateness: { count: run.requests, p50Us: 900, p90Us: 1800, p99Us: 4000, maxUs: 9000 },
      })),
    };
    const md = renderCapacityMarkdown(size, [saturatedSweep]);
    const sweepTable = tables(md).find((t) => t[0]![0] === 'pool size')!;
    for (const cells of sweepTable.slice(2)) expect(cells.at(-1)).toMatch(/⚠️ generator saturated$/);
    // Every pooled run (the sizes) is marked in the runs table; the others (no pool for bursts to find busy) are not.
    for (const r of saturatedSweep.result.results)
      expect(md).toContain(`| ${r.label}${r.strategy === 'pooled' ? ' ⚠️' : ''} | ${formatCount(r.throughput)} |`);
    expect(md).toContain(
      "Evidence for the plan's target of at most 1 % of requests waiting: **no fair evidence**: the load generator was saturated at every measured size (⚠️)",
    );
    expect(md).toMatch(
      /For fair evidence, give the generator less to do per event loop: fewer workers \(--concurrency\).*--threads 2.*a second load machine/,
    );
    expect(md).not.toContain('none of the measured sizes reached it');
    const json = capacityReportDocument(size, [saturatedSweep]).evidence[0]!;
    expect(json.sweep!.rows.every((r) => r.generatorSaturated)).toBe(true);
    expect(json.runs.filter((r) => r.generatorSaturated).map((r) => r.strategy)).toEqual(
      json.runs.filter((r) => r.strategy === 'pooled').map(() => 'pooled'),
    );
    // Even a target every size met: no fair size met it.
    const loose: SizeResult = { ...size, inputs: { ...size.inputs, targetWait: 1 } };
    expect(capacityReportDocument(loose, [saturatedSweep]).evidence[0]!.sweep!.smallestPoolMeetingTarget).toBeNull();
  });

  it('leaves the saturated sizes out of the evidence and says which, when some are fair', () => {
    const some = withGenerator(sweepBench.result, (run) => ({
      ...HEALTHY_GENERATOR,
      wakeLateness: {
        count: run.requests,
        p50Us: 1,
        p90Us: 2,
        p99Us: run.label === 'pooled(max=1)' ? 90_000 : 5,
        maxUs: 90_000,
      },
    }));
    const loose: SizeResult = { ...size, inputs: { ...size.inputs, targetWait: 1 } };
    const md = renderCapacityMarkdown(loose, [{ file: 'some.json', result: some }]);
    expect(md).toContain('the smallest measured pool that reached it is **2**');
    expect(md).toContain('Left out: 1, measured with the generator saturated (⚠️).');
  });

  it('says so under a bench without a sweep whose runs saturated the generator', () => {
    const closed = withGenerator(bench.result, () => ({
      ...HEALTHY_GENERATOR,
      eventLoopUtilization: 0.99,
      wakeLateness: null,
    }));
    const md = renderCapacityMarkdown(size, [{ file: 'closed.json', result: closed }]);
    expect(md).toContain(
      '⚠️ No fair evidence from this bench: the load generator was saturated in every run, so the latencies and waits measured are',
    );
    expect(md).toContain(
      '⚠️ measured with the load generator saturated (see its table and the warnings): not fair evidence.',
    );
  });

  it('carries the difference and the verdict of each row, and the tolerance, in the JSON', () => {
    const sweep = capacityReportDocument(size, [current]).evidence[0]!.sweep!;
    expect(sweep.tolerance).toBe(0.03);
    expect(sweep.rows[2]).toMatchObject({ poolSize: 3, agrees: false });
    expect(sweep.rows[2]!.difference).toBeCloseTo(
      sweep.rows[2]!.measuredWaitProbability - sweep.rows[2]!.predictedWaitProbability,
      15,
    );
    expect(sweep.rows[0]!.agrees).toBe(true);
    // A file written before the rows carried them: the difference of its two P(wait)s, the default tolerance.
    const old = capacityReportDocument(size, [sweepBench]).evidence[0]!.sweep!;
    expect(old.rows.map((r) => r.agrees)).toEqual([true, true, false, false, false, false]);
  });
});

describe('capacity report with a capacity curve as evidence', () => {
  const curve = readBenchFixture('bench-curve-result.json');
  const text = renderCapacityMarkdown(size, [{ file: 'bench-curve-result.json', result: curve }]);

  it("states each strategy's knee under its bench, then the steps", () => {
    const evidence = text.slice(text.indexOf('### bench-curve-result.json'));
    for (const c of curve.capacity!) {
      const slo = c.slo.join(' and ');
      const knee =
        c.kneeRatePerSec === null
          ? `- ${c.label}: not even its lowest rate with ${slo}`
          : `- ${c.label}: one instance serves up to ${formatCount(c.kneeRatePerSec)} req/s with ${slo}`;
      expect(evidence).toContain(knee);
    }
    expect(evidence).toContain('Capacity curve: each strategy at each offered rate');
    expect(evidence.indexOf('one instance serves up to')).toBeLessThan(evidence.indexOf('| strategy |'));
  });

  describe("warns when the plan puts more on an instance than the pooled curve's knee", () => {
    const bench = { file: 'curve.json', result: curve };
    const pooled = curve.capacity!.find((c) => c.strategy === 'pooled')!;
    const aboveKnee = (plan: SizeResult, result = curve) =>
      capacityReportDocument(plan, [{ ...bench, result }]).warnings.filter((w) => w.code === 'plan-above-knee');
    const plan = (flags: Parameters<typeof resolveSizeInputs>[0]) => recommendPoolSize(resolveSizeInputs(flags));

    it("the fixture's plan, 20,000 req/s on each instance, against the pooled knee of 4,000: once, under the bench", () => {
      expect(size.inputs.ratePerSec).toBe(20_000);
      expect(pooled.kneeRatePerSec).toBe(4_000);
      const [warning, ...more] = aboveKnee(size);
      expect(more).toEqual([]);
      expect(warning).toMatchObject({ from: 'curve.json' });
      expect(warning!.message).toBe(
        'the plan puts 20,000 req/s on each instance, 5× the 4,000 req/s one instance of pooled(max=50) served ' +
          'within p99<5ms; at 16,000 req/s it missed p99<5ms',
      );
      expect(warning!.remedy).toContain("`redis-pool size --from curve.json --peak-rate <the fleet's peak>`");
      const markdown = renderCapacityMarkdown(size, [bench]);
      expect(markdown).toContain(`- \`curve.json\`: ${warning!.message}. *Fix:*`);
      // And on the first screen, under the plan's answer, before its inputs.
      const atTop = `⚠️ The plan puts 20,000 req/s on each instance, 5× the 4,000`;
      expect(markdown.indexOf(atTop)).toBeGreaterThan(markdown.indexOf('**Recommendation:'));
      expect(markdown.indexOf(atTop)).toBeLessThan(markdown.indexOf('What the plan assumes'));
      expect(renderCapacityMarkdown(size, [])).not.toContain('⚠️ The plan puts');
    });

    it('none at or under the knee, nor against per-request (the plan sizes a pool)', () => {
      expect(aboveKnee(plan({ ratePerSec: 4_000, holdMs: 0.1 }))).toEqual([]);
      // 1,000/s is twice per-request's knee of 500, and under the pool's.
      expect(aboveKnee(plan({ ratePerSec: 1_000, holdMs: 0.1 }))).toEqual([]);
    });

    it("a closed-loop plan's rate is its busy threads over its hold", () => {
      // 100 threads × 10 % ÷ 2 ms = 5,000 req/s.
      const [warning] = aboveKnee(plan({ threads: 100, utilization: 0.1, holdMs: 2 }));
      expect(warning!.message).toMatch(/^the plan puts 5,000 req\/s on each instance, 1\.3× the 4,000/);
      expect(aboveKnee(plan({ threads: 100, utilization: 0.1 }))).toEqual([]);
    });

    it('a knee at the last step: nothing was measured above it, so the remedy is a longer curve', () => {
      const capacity = curve.capacity!.map((c) => (c.strategy === 'pooled' ? { ...c, rows: c.rows.slice(0, 2) } : c));
      const [warning] = aboveKnee(size, { ...curve, capacity });
      expect(warning!.message).toMatch(/; the curve stops there, so nothing was measured at the plan's load$/);
      expect(warning!.remedy).toBe(
        "run the curve on up to the plan's rate (a last --rate step of 20000) to find where it breaks",
      );
      // Above the knee, a step that met everything on a saturated generator: nothing fair, and no miss to name.
      const unfair = curve.capacity!.map((c) =>
        c.strategy === 'pooled'
          ? { ...c, rows: c.rows.map((r, i) => (i === 2 ? { ...r, misses: [], generatorSaturated: true } : r)) }
          : c,
      );
      const [saturated] = aboveKnee(size, { ...curve, capacity: unfair });
      expect(saturated!.message).toMatch(/; the steps above it ran on a saturated load generator, so nothing fair/);
      expect(saturated!.remedy).toContain('with a load generator that keeps up');
    });
  });
});

describe('capacity report at the fleet’s peak', () => {
  const curveResult = readBenchFixture('bench-curve-result.json');
  const curve = { file: 'bench-curve-result.json', result: curveResult };
  const peak = 20_000;
  const text = renderCapacityMarkdown(size, [curve], { peakRatePerSec: peak });
  const peakPart = section(text, '## The fleet at its peak');

  /**
   * What each curve of the fixture needs at the peak, worked out from the fixture: ceil(peak ÷ knee) instances, each
   * holding what the server saw at the knee's step.
   */
  const expected = curveResult.capacity!.map((c) => {
    const step = curveResult.results.find((r) => r.label === `${c.label}@${c.kneeRatePerSec}`)!;
    const instances = Math.ceil(peak / c.kneeRatePerSec!);
    const perInstance = step.connections.serverPeakClients;
    return { curve: c, instances, perInstance, perNode: instances * perInstance, poolMax: step.pool?.max ?? null };
  });

  it('comes right after the plan’s inputs, before the pool per instance', () => {
    expect(text.indexOf('## The fleet at its peak')).toBeGreaterThan(text.indexOf('| fd limit |'));
    expect(text.indexOf('## The fleet at its peak')).toBeLessThan(text.indexOf('## Pool per instance'));
    expect(peakPart).toContain('At a peak of **20,000 req/s** (report --peak-rate)');
  });

  it('gives each strategy the instances its knee needs and the connections they open per node against maxclients', () => {
    const maxclients = size.inputs.fleet.maxclients;
    for (const { curve: c, instances, perInstance, perNode, poolMax } of expected) {
      expect(peakPart).toContain(
        row(
          c.label,
          formatCount(c.kneeRatePerSec!),
          formatCount(instances),
          formatCount(peak / instances),
          formatCount(perInstance),
          formatCount(perNode),
          formatPercent(perNode / maxclients),
          poolMax === null ? '–' : formatCount(poolMax),
          poolMax === null ? '–' : formatCount(instances * poolMax),
        ),
      );
    }
    // The comparison the section exists for: per-request needs more instances than the pool for the same peak.
    const [perRequest, pooled] = expected;
    expect(perRequest!.curve.strategy).toBe('per-request');
    expect(perRequest!.instances).toBeGreaterThan(pooled!.instances);
  });

  it('counts one instance of a curve that several served together: its share of the knee, the connections, the pool', () => {
    const merged = twoMachinesOf('bench-curve-result.json');
    const document = capacityReportDocument(size, [{ file: 'merged.json', result: merged }], { peakRatePerSec: peak });
    for (const [i, strategy] of document.peak!.strategies.entries()) {
      const c = merged.capacity![i]!;
      const step = merged.results.find((r) => r.label === `${c.label}@${c.kneeRatePerSec}`)!;
      expect(strategy.kneeRatePerSec).toBe(c.kneeRatePerSec! / 2);
      expect(strategy.instances).toBe(Math.ceil(peak / (c.kneeRatePerSec! / 2)));
      expect(strategy.connectionsPerInstance).toBe(Math.ceil(step.connections.serverPeakClients / 2));
      expect(strategy.poolMax).toBe(step.pool ? step.pool.max / 2 : null);
    }
    // The same instances as one machine's own curve needs: two copies of one run.
    expect(document.peak!.strategies.map((s) => s.instances)).toEqual(expected.map((e) => e.instances));
  });

  it('states the load one instance of a merged run measured: its workers, its share of the rate', () => {
    const one = measuredLoad(curve.result)!;
    const merged = measuredLoad(twoMachinesOf('bench-curve-result.json'))!;
    // Two copies of one run: each instance measured what the one machine did.
    expect(merged.workers).toBe(one.workers);
    expect(merged.ratePerSec).toBeCloseTo(one.ratePerSec!, 9);
    expect(one.source).toMatch(/^in its pooled\(max=50\)@\d+ run$/);
    expect(merged.source).toMatch(/^in its pooled\(2 × max=50\)@\d+ run, each of its 2 instances$/);
  });

  it('carries the same figures in the JSON, and null without a peak', () => {
    const document = capacityReportDocument(size, [curve], { peakRatePerSec: peak });
    expect(document.peak).toMatchObject({
      peakRatePerSec: peak,
      from: 'flag',
      maxclients: size.inputs.fleet.maxclients,
    });
    expect(document.peak!.strategies).toEqual(
      expected.map(({ curve: c, instances, perInstance, perNode, poolMax }) => ({
        file: 'bench-curve-result.json',
        label: c.label,
        strategy: c.strategy,
        slo: c.slo,
        kneeRatePerSec: c.kneeRatePerSec,
        instances,
        ratePerInstance: peak / instances,
        connectionsPerInstance: perInstance,
        poolMax,
        connectionsPerNode: perNode,
        maxclientsFraction: perNode / size.inputs.fleet.maxclients,
        connectionsPerNodeAtPoolMax: poolMax === null ? null : instances * poolMax,
      })),
    );
    // An older size document (no peak of its own) and no --peak-rate: no peak, no section.
    expect(capacityReportDocument(size, [curve]).peak).toBeNull();
    expect(capacityReportDocument(size, [curve]).plan.peak).toBeNull();
    expect(renderCapacityMarkdown(size, [curve])).not.toContain('## The fleet at its peak');
  });

  it('says a curve without a knee cannot serve the peak', () => {
    const kneeless = {
      ...curveResult,
      capacity: curveResult.capacity!.map((c) => (c.strategy === 'per-request' ? { ...c, kneeRatePerSec: null } : c)),
    };
    const markdown = renderCapacityMarkdown(size, [{ file: 'b.json', result: kneeless }], { peakRatePerSec: peak });
    const part = section(markdown, '## The fleet at its peak');
    expect(part).toContain('| per-request | no knee | – | – | – | – | – | – | – |');
    expect(part).toContain('per-request: no knee: cannot serve any of its steps within p99<5ms');
  });

  it('takes the plan’s own peak when the report is given none, and states the plan’s fleet', () => {
    const flags = withMeasured(sizeFlagsFromBench(curveResult, 'bench-curve-result.json'), { peakRatePerSec: 12_000 });
    const planned = recommendPoolSize(resolveSizeInputs(flags));
    const markdown = renderCapacityMarkdown(planned, [curve]);
    const part = section(markdown, '## The fleet at its peak');
    expect(part).toContain("At a peak of **12,000 req/s** (the plan's --peak-rate)");
    expect(part).toContain(
      `The plan: **Peak 12,000 req/s:** ${planned.peak!.instances} instances (each ${formatCount(12_000 / planned.peak!.instances)} req/s`,
    );
    expect(capacityReportDocument(planned, [curve]).peak?.from).toBe('plan');
    expect(capacityReportDocument(planned, [curve]).plan.peak).toEqual(planned.peak);
    // --peak-rate wins over the plan's.
    expect(capacityReportDocument(planned, [curve], { peakRatePerSec: peak }).peak).toMatchObject({
      peakRatePerSec: peak,
      from: 'flag',
    });
  });

  it('says how to measure a knee when no bench has a curve', () => {
    const part = section(renderCapacityMarkdown(size, [bench], { peakRatePerSec: peak }), '## The fleet at its peak');
    expect(part).toContain('no bench with a capacity curve');
    expect(part).not.toContain('| strategy |');
  });
});
