// Small dense linear algebra on row-major Float64Arrays: Jacobi eigenvalues, Cholesky solves,
// correlation matrices (Gram products in gram.ts). Sizes here are members (<= a few hundred), so O(n^3) is fine.
import { gramRows } from './gram.js';

/** Eigenvalues (ascending) of a symmetric n x n matrix by cyclic Jacobi rotations. */
export function jacobiEigenvalues(input: Float64Array, n: number, maxSweeps = 100): Float64Array {
  const a = Float64Array.from(input);
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < n; p++) {
      diag += a[p * n + p] * a[p * n + p];
      for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const app = a[p * n + p];
        const aqq = a[q * n + q];
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cs = 1 / Math.sqrt(t * t + 1);
        const sn = t * cs;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = cs * akp - sn * akq;
          a[k * n + q] = sn * akp + cs * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = cs * apk - sn * aqk;
          a[q * n + k] = sn * apk + cs * aqk;
        }
      }
    }
  }
  const ev = new Float64Array(n);
  for (let i = 0; i < n; i++) ev[i] = a[i * n + i];
  return ev.sort();
}

/** lambda_max / lambda_min of a symmetric PSD matrix; null when lambda_min <= lambda_max * 1e-14 (numerically singular). */
export function conditionNumber(gram: Float64Array, n: number): number | null {
  if (n === 0) return null;
  const ev = jacobiEigenvalues(gram, n);
  const lo = ev[0];
  const hi = ev[n - 1];
  if (!(hi > 0) || lo <= hi * 1e-14) return null;
  return hi / lo;
}

/** Solves A x = b for symmetric positive definite A (n x n) by Cholesky; throws if not PD. */
export function choleskySolve(aIn: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = aIn[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) throw new Error('matrix is not positive definite');
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j];
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * y[k];
    y[i] = s / l[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

/** Pearson correlation matrix of the m rows of x (n each): NaN where a row has zero variance. */
export function rowCorrelation(x: ArrayLike<number>, m: number, n: number): Float64Array {
  const z = new Float64Array(m * n);
  const ok = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    let mean = 0;
    for (let t = 0; t < n; t++) mean += x[i * n + t];
    mean /= n;
    let ss = 0;
    for (let t = 0; t < n; t++) { const d = x[i * n + t] - mean; z[i * n + t] = d; ss += d * d; }
    // relative test: a constant row can leave rounding noise of order mean * 1e-16
    if (ss > 1e-24 * Math.max(1, mean * mean) * n) {
      ok[i] = 1;
      const inv = 1 / Math.sqrt(ss);
      for (let t = 0; t < n; t++) z[i * n + t] *= inv;
    }
  }
  const g = gramRows(z, m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
    if (!ok[i] || !ok[j]) g[i * m + j] = NaN;
    else if (g[i * m + j] > 1) g[i * m + j] = 1;
    else if (g[i * m + j] < -1) g[i * m + j] = -1;
  }
  return g;
}
