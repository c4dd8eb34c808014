// The log-pool stacker's kernels (exponential, objective, gradient, Hessian) against direct per-sample
// implementations of their definitions on random data, for member counts that exercise every pass width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { weightedGramRows } from '../../../src/core/analysis/gram.js';
import { expNonPositive, poolHessian, poolObjective } from '../../../src/core/analysis/newton.js';
import { foldIds, mulberry32 } from '../../../src/core/analysis/random.js';
import { crossValidate, fitLogPool, logPoolNllSum, poolRows, type Design } from '../../../src/core/analysis/stacking.js';

const rng = mulberry32(321);

test('expNonPositive is within 2 ulp of Math.exp on (-745, 0]', () => {
  assert.equal(expNonPositive(0), 1);
  assert.equal(expNonPositive(-0), 1);
  assert.equal(expNonPositive(-Infinity), 0);
  assert.ok(Number.isNaN(expNonPositive(NaN)));
  for (const x of [-708, -708.5, -744, -745.2, -800]) assert.equal(expNonPositive(x), Math.exp(x));
  let worst = 0;
  for (let i = 0; i < 200000; i++) {
    const x = -(i % 4 === 0 ? 708 : i % 4 === 1 ? 40 : i % 4 === 2 ? 1 : 1e-6) * rng();
    const want = Math.exp(x);
    worst = Math.max(worst, Math.abs(expNonPositive(x) - want) / want);
  }
  assert.ok(worst <= 2 * 2 ** -52, `max relative error ${worst}`);
});

test('weightedGramRows equals weighted dot products (every block shape and remainder)', () => {
  for (const [m, len] of [[1, 5], [2, 300], [3, 257], [6, 513], [9, 1000], [17, 64]]) {
    const z = Float64Array.from({ length: m * len }, () => rng() - 0.5);
    const w = Float64Array.from({ length: len }, () => rng());
    const g = weightedGramRows(z, m, len, w);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
      let s = 0;
      for (let t = 0; t < len; t++) s += w[t] * z[i * len + t] * z[j * len + t];
      assert.ok(Math.abs(g[i * m + j] - s) <= 1e-12 * len, `${m}x${len} [${i}][${j}]`);
    }
  }
});

/** Random design of m members (clipped log-probabilities as features) and its rows 0..n-1, gathered. */
function randomProblem(m: number, n: number, c: number, alpha: number) {
  const x = new Float64Array(m * n * c);
  for (let t = 0; t < m * n; t++) {
    let s = 0;
    for (let k = 0; k < c; k++) { const u = rng(); x[t * c + k] = u * u * u; s += x[t * c + k]; }
    for (let k = 0; k < c; k++) x[t * c + k] = Math.log(Math.max(x[t * c + k] / s, 1e-15));
  }
  const y = Float64Array.from({ length: n }, () => Math.floor(rng() * c));
  const d: Design = { k: m, n, c, x, y };
  const rows = Int32Array.from({ length: n }, (_, s) => s);
  const { feat, ys } = poolRows(d, Array.from({ length: m }, (_, a) => a), rows);
  const params = Float64Array.from({ length: m + c - 1 }, (_, j) => (j < m ? 2 * rng() - 0.5 : 3 * rng() - 1.5));
  return { d, pr: { feat, ys, q: m, c, alpha }, params };
}

/** Objective, gradient and Hessian by a per-sample loop over the design (b_0 = 0). */
function direct(d: Design, alpha: number, x: Float64Array) {
  const { k: q, n, c } = d;
  const P = q + c - 1;
  const g = new Float64Array(P);
  const h = new Float64Array(P * P);
  let f = 0;
  for (let s = 0; s < n; s++) {
    // derivative of z_k with respect to each parameter
    const dz = (j: number, k: number) => (j < q ? d.x[(j * n + s) * c + k] : j - q + 1 === k ? 1 : 0);
    const z = Array.from({ length: c }, (_, k) => (k > 0 ? x[q + k - 1] : 0) + Array.from({ length: q }, (_, a) => x[a] * dz(a, k)).reduce((u, v) => u + v, 0));
    const mx = Math.max(...z);
    const e = z.map((v) => Math.exp(v - mx));
    const se = e.reduce((u, v) => u + v, 0);
    const p = e.map((v) => v / se);
    const y = d.y[s];
    f += Math.log(se) + mx - z[y];
    const mean = (j: number) => p.reduce((u, pk, k) => u + pk * dz(j, k), 0);
    for (let i = 0; i < P; i++) {
      g[i] += mean(i) - dz(i, y);
      for (let j = 0; j < P; j++) h[i * P + j] += p.reduce((u, pk, k) => u + pk * dz(i, k) * dz(j, k), 0) - mean(i) * mean(j);
    }
  }
  for (let a = 0; a < q; a++) { f += 0.5 * alpha * x[a] * x[a]; g[a] += alpha * x[a]; h[a * P + a] += alpha; }
  return { f, g, h };
}

function assertNear(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])), `${what}[${i}]: ${got[i]} vs ${want[i]}`);
}

test('poolObjective and poolHessian equal the per-sample definitions (1 to 13 members, 2 to 5 classes)', () => {
  for (const [m, n, c] of [[1, 37, 2], [3, 50, 3], [4, 41, 5], [8, 60, 4], [9, 33, 3], [13, 45, 2]]) {
    const { d, pr, params } = randomProblem(m, n, c, 0.7);
    const want = direct(d, pr.alpha, params);
    const g = new Float64Array(m + c - 1);
    assertNear([poolObjective(pr, params)], [want.f], 1e-12, 'f');
    assertNear([poolObjective(pr, params, g)], [want.f], 1e-12, 'f');
    assertNear(g, want.g, 1e-11, 'g');
    const h = new Float64Array((m + c - 1) ** 2);
    poolHessian(pr, h);
    assertNear(h, want.h, 1e-11, 'h');
  }
});

test('log-pool CV (warm starts, carried Hessians, rows gathered by fold) equals cold-start fits at a tight tolerance', () => {
  const m = 5, n = 400, c = 4;
  const { d } = randomProblem(m, n, c, 0);
  // a signal in the labels, so that the weights are not all near 0
  for (let s = 0; s < n; s++) {
    let best = 0;
    for (let k = 1; k < c; k++) if (d.x[s * c + k] + d.x[(n + s) * c + k] > d.x[s * c + best] + d.x[(n + s) * c + best]) best = k;
    if (rng() < 0.6) d.y[s] = best;
  }
  const members = [0, 1, 2, 4];
  const k = 4;
  const alphas = [0.1, 10, 1, 100];
  const folds = foldIds(n, k, mulberry32(9));
  const cv = crossValidate(d, members, folds, k, alphas, 'logPool');
  const cold = { gtol: 1e-13 };
  const want = alphas.map((alpha) => {
    let nll = 0;
    for (let f = 0; f < k; f++) {
      const test = Int32Array.from({ length: n }, (_, s) => s).filter((s) => folds[s] === f);
      const train = Int32Array.from({ length: n }, (_, s) => s).filter((s) => folds[s] !== f);
      const p = fitLogPool(d, members, train, alpha, undefined, cold);
      nll += logPoolNllSum(poolRows(d, members, test), members.length, c, p);
    }
    return nll / n;
  });
  assertNear(cv.cvScores, want, 1e-7, 'cvScores');
  assert.equal(cv.bestAlpha, alphas[want.indexOf(Math.min(...want))]);
  const params = fitLogPool(d, members, Int32Array.from({ length: n }, (_, s) => s), cv.bestAlpha, undefined, cold);
  assertNear(cv.params, params, 1e-6, 'params');
});
