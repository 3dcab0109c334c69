import { describe, expect, it } from 'vitest';
import { toPrometheus } from '../../src/report/prometheus.js';
import { readBenchFixture } from '../helpers/fixtures.js';
import { promtoolCheckMetrics } from '../helpers/promtool.js';

// The export is checked by the tool that consumes it: Prometheus' own promtool (an outside program, hence here
// and not among the unit tests).
describe('Prometheus export, read by promtool', () => {
  it.each(['bench-result.json', 'bench-sweep-result.json'])(
    'passes promtool check metrics (Prometheus naming rules) for %s',
    (name) => {
      const check = promtoolCheckMetrics(toPrometheus(readBenchFixture(name)));
      expect(check.output).toBe('');
      expect(check.exitCode).toBe(0);
    },
  );
});
