// Per-member data views for ensembles: bagging (bootstrap rows) and random feature subsets.
import { DataError } from './errors';
import { createRng, deriveSeed, permutation, sampleWithReplacement } from './random';

/**
 * Bootstrap row indices: `k` (default n) draws with replacement from 0..n-1, from the stream
 * `createRng(deriveSeed(seed, 'bootstrap'))`, so the same member seed always bags the same rows.
 */
export function bootstrapIndices(n: number, seed: number, k = n): Int32Array {
  return sampleWithReplacement(n, k, createRng(deriveSeed(seed, 'bootstrap')));
}

/**
 * How many of `dim` features a `features` spec keeps: a fraction in (0, 1) keeps round(f * dim)
 * (at least 1); exactly 1 means the fraction 1, i.e. all features; an integer >= 2 is a count (<= dim).
 */
export function featureCount(dim: number, features: number): number {
  if (features > 0 && features < 1) return Math.max(1, Math.round(features * dim));
  if (features === 1) return dim;
  if (Number.isInteger(features) && features >= 2 && features <= dim) return features;
  throw new DataError(`features: expected a fraction in (0, 1] or a count in [2, ${dim}], got ${features}`);
}

/**
 * A random subset of feature indices, ascending: the first `featureCount(dim, features)` entries of a
 * permutation drawn from `createRng(deriveSeed(seed, 'features'))`.
 */
export function featureSubset(dim: number, features: number, seed: number): Int32Array {
  const k = featureCount(dim, features);
  const p = permutation(dim, createRng(deriveSeed(seed, 'features')));
  return p.slice(0, k).sort();
}

/** Columns `cols` of a row-major n*dim matrix, as an n*cols.length matrix. */
export function selectColumns(x: Float32Array, n: number, dim: number, cols: ArrayLike<number>): Float32Array {
  const m = cols.length;
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) out[i * m + c] = x[i * dim + cols[c]];
  return out;
}
