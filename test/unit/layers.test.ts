import { execFile } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';

const root = join(import.meta.dirname, '..', '..');
const configFile = join(root, '.dependency-cruiser.cjs');
const { LAYERS } = createRequire(import.meta.url)(configFile) as { LAYERS: { folder: string; holds: string }[] };
const depcruise = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

/** The check as `npm test` runs it, on a copy of src/ (with one file changed), from that copy's directory. */
async function checkLayers(plant: (dir: string) => void): Promise<{ ok: boolean; output: string }> {
  const dir = tempDir('layers');
  cpSync(join(root, 'src'), join(dir, 'src'), { recursive: true });
  cpSync(configFile, join(dir, '.dependency-cruiser.cjs'));
  writeFileSync(join(dir, 'tsconfig.json'), readFileSync(join(root, 'tsconfig.json')));
  plant(dir);
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [depcruise, 'src', '--config', '.dependency-cruiser.cjs'],
      { cwd: dir },
    );
    return { ok: true, output: stdout };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) };
  }
}

describe('the layers of src/', () => {
  it('name every folder of src/ once, and the loose files as one layer', () => {
    const folders = readdirSync(join(root, 'src')).filter((name) => statSync(join(root, 'src', name)).isDirectory());
    expect(
      LAYERS.map((l) => l.folder)
        .filter((f) => f !== '*.ts')
        .sort(),
    ).toEqual(folders.sort());
    expect(LAYERS.at(-1)!.folder).toBe('schema');
  });

  it("are CONTRIBUTING.md's layer list, line for line and in order", () => {
    const contributing = readFileSync(join(root, 'CONTRIBUTING.md'), 'utf8');
    const section = contributing.slice(contributing.indexOf('## Layers'));
    const block = section.slice(section.indexOf('```\n') + 4, section.indexOf('\n```', section.indexOf('```\n') + 4));
    const listed = block.split('\n').map((line) => line.match(/^src\/(\S+?)\/?\s{2,}(.+)$/)!.slice(1, 3));
    expect(listed).toEqual(LAYERS.map((l) => [l.folder, l.holds]));
  });

  it('hold in the tree as it is', async () => {
    const { ok, output } = await checkLayers(() => undefined);
    expect(output).toMatch(/no dependency violations found/);
    expect(ok).toBe(true);
  }, 60_000);

  // Four violations planted in one copy, each in a file of its own, and one run of the check finds each of them
  // (one run instead of four keeps `npm run test:unit` short).
  describe('fail on each violation planted', () => {
    let planted: { ok: boolean; output: string };
    const plant = (dir: string, path: string[], lines: string) => appendFileSync(join(dir, 'src', ...path), lines);
    beforeAll(async () => {
      planted = await checkLayers((dir) => {
        plant(
          dir,
          ['bench', 'findings', 'sweep.ts'],
          "\nimport { runBench } from '../runner.js';\nexport const planted = runBench;\n",
        );
        const progress =
          "\nimport type { ProgressSnapshot } from '../run/progress.js';\nexport type Planted = ProgressSnapshot;\n";
        plant(dir, ['bench', 'strategies', 'pooled.ts'], progress);
        plant(
          dir,
          ['schema', 'warning.ts'],
          "\nimport type { Style } from '../report/style.js';\nexport type Planted = Style;\n",
        );
        const hdr =
          "\nimport { decodeFromCompressedBase64 } from 'hdr-histogram-js';\nexport const planted = decodeFromCompressedBase64;\n";
        plant(dir, ['report', 'exports.ts'], hdr);
      });
    }, 60_000);

    it('the check fails', () => expect(planted.ok).toBe(false));

    it('a file cycle', () => expect(planted.output).toMatch(/no-circular: src\/bench\/findings\/sweep\.ts →/));

    it('a cycle between two folders, where no two files form one', () => {
      expect(planted.output).toMatch(
        /no-circular-folders: src\/bench\/(run →\s+src\/bench\/strategies|strategies →\s+src\/bench\/run)/,
      );
      expect(planted.output).not.toMatch(/no-circular: src\/bench\/strategies\/pooled\.ts/);
    });

    it('an import of a higher layer', () =>
      expect(planted.output).toMatch(/layer-schema: src\/schema\/warning\.ts → src\/report\/style\.ts/));

    it('an import of hdr-histogram-js outside src/histograms.ts', () =>
      expect(planted.output).toMatch(/histograms-only: src\/report\/exports\.ts → (node_modules\/)?hdr-histogram-js/));
  });
});
