import { describe, expect, it } from 'vitest';
import type { SweepResult, SweepRow } from '../../../src/schema/bench.js';
import { renderSectionMarkdown, renderSectionTerminal, type Cell } from '../../../src/report/section.js';
import {
  agreementLine,
  formatPoints,
  loadDependentAgreementLine,
  sweepSection,
} from '../../../src/report/sweep-section.js';
import { colourStyle, plainStyle } from '../../../src/report/style.js';
import { readBenchFixture, withGenerator } from '../../helpers/fixtures.js';

const lineText = (line: string | Cell | undefined): string => (typeof line === 'object' ? line.text : String(line));

/** The real sweep fixture (8 workers at u = 40 %, pools 1..6) as the tool writes it now: per-row predictions. */
const sweep = withGenerator(readBenchFixture('bench-sweep-result.json')).sweep!;
/** The same file as it was written before the rows carried their load, difference and verdict. */
const oldSweep = readBenchFixture('bench-sweep-result.json').sweep!;

const texts = (cells: { text: string }[]): string[] => cells.map((c) => c.text);

function row(
  poolSize: number,
  waitProbability: number,
  predictedWaitProbability: number,
  extra: Partial<SweepRow> = {},
): SweepRow {
  return {
    poolSize,
    label: `pooled(max=${poolSize})`,
    throughput: 1000,
    waitProbability,
    acquireP50: 0.01,
    acquireP99: 0.2,
    predictedWaitProbability,
    model: 'finite-source',
    ...extra,
  };
}

describe('the sweep section', () => {
  it('writes differences in signed percentage points', () => {
    expect(formatPoints(0.2214)).toBe('+22.1 pts');
    expect(formatPoints(-0.004)).toBe('-0.4 pts');
    expect(formatPoints(0.0004)).toBe('0.0 pts');
    expect(formatPoints(-0.0004)).toBe('0.0 pts');
  });

  it("has, per pool size, the row's load, measured and predicted P(wait), their difference and a mark where they disagree", () => {
    const section = sweepSection(sweep);
    expect(section.head.map((h) => h.replaceAll('\n', ' '))).toEqual([
      'pool size',
      'req/s',
      'u',
      'hold ms',
      'P(wait) measured',
      'P(wait) finite-source',
      'difference',
      'within ±3 pts',
      'acquire p50 ms',
      'acquire p99 ms',
      'marks',
    ]);
    expect(section.rows).toHaveLength(6);
    // Pool 3 of the fixture: 88 % measured at u = 40 %, where the model says 65.9 %.
    const three = section.rows[2]!;
    expect(texts(three)).toEqual([
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
      '',
    ]);
    expect(three[7]!.tone).toBe('bad');
    expect(texts(section.rows[0]!).slice(6, 8)).toEqual(['0.0 pts', '✓']);
    expect(section.rows[0]![7]!.tone).toBe('good');
    expect(texts(section.rows[3]!).at(-1)).toBe('formula');
  });

  it('says under the table how many rows agree and the worst difference, then the inputs', () => {
    const [agreement, inputs] = sweepSection(sweep).notes;
    expect(agreement).toBe(
      '2 of 6 rows agree with the model within ±3 pts (measured − predicted P(wait)); the worst difference is +62.2 pts, at pool 5 (✗).',
    );
    expect(inputs).toBe(
      'Model inputs measured in the runs: ' +
        "finite-source with 8 workers at each row's own u and hold (means over the rows: " +
        'u = 40 %, hold 0.1 ms). Formula pool (no buffer): 4; model pool for ≤ 1 % waits: 7.',
    );
    const agreeing: SweepResult = { ...sweep, rows: [row(2, 0.5, 0.49), row(3, 0.2, 0.22)] };
    expect(agreementLine(agreeing)).toBe(
      'All 2 rows agree with the model within ±3 pts (measured − predicted P(wait)); the worst difference is -2.0 pts, at pool 3.',
    );
  });

  it('puts the prediction with the holds measured at each load beside the plain one, with its own verdict and line', () => {
    const byLoad: SweepResult = {
      ...sweep,
      rows: [
        row(2, 0.792, 0.765, {
          difference: 0.027,
          agrees: true,
          loadDependentPredictedWaitProbability: 0.76,
          loadDependentDifference: 0.032,
        }),
        row(4, 0.19, 0.127, {
          difference: 0.063,
          agrees: false,
          loadDependentPredictedWaitProbability: 0.184,
          loadDependentDifference: 0.006,
        }),
      ],
    };
    const section = sweepSection(byLoad);
    expect(section.head.slice(6, 11).map((h) => h.replaceAll('\n', ' '))).toEqual([
      'difference',
      'within ±3 pts',
      'P(wait) holds by load',
      'difference by load',
      'acquire p50 ms',
    ]);
    expect(texts(section.rows[0]!).slice(8, 10)).toEqual(['76 %', '+3.2 pts ✗']);
    expect(section.rows[0]![9]!.tone).toBe('bad');
    expect(texts(section.rows[1]!).slice(6, 10)).toEqual(['+6.3 pts', '✗', '18.4 %', '+0.6 pts ✓']);
    expect(section.rows[1]![9]!.tone).toBe('good');
    expect(section.notes[1]).toBe(loadDependentAgreementLine(byLoad));
    expect(section.notes[1]).toBe(
      'With the holds measured at each number of busy connections, 1 of 2 rows agree within ±3 pts; the worst difference is +3.2 pts, at pool 2 (✗).',
    );
    // A sweep whose rows carry no such prediction (open loop, or older files) keeps its columns.
    expect(sweepSection(sweep).head).toHaveLength(11);
  });

  it('follows the tolerance the result recorded', () => {
    const strict: SweepResult = {
      ...sweep,
      tolerance: 0.01,
      rows: [row(2, 0.5, 0.48, { difference: 0.02, agrees: false })],
    };
    const section = sweepSection(strict);
    expect(section.head[7]).toBe('within\n±1 pts');
    expect(texts(section.rows[0]!)[7]).toBe('✗');
  });

  it('shows the offered load of each row for Erlang C (rate × its hold)', () => {
    const open: SweepResult = {
      ...sweep,
      model: 'erlang-c',
      ratePerSec: 4000,
      rows: [row(3, 0.4, 0.35, { model: 'erlang-c', holdMs: 0.5, utilization: 1, difference: 0.05, agrees: false })],
    };
    const section = sweepSection(open);
    expect(section.head.slice(2, 6)).toEqual(['offered\nload', 'hold\nms', 'P(wait)\nmeasured', 'P(wait)\nerlang-c']);
    expect(texts(section.rows[0]!).slice(2, 8)).toEqual(['2', '0.500', '40 %', '35 %', '+5.0 pts', '✗']);
    expect(section.notes[1]).toContain("Erlang C with 4,000 requests/s × each row's own mean hold");
  });

  it('reads a result written before the rows carried their load: dashes, the difference of the two P(wait)s, the default tolerance', () => {
    expect(oldSweep.tolerance).toBeUndefined();
    const section = sweepSection(oldSweep);
    const three = texts(section.rows[2]!);
    expect(three.slice(2, 8)).toEqual(['–', '–', '88 %', '66 %', '+22.0 pts', '✗']);
    expect(section.notes[1]).toContain('finite-source with 8 workers at u = 40 % (mean hold 0.1 ms)');
  });

  it('renders the same section as a terminal table and as Markdown', () => {
    const section = sweepSection(sweep);
    const terminal = renderSectionTerminal(section, plainStyle);
    expect(terminal.split('\n')[0]).toBe('Pool-size sweep: measured waits beside the model');
    expect(terminal).toMatch(/│ 3 {4}│ 27,330 │ +40 % │ +0\.079 │ +88 % │ +65\.9 % │ +\+22\.1 pts │ +✗ │/);
    expect(terminal).toContain(section.notes[0]);
    expect(renderSectionTerminal(section, colourStyle(true))).toContain('\u001b[31m✗');

    const md = renderSectionMarkdown(section);
    expect(md).toContain(
      '## Pool-size sweep: measured waits beside the model\n\n| pool size | req/s | u | hold ms | P(wait) ' +
        'measured | P(wait) finite-source | difference | within ±3 pts |',
    );
    expect(md).toContain('| 3 | 27,330 | 40 % | 0.079 | 88 % | 65.9 % | +22.1 pts | ✗ | 0.067 | 0.274 |  |');
    expect(md).toContain(`${lineText(section.notes[0])}  \n${lineText(section.notes[1])}`);
    expect(renderSectionMarkdown(section, null).startsWith('| pool size |')).toBe(true);
  });
});
