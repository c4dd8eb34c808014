// Stacking meta-models fitted by K-fold cross-validation with alpha chosen from a grid:
// ridge regression over members' predictions (regression, as scikit-learn's Ridge with intercept) and
// a logarithmic opinion pool p(c) ∝ exp(b_c + sum_i w_i ln p_i(c)) (classification: multinomial
// logistic regression whose features are the members' clipped log-probabilities, one weight per member).
import { crossRows, GRAM_BLOCK } from './gram.js';
import { choleskySolve, conditionNumber } from './linalg.js';
import { expNonPositive, newtonPool, poolLogits, type NewtonOptions } from './newton.js';
import { EPS as CLIP } from './metrics.js';
import type { Maybe } from './types.js';

// module-local copies: imported bindings can compile to getters in hot loops
const EPS = CLIP;
const expNeg = expNonPositive;

/** Design of a stacking problem: x is k x n (member-major), per sample c values (c = 1 for regression). */
export interface Design {
  k: number;
  n: number;
  c: number;
  x: Float64Array;
  /** Class index (classification) or target (regression) per sample. */
  y: Float64Array;
}

/**
 * Gram matrix of the design's columns, centred (per class for classification, since b_c absorbs per-class means).
 * Each column is centred on its own, so the Gram of a subset of the members is the sub-matrix of this one.
 */
export function centredGram(d: Design, members: number[]): Float64Array {
  const { n, c, x } = d;
  const q = members.length;
  const len = n * c;
  // per-class means, one class at a time (summed in sample order in a register)
  const mean = new Float64Array(q * c);
  for (let a = 0; a < q; a++) {
    const src = members[a] * len;
    for (let k = 0; k < c; k++) {
      let sum = 0;
      for (let t = k; t < len; t += c) sum += x[src + t];
      mean[a * c + k] = sum / n;
    }
  }
  // centred columns one crossRows slab at a time (the same sums as one product over whole centred rows, without
  // a q x len copy)
  const g = new Float64Array(q * q);
  const z = new Float64Array(q * GRAM_BLOCK);
  for (let t0 = 0; t0 < len; t0 += GRAM_BLOCK) {
    const nb = Math.min(GRAM_BLOCK, len - t0);
    for (let a = 0; a < q; a++) {
      const src = members[a] * len + t0;
      for (let k = 0; k < c; k++) {
        const mk = mean[a * c + k];
        // the block's values of class k: t0 + i = k (mod c)
        for (let i = (k - (t0 % c) + c) % c; i < nb; i += c) z[a * nb + i] = x[src + i] - mk;
      }
    }
    crossRows(z, q, z, q, nb, true, g);
  }
  return g;
}

/** Condition number of the centred Gram of `members` (indices into the Gram's own members), from that Gram. */
export function designCondition(gram: Float64Array, q: number, members: number[]): Maybe {
  const m = members.length;
  const sub = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) sub[a * m + b] = gram[members[a] * q + members[b]];
  return conditionNumber(sub, m);
}

/** Ridge with intercept on rows `rows`: minimises sum (y - Xw - b)^2 + alpha |w|^2. Returns [w..., b]. */
export function fitRidge(d: Design, members: number[], rows: Int32Array, alpha: number): Float64Array {
  const q = members.length;
  const nr = rows.length;
  const xm = new Float64Array(q);
  let ym = 0;
  for (const s of rows) { ym += d.y[s]; members.forEach((i, a) => { xm[a] += d.x[i * d.n + s]; }); }
  ym /= nr;
  for (let a = 0; a < q; a++) xm[a] /= nr;
  const a2 = new Float64Array(q * q);
  const rhs = new Float64Array(q);
  const xr = new Float64Array(q);
  for (const s of rows) {
    for (let a = 0; a < q; a++) xr[a] = d.x[members[a] * d.n + s] - xm[a];
    const yr = d.y[s] - ym;
    for (let a = 0; a < q; a++) {
      rhs[a] += xr[a] * yr;
      for (let b = a; b < q; b++) a2[a * q + b] += xr[a] * xr[b];
    }
  }
  for (let a = 0; a < q; a++) { a2[a * q + a] += alpha; for (let b = 0; b < a; b++) a2[a * q + b] = a2[b * q + a]; }
  const w = choleskySolve(a2, rhs, q);
  let b = ym;
  for (let a = 0; a < q; a++) b -= w[a] * xm[a];
  const out = new Float64Array(q + 1);
  out.set(w);
  out[q] = b;
  return out;
}

/** Squared-error sum of a ridge fit on rows. */
export function ridgeSse(d: Design, members: number[], rows: Int32Array, p: Float64Array): number {
  const q = members.length;
  let se = 0;
  for (const s of rows) {
    let f = p[q];
    for (let a = 0; a < q; a++) f += p[a] * d.x[members[a] * d.n + s];
    se += (f - d.y[s]) ** 2;
  }
  return se;
}

/**
 * Log-pool logistic regression on rows: parameters [w_1..w_q, b_1..b_{c-1}] (b_0 = 0), objective
 * sum_s -ln softmax(z_s)[y_s] + alpha/2 |w|^2 with z_sc = b_c + sum_i w_i x_isc (x = clipped ln p).
 */
export function fitLogPool(d: Design, members: number[], rows: Int32Array, alpha: number, start?: Float64Array, opts: FitOptions = {}): Float64Array {
  const q = members.length;
  const c = d.c;
  const { feat, ys } = opts.gathered ?? poolRows(d, members, rows);
  const x0 = start ? Float64Array.from(start) : new Float64Array(q + c - 1).fill(0);
  if (!start) for (let a = 0; a < q; a++) x0[a] = 1 / q;
  return newtonPool({ feat, ys, q, c, alpha }, x0, { ...opts, gtol: opts.gtol ?? 1e-8 });
}

export interface FitOptions extends Partial<NewtonOptions> {
  /** poolRows(d, members, rows), when already gathered. */
  gathered?: PoolRows;
}

/** Features and labels of a set of rows, as fitLogPool uses them (gathered once per fold, shared by its alphas). */
export interface PoolRows { feat: Float64Array; ys: Int32Array }

export function poolRows(d: Design, members: number[], rows: Int32Array): PoolRows {
  const q = members.length;
  const c = d.c;
  const nr = rows.length;
  // class-major per member (newton.ts's PoolProblem): the objective's passes run over samples
  const feat = new Float64Array(q * c * nr);
  const { x, n, y } = d;
  for (let a = 0; a < q; a++) {
    const base = members[a] * n;
    const dst = a * c * nr;
    for (let r = 0; r < nr; r++) {
      const src = (base + rows[r]) * c;
      for (let k = 0; k < c; k++) feat[dst + k * nr + r] = x[src + k];
    }
  }
  const ys = new Int32Array(nr);
  for (let r = 0; r < nr; r++) ys[r] = y[rows[r]];
  return { feat, ys };
}

/** Summed NLL (clipped at EPS) of a log-pool fit on gathered rows (class by class, as poolObjective). */
export function logPoolNllSum(rows: PoolRows, q: number, c: number, p: Float64Array): number {
  const { feat, ys } = rows;
  const nr = ys.length;
  const z = new Float64Array(c * nr);
  poolLogits(feat, q, c, nr, p, z);
  const mx = new Float64Array(nr);
  for (let s = 0; s < nr; s++) {
    let m = z[s];
    for (let o = nr + s; o < c * nr; o += nr) m = Math.max(m, z[o]);
    mx[s] = m;
  }
  const se = new Float64Array(nr);
  for (let o = 0; o < c * nr; o += nr) for (let s = 0; s < nr; s++) se[s] += expNeg(z[o + s] - mx[s]);
  let nll = 0;
  for (let s = 0; s < nr; s++) {
    const pyv = expNeg(z[ys[s] * nr + s] - mx[s]) / se[s];
    nll -= Math.log(pyv > EPS ? pyv : EPS);
  }
  return nll;
}

/**
 * Prediction of the solution at alpha - step from the one, x, at alpha: the optimum satisfies
 * grad L(x) + alpha [w; 0] = 0, so the Newton step at the new alpha from x is dx = step H'^-1 [w; 0], with H' the
 * objective's Hessian there at the new alpha: h (the last one the fit at alpha used, formed or BFGS-updated near x:
 * close enough for a starting point) with the alpha change on the member diagonal, which it receives in place (the
 * next fit starts its steps with it). Falls back to x when no Hessian was formed (h[0] >= alpha > 0 once it is) or the
 * shifted one is not positive definite (h is then cleared: the next fit forms its own).
 */
function alphaPredictor(x: Float64Array, h: Float64Array, step: number, q: number): Float64Array {
  const p = x.length;
  if (!(h[0] > 0)) return x;
  const rhs = new Float64Array(p);
  for (let a = 0; a < q; a++) { rhs[a] = x[a]; h[a * p + a] -= step; }
  try {
    const dx = choleskySolve(h, rhs, p);
    return Float64Array.from(x, (v, j) => v + step * dx[j]);
  } catch {
    h.fill(0);
    return x;
  }
}

/**
 * Approximation of the Hessian at alpha for a fit on `ratio` times the rows of the one, from, at the same alpha
 * (the previous fold's): the data term is a sum over rows, so it scales; the penalty does not.
 */
function rescaleHessian(h: Float64Array, from: Float64Array, alpha: number, q: number, ratio: number): void {
  const p = Math.round(Math.sqrt(h.length));
  for (let j = 0; j < h.length; j++) h[j] = ratio * from[j];
  for (let a = 0; a < q; a++) h[a * p + a] += (1 - ratio) * alpha;
}

export interface CvResult {
  cvScores: number[];
  bestAlpha: number;
  cvScore: number;
  params: Float64Array;
}

/**
 * K-fold CV over the alpha grid (largest alpha first, warm-started along the grid within a fold through
 * alphaPredictor); refits on all rows. A fold's first (largest) alpha starts from the previous fold's solution at
 * that alpha (the training sets share (K-2)/(K-1) of their rows), and the final refit from the folds' mean
 * solution at the chosen alpha. The CV fits run newtonPool's quasi-Newton mode, each starting from a Hessian
 * carried over (the previous alpha's, through alphaPredictor, or the previous fold's at this alpha); the final
 * refit, whose parameters are reported, is plain Newton (quadratic convergence lands far inside its tight
 * tolerance: about 1e-12, where BFGS steps stop near 1e-7, for one Hessian more). The objective is strictly convex (alpha > 0), so
 * the start and the Hessians change the result only within the stopping tolerance.
 */
export function crossValidate(d: Design, members: number[], folds: Int32Array, k: number, alphas: number[], kind: 'ridge' | 'logPool'): CvResult {
  const order = alphas.map((a, i) => ({ a, i })).sort((u, v) => v.a - u.a);
  const total = new Float64Array(alphas.length);
  const prev: (Float64Array | undefined)[] = alphas.map(() => undefined);
  const sum: (Float64Array | undefined)[] = alphas.map(() => undefined);
  // last Hessian per alpha (of the latest fold) and its fit's row count
  const prevH: (Float64Array | undefined)[] = alphas.map(() => undefined);
  const q = members.length;
  // log pool: the rows gathered once, by fold (in sample order within one), so that a fold's test rows are one
  // range of them and its training rows the rest: the fold's two sets are then contiguous copies
  const { rows: byFold, start: foldStart } = foldOrder(folds, k);
  const pooled = kind === 'logPool' ? poolRows(d, members, byFold) : undefined;
  let prevRows = 0;
  let fitted = 0;
  for (let f = 0; f < k; f++) {
    const nTest = foldStart[f + 1] - foldStart[f];
    if (nTest === 0 || nTest === d.n) continue;
    fitted++;
    if (!pooled) {
      const te = byFold.subarray(foldStart[f], foldStart[f + 1]);
      const tr = Int32Array.from({ length: d.n }, (_, s) => s).filter((s) => folds[s] !== f);
      for (const { a, i } of order) total[i] += ridgeSse(d, members, te, fitRidge(d, members, tr, a));
      continue;
    }
    const gathered = splitRows(pooled, q * d.c, foldStart[f], foldStart[f + 1], false);
    const test = splitRows(pooled, q * d.c, foldStart[f], foldStart[f + 1], true);
    const nTrain = gathered.ys.length;
    const hess = new Float64Array((q + d.c - 1) ** 2);
    let warm: Float64Array | undefined;
    let aPrev = 0;
    for (const { a, i } of order) {
      const ph = prevH[i];
      if (!warm && ph && ph[0] > 0) rescaleHessian(hess, ph, a, q, nTrain / prevRows);
      let start = prev[i];
      let gPrev: number | undefined;
      if (warm) {
        // the predictor is a chord step from warm, where the gradient at the new alpha is about (a - aPrev) [w; 0]
        gPrev = 0;
        for (let j = 0; j < q; j++) gPrev = Math.max(gPrev, Math.abs((aPrev - a) * warm[j]));
        start = alphaPredictor(warm, hess, aPrev - a, q);
      }
      // CV fits stop earlier (the held-out NLL moves by O(gradient^2)); the final refit is tight
      warm = fitLogPool(d, members, byFold, a, start, { gtol: 1e-6, reuse: true, hess, gPrev, gathered });
      aPrev = a;
      prev[i] = warm;
      prevH[i] = Float64Array.from(hess);
      const acc = sum[i] ?? (sum[i] = new Float64Array(warm.length));
      for (let j = 0; j < warm.length; j++) acc[j] += warm[j];
      total[i] += logPoolNllSum(test, q, d.c, warm);
    }
    prevRows = nTrain;
  }
  const cvScores = Array.from(total, (t) => (kind === 'ridge' ? Math.sqrt(t / d.n) : t / d.n));
  let best = 0;
  for (let i = 1; i < alphas.length; i++) if (cvScores[i] < cvScores[best]) best = i;
  const all = Int32Array.from({ length: d.n }, (_, s) => s);
  const start = sum[best]?.map((v) => v / fitted);
  const params = pooled ? fitLogPool(d, members, byFold, alphas[best], start, { gathered: pooled }) : fitRidge(d, members, all, alphas[best]);
  return { cvScores, bestAlpha: alphas[best], cvScore: cvScores[best], params };
}

/** Samples ordered by fold (a counting sort: in sample order within a fold) and where each fold starts (k + 1 entries). */
function foldOrder(folds: Int32Array, k: number): { rows: Int32Array; start: Int32Array } {
  const start = new Int32Array(k + 1);
  for (const f of folds) start[f + 1]++;
  for (let f = 0; f < k; f++) start[f + 1] += start[f];
  const next = start.slice(0, k);
  const rows = new Int32Array(folds.length);
  folds.forEach((f, s) => { rows[next[f]++] = s; });
  return { rows, start };
}

/**
 * The gathered rows lo..hi-1 (inside) or all the others, in order (inside or not, the same rows of every member
 * and class): one or two contiguous copies per feature row of poolRows's layout (`rows` = members x classes).
 */
function splitRows(g: PoolRows, rows: number, lo: number, hi: number, inside: boolean): PoolRows {
  const n = g.ys.length;
  const nr = inside ? hi - lo : n - (hi - lo);
  const feat = new Float64Array(rows * nr);
  for (let j = 0; j < rows; j++) {
    const src = g.feat.subarray(j * n, (j + 1) * n);
    if (inside) feat.set(src.subarray(lo, hi), j * nr);
    else { feat.set(src.subarray(0, lo), j * nr); feat.set(src.subarray(hi), j * nr + lo); }
  }
  const ys = inside ? g.ys.slice(lo, hi) : Int32Array.from({ length: nr }, (_, r) => g.ys[r < lo ? r : r + hi - lo]);
  return { feat, ys };
}
