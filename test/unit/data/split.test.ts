import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../src/core/data/random';
import { proportionalCounts, resolveSplitCounts, splitIndices, stratifiedSplitIndices, takeRows, takeValues } from '../../../src/core/data/split';
import { applyNormalizer, featureBounds, fitNormalizer } from '../../../src/core/data/normalize';
import { bootstrapIndices, featureCount, featureSubset, selectColumns } from '../../../src/core/data/resample';
import { DataError } from '../../../src/core/data/errors';

test('resolveSplitCounts: fraction, explicit counts, one count given (other capped), impossible requests', () => {
  assert.deepEqual(resolveSplitCounts(1000, { testFraction: 0.3 }), { nTrain: 700, nTest: 300 });
  assert.deepEqual(resolveSplitCounts(150, { testFraction: 0.3 }), { nTrain: 105, nTest: 45 });
  assert.deepEqual(resolveSplitCounts(1000, { train: 100, test: 50, testFraction: 0.3 }), { nTrain: 100, nTest: 50 });
  assert.deepEqual(resolveSplitCounts(1000, { train: 600, testFraction: 0.3 }), { nTrain: 600, nTest: 300 });
  assert.deepEqual(resolveSplitCounts(1000, { train: 900, testFraction: 0.3 }), { nTrain: 900, nTest: 100 });
  assert.deepEqual(resolveSplitCounts(1000, { test: 100, testFraction: 0.3 }), { nTrain: 700, nTest: 100 });
  assert.deepEqual(resolveSplitCounts(1000, { test: 500, testFraction: 0.3 }), { nTrain: 500, nTest: 500 });
  // Same numbers as the config's resolveSplit for the 80/20 default.
  assert.deepEqual(resolveSplitCounts(10000, { train: 9000, testFraction: 0.2 }), { nTrain: 9000, nTest: 1000 });
  assert.throws(() => resolveSplitCounts(100, { train: 90, test: 20, testFraction: 0.3 }), /cannot take 90 training and 20 test rows out of 100/);
  assert.throws(() => resolveSplitCounts(100, { testFraction: 1 }), DataError);
  assert.throws(() => resolveSplitCounts(100, { train: 2.5, testFraction: 0.2 }), /train must be a positive integer/);
});

test('splitIndices: requested sizes, disjoint, deterministic per seed', () => {
  const a = splitIndices(50, { nTrain: 30, nTest: 15 }, createRng(1));
  assert.equal(a.train.length, 30);
  assert.equal(a.test.length, 15);
  const all = new Set([...a.train, ...a.test]);
  assert.equal(all.size, 45, 'no index in both sets, none repeated');
  assert.ok([...all].every((i) => i >= 0 && i < 50));
  const b = splitIndices(50, { nTrain: 30, nTest: 15 }, createRng(1));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.test, splitIndices(50, { nTrain: 30, nTest: 15 }, createRng(2)).test);
});

test('stratifiedSplitIndices keeps class proportions in both sets', () => {
  // 60 of class 0, 30 of class 1, 10 of class 2.
  const y = [...new Array(60).fill(0), ...new Array(30).fill(1), ...new Array(10).fill(2)];
  const { train, test } = stratifiedSplitIndices(y, { nTrain: 80, nTest: 20 }, createRng(3));
  const hist = (idx: Int32Array): number[] => [0, 1, 2].map((k) => [...idx].filter((i) => y[i] === k).length);
  assert.deepEqual(hist(test), [12, 6, 2]);
  assert.deepEqual(hist(train), [48, 24, 8]);
  assert.equal(new Set([...train, ...test]).size, 100);
  // Subsampling: fewer rows than available, still proportional.
  const sub = stratifiedSplitIndices(y, { nTrain: 40, nTest: 10 }, createRng(3));
  assert.deepEqual(hist(sub.test), [6, 3, 1]);
  assert.deepEqual(hist(sub.train), [24, 12, 4]);
  assert.equal(new Set([...sub.train, ...sub.test]).size, 50);
  assert.deepEqual(proportionalCounts([5, 5, 5], 4), [2, 1, 1]);
});

test('takeRows / takeValues select rows in index order', () => {
  const x = Float32Array.from([0, 1, 10, 11, 20, 21]);
  assert.deepEqual(takeRows(x, 2, [2, 0]), Float32Array.from([20, 21, 0, 1]));
  assert.deepEqual(takeValues(Float32Array.from([5, 6, 7]), [1, 1, 2]), Float32Array.from([6, 6, 7]));
});

test('standard normalisation is fitted on train only and applied to test (by hand)', () => {
  // Train feature 0: [1, 3, 5] -> mean 3, population std sqrt(8/3); feature 1 constant 2 -> scale 1.
  const xTrain = Float32Array.from([1, 2, 3, 2, 5, 2]);
  const xTest = Float32Array.from([7, 4]);
  const norm = fitNormalizer(xTrain, 3, 2, 'standard');
  const sd = Math.sqrt(8 / 3);
  assert.ok(Math.abs(norm.shift[0] - 3) < 1e-6 && Math.abs(norm.scale[0] - sd) < 1e-6);
  assert.deepEqual([norm.shift[1], norm.scale[1]], [2, 1]);
  const t = applyNormalizer(xTest, 2, norm);
  assert.ok(Math.abs(t[0] - 4 / sd) < 1e-6, 'test uses the train mean and std');
  assert.equal(t[1], 2);
  const tr = applyNormalizer(xTrain, 2, norm);
  assert.ok(Math.abs(tr[0] + 2 / sd) < 1e-6 && Math.abs(tr[4] - 2 / sd) < 1e-6);
  assert.deepEqual(xTrain, Float32Array.from([1, 2, 3, 2, 5, 2]), 'input left alone');
});

test('minmax normalisation maps train to [0,1]; test may fall outside', () => {
  const xTrain = Float32Array.from([2, -1, 4, 1, 6, 3]);
  const norm = fitNormalizer(xTrain, 3, 2, 'minmax');
  assert.deepEqual(Array.from(applyNormalizer(xTrain, 2, norm)), [0, 0, 0.5, 0.5, 1, 1]);
  assert.deepEqual(Array.from(applyNormalizer(Float32Array.from([8, -3]), 2, norm)), [1.5, -0.5]);
  const none = fitNormalizer(xTrain, 3, 2, 'none');
  assert.deepEqual(applyNormalizer(xTrain, 2, none), xTrain);
});

test('featureBounds are per-feature min and max', () => {
  const b = featureBounds(Float32Array.from([1, 9, -2, 4, 3, 5]), 3, 2);
  assert.deepEqual(Array.from(b.lower), [-2, 4]);
  assert.deepEqual(Array.from(b.upper), [3, 9]);
});

test('bootstrapIndices: n draws with replacement, seeded', () => {
  const a = bootstrapIndices(1000, 7);
  assert.equal(a.length, 1000);
  assert.deepEqual(a, bootstrapIndices(1000, 7));
  assert.notDeepEqual(a, bootstrapIndices(1000, 8));
  // Expected distinct fraction 1 - (1 - 1/n)^n ~ 0.632.
  const distinct = new Set(a).size / 1000;
  assert.ok(Math.abs(distinct - 0.632) < 0.04, `distinct ${distinct}`);
  assert.equal(bootstrapIndices(10, 1, 25).length, 25);
});

test('featureSubset: fraction or count, sorted, distinct, seeded', () => {
  assert.equal(featureCount(10, 0.5), 5);
  assert.equal(featureCount(10, 0.01), 1);
  assert.equal(featureCount(10, 1), 10);
  assert.equal(featureCount(10, 3), 3);
  assert.throws(() => featureCount(10, 11), DataError);
  assert.throws(() => featureCount(10, 0), DataError);
  const s = featureSubset(10, 0.4, 3);
  assert.equal(s.length, 4);
  assert.deepEqual([...s], [...s].sort((a, b) => a - b));
  assert.equal(new Set(s).size, 4);
  assert.deepEqual(s, featureSubset(10, 0.4, 3));
  const seen = new Set<string>();
  for (let seed = 0; seed < 20; seed++) seen.add(featureSubset(10, 4, seed).join(','));
  assert.ok(seen.size > 10, 'seeds pick different subsets');
  assert.deepEqual(selectColumns(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3, [2, 0]), Float32Array.from([3, 1, 6, 4]));
});
