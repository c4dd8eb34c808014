// Regression measures: point metrics, Krogh & Vedelsby ambiguity, and the members seen as an
// empirical predictive distribution (CRPS, spread-skill, Talagrand rank histogram).
import type { RegressionMetrics } from './types.js';

/** RMSE, MAE, R^2 (null for constant labels) and bias of predictions f against labels y. */
export function regressionMetrics(f: ArrayLike<number>, y: ArrayLike<number>): RegressionMetrics {
  const n = y.length;
  let se = 0, ae = 0, bias = 0, ym = 0;
  for (let t = 0; t < n; t++) ym += y[t];
  ym /= n;
  let sst = 0;
  for (let t = 0; t < n; t++) {
    const d = f[t] - y[t];
    se += d * d; ae += Math.abs(d); bias += d;
    sst += (y[t] - ym) ** 2;
  }
  return { rmse: Math.sqrt(se / n), mae: ae / n, r2: sst > 0 ? 1 - se / sst : null, bias: bias / n };
}

/** Weighted combination sum_i w_i f_i / sum_i w_i per sample. */
export function combinePredictions(values: Float32Array[], coef: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  let w = 0;
  values.forEach((v, i) => { w += coef[i]; for (let t = 0; t < n; t++) out[t] += coef[i] * v[t]; });
  for (let t = 0; t < n; t++) out[t] /= w;
  return out;
}

/** E = Ebar - Abar with normalised weights: each term computed directly (means over samples). */
export function ambiguity(values: Float32Array[], coef: Float64Array, y: ArrayLike<number>, fbar: Float64Array) {
  const n = y.length;
  let wsum = 0;
  for (const c of coef) wsum += c;
  let ens = 0;
  let avgErr = 0;
  let amb = 0;
  for (let t = 0; t < n; t++) ens += (fbar[t] - y[t]) ** 2;
  values.forEach((v, i) => {
    const w = coef[i] / wsum;
    for (let t = 0; t < n; t++) { avgErr += w * (v[t] - y[t]) ** 2; amb += w * (v[t] - fbar[t]) ** 2; }
  });
  return { ensembleSquaredError: ens / n, averageMemberSquaredError: avgErr / n, averageAmbiguity: amb / n };
}

/**
 * Energy-form CRPS of the empirical distribution of xs (sorted ascending in place) at y:
 * mean_i |x_i - y| - (1/(2 M^2)) sum_ij |x_i - x_j|, with sum_ij |x_i - x_j| = 2 sum_i (2i - M + 1) x_(i).
 */
export function crpsSorted(xs: Float64Array, y: number): number {
  const m = xs.length;
  let a = 0;
  let b = 0;
  for (let i = 0; i < m; i++) { a += Math.abs(xs[i] - y); b += (2 * i - m + 1) * xs[i]; }
  return a / m - b / (m * m);
}

/** Per-sample CRPS, unbiased member variance (NaN when M = 1), and Talagrand rank with seeded tie breaking. */
export function distributionArrays(values: Float32Array[], y: ArrayLike<number>, rng: () => number) {
  const n = y.length;
  const m = values.length;
  const crps = new Float64Array(n);
  const variance = new Float64Array(n);
  const counts = new Float64Array(m + 1);
  const xs = new Float64Array(m);
  for (let t = 0; t < n; t++) {
    let mean = 0;
    for (let i = 0; i < m; i++) { xs[i] = values[i][t]; mean += xs[i]; }
    mean /= m;
    let ss = 0;
    let below = 0;
    let ties = 0;
    for (let i = 0; i < m; i++) {
      ss += (xs[i] - mean) ** 2;
      if (xs[i] < y[t]) below++;
      else if (xs[i] === y[t]) ties++;
    }
    variance[t] = m > 1 ? ss / (m - 1) : NaN;
    // a label equal to `ties` members takes a uniformly random rank among the ties + 1 slots
    const rank = below + (ties > 0 ? Math.floor(rng() * (ties + 1)) : 0);
    counts[rank]++;
    xs.sort();
    crps[t] = crpsSorted(xs, y[t]);
  }
  return { crps, variance, counts };
}

/** Chi-square vs uniform (M degrees of freedom) and reliability index sum_k |n_k/N - 1/(M+1)|. */
export function rankFlatness(counts: Float64Array) {
  const bins = counts.length;
  let n = 0;
  for (const c of counts) n += c;
  const e = n / bins;
  let chi = 0;
  let ri = 0;
  for (const c of counts) { chi += (c - e) ** 2 / e; ri += Math.abs(c / n - 1 / bins); }
  return { counts: Array.from(counts), chiSquare: chi, degreesOfFreedom: bins - 1, reliabilityIndex: ri };
}
