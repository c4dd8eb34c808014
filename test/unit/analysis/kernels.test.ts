// The fast kernels (blocked Gram products, bit-level logarithms, Gram-form divergences, leave-one-out and
// bound-mode scoring) against direct implementations of their definitions on random data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildContext, combineSum, normalise, type ClsContext } from '../../../src/core/analysis/context.js';
import { pairwiseDivergences } from '../../../src/core/analysis/divergence.js';
import { crossRows, gramRows } from '../../../src/core/analysis/gram.js';
import { topK } from '../../../src/core/analysis/json.js';
import { lnClipped64 } from '../../../src/core/analysis/ln32.js';
import { mulberry32 } from '../../../src/core/analysis/random.js';
import { labelAgreement } from '../../../src/core/analysis/pairwise.js';
import { ClsScorer } from '../../../src/core/analysis/scorer.js';
import type { EnsembleOutputs } from '../../../src/core/outputs.js';
import { sparseRandomOutputs } from './helpers.js';

const rng = mulberry32(123);

/** sparseRandomOutputs plus a copy of member 0. */
function randomOutputs(m: number, n: number, c: number): EnsembleOutputs {
  const o = sparseRandomOutputs(rng, m, n, c);
  // a duplicated member: its divergences to the original must be 0 (not rounding noise below 0)
  o.members.push({ id: 'copy', values: Float32Array.from(o.members[0].values) });
  return o;
}

/** The combined probabilities (a guide for the argmax bounds; the report's). */
function combined(ctx: ClsContext): Float64Array {
  return normalise(combineSum(ctx));
}

test('crossRows and gramRows equal naive dot products (every block shape and remainder)', () => {
  for (const [ma, mb, len] of [[1, 1, 3], [5, 7, 300], [9, 6, 1000], [2, 4, 257]]) {
    const a = Float64Array.from({ length: ma * len }, () => rng() - 0.5);
    const b = Float64Array.from({ length: mb * len }, () => rng() - 0.5);
    const g = crossRows(a, ma, b, mb, len);
    for (let i = 0; i < ma; i++) for (let j = 0; j < mb; j++) {
      let s = 0;
      for (let t = 0; t < len; t++) s += a[i * len + t] * b[j * len + t];
      assert.ok(Math.abs(g[i * mb + j] - s) <= 1e-12 * len, `${ma}x${mb}x${len} [${i}][${j}]`);
    }
    const sym = gramRows(a, ma, len);
    const full = crossRows(a, ma, a, ma, len);
    for (let k = 0; k < ma * ma; k++) assert.ok(Math.abs(sym[k] - full[k]) <= 1e-12 * len);
  }
});

test('lnClipped64 equals Math.log(max(x, 1e-12)) to 1e-14', () => {
  const xs = [0, 1e-300, 1e-12, 1.0000001e-12, 2e-12, 0.1, 0.5, 1 - 1e-16, 1, 1.5, 2, 1e10];
  for (let i = 0; i < 100000; i++) xs.push(rng() ** 4);
  for (const x of xs) assert.ok(Math.abs(lnClipped64(x) - Math.log(Math.max(x, 1e-12))) <= 1e-14, String(x));
});

test('Gram-form divergences equal the per-pair definitions (all samples and a subset)', () => {
  const o = randomOutputs(6, 300, 5);
  const m = o.members.length;
  const ctx = buildContext(o, new Float64Array(m).fill(1), 'mean', 15);
  const clog = (x: number) => Math.log(Math.max(x, 1e-12));
  for (const budget of [1e12, 21 * 5 * 37]) {
    const d = pairwiseDivergences(ctx, 5, budget);
    assert.equal(d.divergenceSampleCount, budget > 1e9 ? 300 : 37);
    // the same subset: recompute it from the documented rule through a budget that only keeps those samples
    const idx = budget > 1e9 ? Array.from({ length: 300 }, (_, s) => s) : null;
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
      if (i === j) { assert.equal(d.symmetricKL[i * m + j], 0); continue; }
      assert.ok(d.symmetricKL[i * m + j] >= 0 && d.jensenShannon[i * m + j] >= 0);
      if (!idx) continue;
      let kl = 0;
      let js = 0;
      const a = o.members[i].values;
      const b = o.members[j].values;
      for (let t = 0; t < 300 * 5; t++) {
        kl += (a[t] - b[t]) * (clog(a[t]) - clog(b[t]));
        const mm = 0.5 * (a[t] + b[t]);
        js += 0.5 * (a[t] * clog(a[t]) + b[t] * clog(b[t])) - mm * clog(mm);
      }
      assert.ok(Math.abs(d.symmetricKL[i * m + j] - kl / 300) <= 1e-12, `kl ${i},${j}`);
      assert.ok(Math.abs(d.jensenShannon[i * m + j] - js / 300) <= 1e-12, `js ${i},${j}`);
    }
    assert.equal(d.symmetricKL[m - 1], 0); // member 0 vs its copy
    assert.equal(d.jensenShannon[m - 1], 0);
  }
});

test('evaluateWithout (argmax kept where the gap allows) equals scoring the ensemble built without the member', () => {
  const o = randomOutputs(7, 400, 3);
  const m = o.members.length;
  for (const method of ['mean', 'weighted', 'vote'] as const) {
    const ctx = buildContext(o, Float64Array.from({ length: m }, (_, i) => (method === 'weighted' ? 0.5 + i / 4 : 1)), method, 15);
    const sc = new ClsScorer(ctx, null, 'nll', combined(ctx));
    const full = sc.create();
    for (let i = 0; i < m; i++) sc.add(full, i);
    for (let j = 0; j < m; j++) {
      const without = sc.create();
      for (let i = 0; i < m; i++) if (i !== j) sc.add(without, i);
      const want = sc.evaluate(without);
      const got = sc.evaluateWithout(full, j);
      assert.equal(got.accuracy, want.accuracy, `${method} ${j}`);
      assert.ok(Math.abs(got.nll - want.nll) <= 1e-12, `${method} ${j}`);
    }
  }
});

test('packed label agreement equals counting equal predictions (C <= 16, C <= 256, C > 256)', () => {
  for (const c of [3, 16, 17, 300]) {
    const n = 1037;
    const m = 5;
    const pred = Int32Array.from({ length: m * n }, () => Math.floor(rng() * c));
    for (let t = 0; t < n; t += 3) pred[n + t] = pred[t]; // member 1 agrees often with member 0
    const ctx = { n, m, c, pred } as Parameters<typeof labelAgreement>[0];
    const agree = labelAgreement(ctx);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
      let want = 0;
      for (let t = 0; t < n; t++) if (pred[i * n + t] === pred[j * n + t]) want++;
      assert.equal(agree[i * m + j], want, `C=${c} ${i},${j}`);
    }
  }
});

test('bound-mode states (argmax from label / challenger / bound sums; addAndEvaluate, as the greedy order) score exactly as full states', () => {
  for (const c of [3, 4, 10]) {
    const o = randomOutputs(6, 500, c);
    const m = o.members.length;
    // near-ties: member 2 repeats member 1 on every third sample, so sums tie between classes
    for (let t = 0; t < 500; t += 3) for (let k = 0; k < c; k++) o.members[2].values[t * c + k] = o.members[1].values[t * c + k];
    for (const method of ['mean', 'weighted', 'vote'] as const) {
      const ctx = buildContext(o, Float64Array.from({ length: m }, (_, i) => (method === 'weighted' ? 0.5 + i / 4 : 1)), method, 15);
      const idx = Int32Array.from({ length: 250 }, (_, i) => 2 * i + 1);
      // the combined probabilities (as the report) and one member's (a poorer guide: more samples left to the exact sums)
      for (const sc of [new ClsScorer(ctx, null, 'nll', combined(ctx)), new ClsScorer(ctx, null, 'nll', Float64Array.from(ctx.values[3])), new ClsScorer(ctx, idx, 'nll', Float64Array.from(ctx.values[3]))]) {
        const a = sc.create();
        const b = sc.create(true);
        for (const i of [4, 1, 2, 6, 0, 5, 3]) {
          sc.add(a, i);
          assert.deepEqual(sc.addAndEvaluate(b, i), sc.evaluate(a), `C=${c} ${method} +${i}`);
        }
        assert.throws(() => sc.evaluate(b), /addAndEvaluate/);
        sc.add(b, 0); // label sums only (ensemble selection): the state can no longer be scored
        assert.throws(() => sc.addAndEvaluate(b, 1), /cannot be scored/);
      }
    }
  }
});

test('stateFromSum (the combined running sum) equals adding every member in order', () => {
  const o = randomOutputs(5, 300, 4);
  const m = o.members.length;
  for (const method of ['mean', 'weighted', 'vote'] as const) {
    const ctx = buildContext(o, Float64Array.from({ length: m }, (_, i) => (method === 'weighted' ? i / 3 : 1)), method, 15);
    const sc = new ClsScorer(ctx, null, 'nll', combined(ctx));
    const a = sc.create();
    for (let i = 0; i < m; i++) sc.add(a, i);
    const { sum, w } = combineSum(ctx);
    const b = sc.stateFromSum(sum, w);
    assert.deepEqual(b.s, a.s, method);
    assert.deepEqual(b.t, a.t, method);
    assert.equal(b.w, a.w, method);
  }
});

test('topK (one pass keeping the best k) equals sorting every index (ties, non-finite values, filters)', () => {
  const naive = (values: ArrayLike<number>, k: number, filter?: (i: number) => boolean) => {
    const idx: number[] = [];
    for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]) && (!filter || filter(i))) idx.push(i);
    idx.sort((a, b) => values[b] - values[a] || a - b);
    return idx.slice(0, k).map((i) => ({ index: i, value: values[i] }));
  };
  for (let trial = 0; trial < 500; trial++) {
    const n = Math.floor(rng() * 300);
    const levels = 1 + Math.floor(rng() * 20);
    const v = Float64Array.from({ length: n }, () => {
      const u = rng();
      return u < 0.05 ? NaN : u < 0.08 ? Infinity : u < 0.1 ? -Infinity : Math.floor(rng() * levels) / levels - 0.3;
    });
    const k = Math.floor(rng() * 60);
    const f = trial % 2 ? undefined : (i: number) => i % 3 !== 0;
    assert.deepEqual(topK(v, k, f), naive(v, k, f), `trial ${trial}`);
  }
});

test('bound-mode states with many members (the full sum kept once re-summing the undecided samples costs more) score exactly as full states', () => {
  const o = randomOutputs(30, 200, 10);
  const m = o.members.length;
  for (const method of ['mean', 'weighted', 'vote'] as const) {
    const ctx = buildContext(o, Float64Array.from({ length: m }, (_, i) => (method === 'weighted' ? 0.5 + (i % 5) / 4 : 1)), method, 15);
    // a guide unrelated to the members: the bounds leave many samples undecided
    const guide = Float64Array.from({ length: ctx.n * ctx.c }, () => rng());
    for (const sc of [new ClsScorer(ctx, null, 'nll', guide), new ClsScorer(ctx, Int32Array.from({ length: 150 }, (_, i) => i + 25), 'nll', guide)]) {
      const a = sc.create();
      const b = sc.create(true);
      for (let i = m - 1; i >= 0; i--) {
        sc.add(a, i);
        assert.deepEqual(sc.addAndEvaluate(b, i), sc.evaluate(a), `${method} ${sc.ns} +${i}`);
      }
      assert.ok(b.bound?.full, `${method} ${sc.ns}: the full sum was kept`);
    }
  }
});
