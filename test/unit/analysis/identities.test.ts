// Exact identities that must hold on any data: Brier decomposition, Jensen gap >= 0, entropy
// decomposition, Krogh-Vedelsby ambiguity, energy CRPS vs its O(M^2) definition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeEnsemble } from '../../../src/core/analysis/analyze.js';
import { mulberry32 } from '../../../src/core/analysis/random.js';
import { crpsSorted } from '../../../src/core/analysis/regression.js';
import type { ClassificationAnalysis, RegressionAnalysis } from '../../../src/core/analysis/types.js';
import type { EnsembleOutputs } from '../../../src/core/outputs.js';

function randomCls(seed: number, n: number, m: number, c: number, zeros = false): EnsembleOutputs {
  const rng = mulberry32(seed);
  const labels = Float32Array.from({ length: n }, () => Math.floor(rng() * c));
  const members = Array.from({ length: m }, (_, i) => {
    const v = new Float32Array(n * c);
    for (let t = 0; t < n; t++) {
      let s = 0;
      for (let k = 0; k < c; k++) {
        const g = zeros && rng() < 0.3 ? 0 : -Math.log(rng() + 1e-9) * (k === labels[t] ? 2 + i : 1);
        v[t * c + k] = g; s += g;
      }
      if (s === 0) { v[t * c] = 1; s = 1; }
      for (let k = 0; k < c; k++) v[t * c + k] /= s;
    }
    return { id: `g#${i}`, values: v };
  });
  return { task: 'classification', labels, numClasses: c, nTest: n, members };
}

for (const zeros of [false, true]) {
  test(`Brier decomposition and Jensen gap hold exactly${zeros ? ' (with zero probabilities)' : ''}`, () => {
    for (const [seed, m, c] of [[1, 2, 2], [2, 5, 3], [3, 7, 10]]) {
      const r = analyzeEnsemble(randomCls(seed, 300, m, c, zeros), { stackingFolds: 2, sizeCurveOrders: 3 }) as ClassificationAnalysis;
      const b = r.diversity.brierDecomposition;
      assert.ok(Math.abs(b.ensembleBrier - (b.averageMemberBrier - b.diversity)) < 1e-9, JSON.stringify(b));
      assert.ok(Math.abs(b.ensembleBrier - r.ensemble.brier) < 1e-9);
      assert.ok(b.ensembleBrier >= 0 && b.ensembleBrier <= 2);
      assert.ok(r.diversity.jensenGap >= -1e-12, `jensen gap ${r.diversity.jensenGap}`);
      const avgNll = r.members.reduce((s, x) => s + x.metrics.nll, 0) / m;
      assert.ok(Math.abs(r.diversity.jensenGap - (avgNll - r.ensemble.nll)) < 1e-9);
      const u = r.uncertainty;
      assert.ok(Math.abs(u.meanTotal - u.meanAleatoric - u.meanEpistemic) < 1e-9);
      assert.ok(u.meanEpistemic >= 0);
    }
  });
}

test('Krogh-Vedelsby: ensemble squared error = average member error - ambiguity (mean and weighted)', () => {
  const rng = mulberry32(9);
  const n = 250;
  const labels = Float32Array.from({ length: n }, () => rng() * 10);
  const members = Array.from({ length: 6 }, (_, i) => ({ id: `r${i}`, values: Float32Array.from(labels, (y) => y + (rng() - 0.5) * (1 + i)) }));
  const o: EnsembleOutputs = { task: 'regression', labels, numClasses: 1, nTest: n, members };
  for (const combine of [{ method: 'mean' as const }, { method: 'weighted' as const, weights: { r0: 1, r1: 2, r2: 3, r3: 0.5, r4: 0.25, r5: 4 } }]) {
    const r = analyzeEnsemble(o, { combine, stackingFolds: 2 }) as RegressionAnalysis;
    const a = r.diversity.ambiguity;
    assert.ok(Math.abs(a.ensembleSquaredError - (a.averageMemberSquaredError - a.averageAmbiguity)) < 1e-9);
    assert.ok(Math.abs(a.ensembleSquaredError - r.ensemble.rmse ** 2) < 1e-9);
  }
});

test('CRPS by sorting equals the O(M^2) energy form', () => {
  const rng = mulberry32(4);
  for (let trial = 0; trial < 50; trial++) {
    const m = 1 + Math.floor(rng() * 9);
    const xs = Float64Array.from({ length: m }, () => Math.round(rng() * 8) / 2);
    const y = Math.round(rng() * 8) / 2;
    let a = 0, b = 0;
    for (const x of xs) a += Math.abs(x - y);
    for (const x of xs) for (const z of xs) b += Math.abs(x - z);
    const direct = a / m - b / (2 * m * m);
    assert.ok(Math.abs(crpsSorted(Float64Array.from(xs).sort(), y) - direct) < 1e-12);
  }
  // hand value: members {1, 2, 3}, y = 2: 2/3 - 8/18 = 2/9
  assert.ok(Math.abs(crpsSorted(Float64Array.from([1, 2, 3]), 2) - 2 / 9) < 1e-15);
});

test('report is plain JSON: no NaN/Infinity, survives a JSON round trip', () => {
  const r = analyzeEnsemble(randomCls(5, 120, 4, 3, true), { stackingFolds: 2 });
  const s = JSON.stringify(r);
  assert.ok(!/NaN|Infinity/.test(s));
  assert.deepEqual(JSON.parse(s), JSON.parse(JSON.stringify(JSON.parse(s))));
  for (const key of ['members', 'ensemble', 'diversity', 'uncertainty', 'calibration', 'contributions', 'selection', 'stacking', 'samples']) {
    assert.ok(key in r, key);
  }
});
