#!/usr/bin/env node
// npm run bench:fidelity: does a pool-size sweep agree with the sizing model where the model's assumptions hold?
// Runs two sweeps against a throwaway redis-server (the built CLI starts and stops it), prints measured and
// predicted P(wait) per row with their difference, and the generator's own lateness, and writes it all to
// bench-fidelity.json. A benchmark, not a test: it reports, it does not fail on a figure.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, root } from './lib/kit.mjs';

const duration = process.env.FIDELITY_DURATION ?? '8s';

const sweeps = [
  {
    name: '20 workers × 10 % × 10 GETs per request',
    args: [
      '--strategy',
      'pooled',
      '--concurrency',
      '20',
      '--utilization',
      '0.1',
      '--pool-size',
      '2,3,4,5',
      '--commands-per-request',
      '10',
      '--duration',
      duration,
      '--warmup',
      '1s',
    ],
  },
  {
    name: 'scenarios/api.yaml (20 workers × 10 %, GET/SET mix, 2 commands per request)',
    args: [
      '--scenario',
      join(root, 'scenarios', 'api.yaml'),
      '--strategy',
      'pooled',
      '--pool-size',
      '2..8:2',
      '--duration',
      duration,
      '--warmup',
      '1s',
    ],
  },
];

const env = { ...process.env, REDIS_URL: '' };
const pct = (p) => `${(p * 100).toFixed(1)} %`;
const signed = (x) => (x >= 0 ? '+' : '') + x.toFixed(3);
const report = { startedAt: new Date().toISOString(), duration, sweeps: [] };
let worst = 0;
let worstLoadDependent = 0;
for (const sweep of sweeps) {
  const result = JSON.parse(
    execFileSync(process.execPath, [cli, 'bench', ...sweep.args, '--json'], {
      env,
      maxBuffer: 64 * 1024 * 1024,
    }).toString(),
  );
  console.log(
    `\n${sweep.name}\n  redis-pool bench ${sweep.args.map((a) => (a.startsWith(root) ? a.slice(root.length + 1) : a)).join(' ')}`,
  );
  console.log(
    '  pool   req/s  model req/s   u      hold ms  P(wait) measured  predicted  difference  with holds by load  difference  wake p50/p99 µs',
  );
  const rows = [];
  for (const row of result.sweep.rows) {
    const run = result.results.find((r) => r.label === row.label);
    const { difference } = row;
    worst = Math.max(worst, Math.abs(difference));
    const loadDependent = row.loadDependentPredictedWaitProbability;
    if (loadDependent !== undefined)
      worstLoadDependent = Math.max(worstLoadDependent, Math.abs(row.waitProbability - loadDependent));
    const lateness = run.generator?.wakeLateness;
    // What the load model asks for: each of the workers holds a connection u of its time, a hold at a time.
    const modelThroughput = (result.config.concurrency * run.load.modelUtilization * 1000) / run.load.holdMeanMs;
    rows.push({
      poolSize: row.poolSize,
      throughput: row.throughput,
      utilization: run.load.modelUtilization,
      holdMs: run.load.holdMeanMs,
      measured: row.waitProbability,
      predicted: row.predictedWaitProbability,
      difference,
      modelThroughput,
      loadDependentPredicted: loadDependent ?? null,
      holdByBusy: run.load.holdByBusy ?? null,
      generator: run.generator,
    });
    console.log(
      `  ${String(row.poolSize).padStart(4)}  ${row.throughput.toFixed(0).padStart(6)}` +
        `  ${modelThroughput.toFixed(0).padStart(11)}  ${pct(run.load.modelUtilization).padStart(6)}` +
        `  ${run.load.holdMeanMs.toFixed(3).padStart(7)}  ${pct(row.waitProbability).padStart(16)}` +
        `  ${pct(row.predictedWaitProbability).padStart(9)}  ${(difference >= 0 ? '+' : '') + difference.toFixed(3)}` +
        `      ${loadDependent === undefined ? '               –' : pct(loadDependent).padStart(16)}` +
        `      ${loadDependent === undefined ? '–' : signed(row.waitProbability - loadDependent)}` +
        `      ${lateness ? `${lateness.p50Us}/${lateness.p99Us}` : '–'}`,
    );
  }
  const warnings = result.warnings.filter((w) => w.code === 'generator-saturated').map((w) => w.message);
  for (const message of warnings) console.log(`  warning: ${message}`);
  report.sweeps.push({ name: sweep.name, args: sweep.args, rows, warnings });
}
report.worstDifference = worst;
report.worstLoadDependentDifference = worstLoadDependent;
console.log(`\nworst |measured − predicted| P(wait): ${worst.toFixed(3)} (target ≤ 0.03)`);
console.log(
  `worst |measured − predicted with the holds measured at each load| P(wait): ${worstLoadDependent.toFixed(3)}`,
);
const out = join(root, 'bench-fidelity.json');
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`written to ${out}`);
