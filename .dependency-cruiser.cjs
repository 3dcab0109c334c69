// The layers of src/, top to bottom: a module may import only from its own layer or the ones below it, and no
// two files may import each other, however indirectly. `npm test` runs this check (npm run check:layers); the
// Layers section of CONTRIBUTING.md lists the same layers, and test/unit/layers.test.ts keeps the two in step.
const LAYERS = [
  {
    folder: 'cli',
    holds: 'commander program, one file per command, the outputs a command writes, progress; the only place that exits',
  },
  { folder: 'report', holds: 'reporters: terminal, Markdown, HTML, exports; one section model, many renderers' },
  {
    folder: 'bench',
    holds:
      'the runner; by concern: config, strategies, faults, run (the load loop), findings, gates, cluster, scale-out',
  },
  { folder: 'anatomy', holds: 'per-phase connection-setup timing' },
  {
    folder: 'observe',
    holds: 'reading a live server read-only: access checks, samples, client groups, findings, estimates',
  },
  { folder: 'sizing', holds: 'pure maths: the formula, finite-source, Erlang C, the fleet budget' },
  { folder: 'pool', holds: 'the instrumented connection pool' },
  { folder: 'redis', holds: 'connection options (URL, TLS), INFO parsing, the throwaway server, error wording' },
  {
    folder: '*.ts',
    holds:
      'small shared leaves: values (parsing), format, histograms, scheduler, clock, errors, version, ' +
      "documents (reading results back), step-labels (the names of a capacity curve's steps)",
  },
  {
    folder: 'schema',
    holds:
      'the result documents (bench, size, observe, anatomy): zod schemas and the types derived from them; imports nothing',
  },
];

const pathOf = (folder) => (folder === '*.ts' ? '^src/[^/]+\\.ts$' : `^src/${folder}/`);

const layerRules = LAYERS.map((layer, index) => ({
  name: `layer-${layer.folder === '*.ts' ? 'leaves' : layer.folder}`,
  comment: `${layer.folder} may import only from the layers below it`,
  severity: 'error',
  from: { path: pathOf(layer.folder) },
  to: { path: LAYERS.slice(0, index).map((above) => pathOf(above.folder)) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'no import cycle between files',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      comment:
        'no import cycle between folders either (bench/run may use bench/strategies, never the other way as well)',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...layerRules.filter((rule) => rule.to.path.length > 0),
    {
      name: 'histograms-only',
      comment: 'src/histograms.ts is the one module that builds, encodes, decodes and reads HDR histograms',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/histograms\\.ts$' },
      // Resolved into node_modules, or by its bare name where node_modules is missing (the layer test's copy).
      to: { path: '(^|node_modules/)hdr-histogram-js(/|$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports are layering too.
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
// Read by test/unit/layers.test.ts (dependency-cruiser rejects unknown keys, so it is not on the exports).
Object.defineProperty(module.exports, 'LAYERS', { value: LAYERS, enumerable: false });
