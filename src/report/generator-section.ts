import { generatorSaturation } from '../bench/findings/generator-health.js';
import type { StrategyResult } from '../schema/bench.js';
import { formatCount, formatFixedMs, formatPercent } from '../format.js';
import { cell, type Cell, type TableSection } from './section.js';

export const GENERATOR_TITLE = 'Load generator: how much it distorted the load';

const dash = '–';

/** What each figure of the section means: stated in the Markdown report beside the other definitions. */
export const GENERATOR_DEFINITIONS = [
  "**load generator**: the tool's own health over the window. **event loop busy**: " +
    'share of the window its event loop was busy (`eventLoopUtilization`; ' +
    'the scheduler keeps it busy on purpose while it waits for an exact wake-up time). ' +
    '**loop lag p99**: p99 of the event-loop delay (`monitorEventLoopDelay`).',
  '**late p50 … max**: how long after its intended time a scheduled wake-up (the end of a think time, ' +
    'an open-loop start) fired, in µs; in a pooled run a p90 above half the mean ' +
    'hold or a p99 above two holds makes the run an unfair test of the model ' +
    "(a `generator-saturated` warning). **CPU**: the process's user + system time over the window, " +
    'and that per second of wall time (100 % = one core).',
  '**the generator as the bottleneck** (a `generator-saturated` warning, the figure marked): ' +
    'where the scheduler had almost nothing to wait for (a closed loop without think time, ' +
    'an open loop behind its schedule), an event loop busy 90 % or more, ' +
    'or a loop lag p99 of at least half the request latency p99 (and 1 ms); ' +
    'in an open loop that kept its schedule, a late-start p99 of at least half the latency p99. ' +
    "The warning gives the share of the mean latency that was the generator's own waiting (the loop's " +
    'mean delay, and in an open loop the mean late start, over the mean latency: a lower bound).',
];

/**
 * The generator's own health per run: how busy its event loop was and how late the scheduled wake-ups fired
 * (a run whose lateness crossed the generator-saturated limits has those cells marked), and its CPU. Null when no
 * run recorded it (results written before it was); a run without it shows dashes.
 */
export function generatorSection(results: StrategyResult[]): TableSection | null {
  if (!results.some((r) => r.generator)) return null;
  const head = [
    'run',
    'event loop\nbusy',
    'loop lag\np99 ms',
    'wake-ups',
    'late p50\nµs',
    'late p90\nµs',
    'late p99\nµs',
    'late max\nµs',
    'CPU ms',
    'CPU\n(of a core)',
  ];
  const rows = results.map((r): Cell[] => {
    const g = r.generator;
    if (!g) return [cell(r.label, 'name'), ...head.slice(1).map(() => cell(dash))];
    const late = g.wakeLateness;
    const reasons = generatorSaturation(r)?.reasons ?? [];
    const tone = (marked: boolean): 'bad' | undefined => (marked ? 'bad' : undefined);
    const lateCell = (us: number | undefined, marked: boolean): Cell =>
      us === undefined ? cell(dash) : cell(formatCount(us), tone(marked));
    return [
      cell(r.label, 'name'),
      cell(formatPercent(g.eventLoopUtilization), tone(reasons.includes('busy-loop'))),
      cell(formatFixedMs(g.lagP99Ms), tone(reasons.includes('loop-lag'))),
      cell(late ? formatCount(late.count) : dash),
      lateCell(late?.p50Us, false),
      lateCell(late?.p90Us, reasons.includes('late-wake-ups')),
      lateCell(late?.p99Us, reasons.includes('late-wake-ups') || reasons.includes('late-starts')),
      lateCell(late?.maxUs, false),
      cell(formatCount(g.cpuMs)),
      cell(formatPercent(g.cpuShare)),
    ];
  });
  const notes = [
    'late: how long after its intended time a scheduled wake-up (a think time ending, an open-loop start) fired; "–" where none was scheduled. ' +
      'In a pooled run, a p90 above half the mean hold, or a p99 above two holds, is a generator-saturated warning; so is, where nothing was scheduled, ' +
      'a loop 90 % busy or a loop lag p99 of half the latency p99 (marked in red).',
  ];
  return { title: GENERATOR_TITLE, head, rows, textColumns: 1, notes };
}
