import { describe, expect, it } from 'vitest';
import { renderBenchHtml } from '../../../src/report/bench-html.js';
import { renderBenchMarkdown } from '../../../src/report/bench-markdown.js';
import { renderBenchTable } from '../../../src/report/bench-terminal.js';
import { capacityReportDocument } from '../../../src/report/capacity-json.js';
import { renderCapacityMarkdown } from '../../../src/report/capacity-markdown.js';
import { renderObserveMarkdown } from '../../../src/report/observe-markdown.js';
import { renderObserveTable } from '../../../src/report/observe-terminal.js';
import { plainStyle } from '../../../src/report/style.js';
import type { BenchResult } from '../../../src/schema/bench.js';
import type { ObserveResult } from '../../../src/schema/observe.js';
import { readBenchFixture, readFixture, readSizeFixture } from '../../helpers/fixtures.js';

// The fixtures were written before the server was recorded (redisVersion only): they stand for an older file. A
// copy of each says what the tool now writes against Valkey 8, whose redis_version is 7.2.4.
const VALKEY = { name: 'valkey', version: '8.0.1' };

const olderBench = readBenchFixture('bench-result.json');
const valkeyBench: BenchResult = {
  ...olderBench,
  target: { ...olderBench.target, redisVersion: '7.2.4', server: VALKEY },
};
const olderObserve = readFixture<ObserveResult>('observe-result.json');
const valkeyObserve: ObserveResult = {
  ...olderObserve,
  target: { ...olderObserve.target, server: VALKEY },
  server: { ...olderObserve.server, redisVersion: '7.2.4' },
};
const size = readSizeFixture('size-result.json');

function benchOutputs(result: BenchResult): Record<string, string> {
  return {
    terminal: renderBenchTable(result),
    markdown: renderBenchMarkdown(result),
    html: renderBenchHtml(result, ''),
    report: renderCapacityMarkdown(size, [{ file: 'bench.json', result }]),
  };
}

describe('every output names the server by its own name and version', () => {
  it('bench terminal, Markdown, HTML and the capacity report: Valkey 8.0.1, never its redis_version', () => {
    for (const [output, text] of Object.entries(benchOutputs(valkeyBench))) {
      expect(text, output).toContain(`Valkey 8.0.1 at ${valkeyBench.target.url}`);
      expect(text, output).not.toContain('Redis 7.2.4');
    }
    expect(
      capacityReportDocument(size, [{ file: 'bench.json', result: valkeyBench }]).evidence[0]!.target,
    ).toMatchObject({ redisVersion: '7.2.4', server: VALKEY });
  });

  it('an older bench result, with no server recorded, still reads as Redis at its redisVersion', () => {
    expect(olderBench.target.server).toBeUndefined();
    for (const [output, text] of Object.entries(benchOutputs(olderBench)))
      expect(text, output).toContain(`Redis ${olderBench.target.redisVersion} at ${olderBench.target.url}`);
    expect(
      capacityReportDocument(size, [{ file: 'bench.json', result: olderBench }]).evidence[0]!.target.server,
    ).toEqual({ name: 'redis', version: olderBench.target.redisVersion });
  });

  it('observe terminal and Markdown: Valkey 8.0.1; an older document Redis at its redisVersion', () => {
    for (const text of [renderObserveTable(valkeyObserve, plainStyle), renderObserveMarkdown(valkeyObserve)]) {
      expect(text).toContain(`Valkey 8.0.1 at ${valkeyObserve.target.url}, observed read-only`);
      expect(text).not.toContain('Redis 7.2.4');
    }
    expect(olderObserve.target.server).toBeUndefined();
    for (const text of [renderObserveTable(olderObserve, plainStyle), renderObserveMarkdown(olderObserve)])
      expect(text).toContain(`Redis ${olderObserve.server.redisVersion} at ${olderObserve.target.url}`);
  });
});
