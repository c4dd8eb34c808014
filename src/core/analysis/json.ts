// Helpers that keep the report JSON-clean: no NaN/Infinity (-> null), plain arrays.
import type { Maybe, PairMatrix, RankedSample } from './types.js';

/** x if finite, else null. */
export function fin(x: number): Maybe {
  return Number.isFinite(x) ? x : null;
}

/** Row-major n*n Float64Array (NaN = undefined) to nested arrays with nulls. */
export function toMatrix(a: Float64Array, n: number): PairMatrix {
  const out: PairMatrix = [];
  for (let i = 0; i < n; i++) {
    const row: Maybe[] = new Array(n);
    for (let j = 0; j < n; j++) row[j] = fin(a[i * n + j]);
    out.push(row);
  }
  return out;
}

/** Mean of the strictly upper triangle, NaNs skipped; null when nothing is defined. */
export function upperMean(a: Float64Array, n: number): Maybe {
  let s = 0;
  let c = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    const v = a[i * n + j];
    if (Number.isFinite(v)) { s += v; c++; }
  }
  return c ? s / c : null;
}

/**
 * Indices of the k largest values (ties: lower index first), non-finite values skipped. One pass keeping the
 * best k so far in order (value descending, then index): a candidate enters only when it beats the k-th, so
 * the pass costs O(n) plus O(k) per entry, instead of sorting all n indices.
 */
export function topK(values: ArrayLike<number>, k: number, filter?: (i: number) => boolean): RankedSample[] {
  if (k <= 0) return [];
  const best = new Int32Array(k);
  const bv = new Float64Array(k);
  let size = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    // indices arrive in increasing order, so a value equal to the k-th ranks after it
    if (size === k && !(v > bv[k - 1])) continue;
    if (filter && !filter(i)) continue;
    let j = size < k ? size++ : k - 1;
    while (j > 0 && v > bv[j - 1]) { best[j] = best[j - 1]; bv[j] = bv[j - 1]; j--; }
    best[j] = i;
    bv[j] = v;
  }
  const out: RankedSample[] = new Array(size);
  for (let j = 0; j < size; j++) out[j] = { index: best[j], value: values[best[j]] };
  return out;
}

/** Mean and sample std (n-1; null for n < 2). */
export function meanStd(xs: number[]): { mean: number; std: Maybe } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, std: null };
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, std: Math.sqrt(v) };
}
