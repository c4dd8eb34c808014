// Options and cost controls: determinism, budgets that switch to seeded subsets (and say so),
// the size grid, selection variants, PRNG streams.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeEnsemble } from '../../../src/core/analysis/analyze.js';
import { sizeGrid, percentile, diminishingReturns } from '../../../src/core/analysis/contributions.js';
import { mulberry32, permutation, foldIds } from '../../../src/core/analysis/random.js';
import type { ClassificationAnalysis } from '../../../src/core/analysis/types.js';
import type { EnsembleOutputs } from '../../../src/core/outputs.js';

function outputs(n: number, m: number, c: number): EnsembleOutputs {
  const rng = mulberry32(11);
  const labels = Float32Array.from({ length: n }, () => Math.floor(rng() * c));
  return {
    task: 'classification', labels, numClasses: c, nTest: n,
    members: Array.from({ length: m }, (_, i) => {
      const v = new Float32Array(n * c);
      for (let t = 0; t < n; t++) {
        let s = 0;
        for (let k = 0; k < c; k++) { const g = -Math.log(rng() + 1e-9) * (k === labels[t] ? 1.5 + i / m : 1); v[t * c + k] = g; s += g; }
        for (let k = 0; k < c; k++) v[t * c + k] /= s;
      }
      return { id: `m${i}`, values: v };
    }),
  };
}

const o = outputs(400, 12, 5);

test('same seed, same report; another seed changes only the random parts', () => {
  const a = JSON.stringify(analyzeEnsemble(o, { seed: 3 }));
  assert.equal(JSON.stringify(analyzeEnsemble(o, { seed: 3 })), a);
  const r1 = analyzeEnsemble(o, { seed: 3 }) as ClassificationAnalysis;
  const r2 = analyzeEnsemble(o, { seed: 4 }) as ClassificationAnalysis;
  assert.deepEqual(r1.diversity, r2.diversity);
  assert.notDeepEqual(r1.contributions.sizeCurve.random, r2.contributions.sizeCurve.random);
  // the full-size point does not depend on the order
  const last = (r: ClassificationAnalysis) => r.contributions.sizeCurve.random.nll.at(-1)!.mean;
  assert.ok(Math.abs(last(r1) - r1.ensemble.nll) < 1e-12 && Math.abs(last(r2) - r1.ensemble.nll) < 1e-12);
});

test('budgets switch to seeded subsets and report the sample counts', () => {
  const r = analyzeEnsemble(o, { divergenceBudget: 66 * 5 * 50, sizeCurveBudget: 20 * 12 * 5 * 100, greedyBudget: 12 * 400 * 3, stackingMaxSamples: 150 }) as ClassificationAnalysis;
  assert.equal(r.diversity.divergenceSampleCount, 50);
  assert.equal(r.contributions.sizeCurve.sampleCount, 100);
  assert.equal(r.contributions.sizeCurve.greedy.order.length, 3);
  assert.equal(r.contributions.sizeCurve.greedy.complete, false);
  assert.equal(r.stacking.sampleCount, 150);
  const full = analyzeEnsemble(o) as ClassificationAnalysis;
  assert.equal(full.diversity.divergenceSampleCount, 400);
  assert.equal(full.contributions.sizeCurve.greedy.complete, true);
  // the greedy prefix does not depend on the budget
  assert.deepEqual(r.contributions.sizeCurve.greedy.order, full.contributions.sizeCurve.greedy.order.slice(0, 3));
});

test('selection: accuracy metric, cross-validation, library size, weights sum to 1', () => {
  const acc = analyzeEnsemble(o, { selectionMetric: 'accuracy', selectionSteps: 10 }) as ClassificationAnalysis;
  assert.equal(acc.selection.metric, 'accuracy');
  assert.equal(acc.selection.runs[0].trajectory.length, 10);
  const w = Object.values(acc.selection.runs[0].weights).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(w - 1) < 1e-12);
  const cv = analyzeEnsemble(o, { selectionFolds: 4 }) as ClassificationAnalysis;
  assert.equal(cv.selection.runs.length, 4);
  const mean = cv.selection.runs.reduce((s, r) => s + r.heldOut.selected.nll, 0) / 4;
  assert.ok(Math.abs(cv.selection.heldOut.selected.nll - mean) < 1e-12);
  const lib = analyzeEnsemble(o, { selectionLibrarySize: 2 }) as ClassificationAnalysis;
  assert.ok(Object.keys(lib.selection.runs[0].weights).length <= 2);
  assert.throws(() => analyzeEnsemble(o, { selectionMetric: 'rmse' }), /only for regression/);
  assert.throws(() => analyzeEnsemble(o, { selectionFolds: 1 }), /selectionFolds/);
});

test('size grid: all k up to the cap, else near-geometric with 1 and M', () => {
  assert.deepEqual(sizeGrid(5, 64), [1, 2, 3, 4, 5]);
  const g = sizeGrid(512, 64);
  assert.equal(g[0], 1);
  assert.equal(g.at(-1), 512);
  assert.ok(g.length <= 64 && g.length > 40);
  assert.deepEqual(sizeGrid(10, 1), [1, 10]);
  assert.equal(percentile([1, 2, 3, 4], 0.1), 1.3);
  const pts = [3, 2, 1.5, 1.05, 1].map((mean, i) => ({ k: i + 1, mean, std: 0, p10: 0, p90: 0 }));
  assert.equal(diminishingReturns(pts, 0.95, false), 4); // improvement 1.95 of 2 = 97.5%
  assert.equal(diminishingReturns(pts.map((p) => ({ ...p, mean: 1 })), 0.95, false), 1);
});

test('mulberry32 streams, permutations and folds are reproducible', () => {
  const r = mulberry32(1);
  const xs = [r(), r(), r()];
  const r2 = mulberry32(1);
  assert.deepEqual([r2(), r2(), r2()], xs);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const p = permutation(10, mulberry32(5));
  assert.deepEqual([...p].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const f = foldIds(10, 3, mulberry32(5));
  assert.deepEqual([0, 1, 2].map((k) => f.filter((x) => x === k).length), [4, 3, 3]);
});

test('timings option is filled per phase and does not change the report', () => {
  const timings: Record<string, number> = {};
  const a = analyzeEnsemble(o, { timings });
  assert.ok(timings.members >= 0 && timings.stacking >= 0 && timings.validate >= 0);
  assert.equal(JSON.stringify(a), JSON.stringify(analyzeEnsemble(o)));
});
