// Feature scaling fitted on the training rows only and applied to train and test alike, plus bounds.
import type { Normalization } from '../config/types';

/** x' = (x - shift[j]) / scale[j] per feature j. */
export interface Normalizer {
  kind: Normalization;
  shift: Float32Array;
  scale: Float32Array;
}

/**
 * Fits a normalizer on the n*dim training matrix:
 * - 'standard': shift = mean, scale = population std (ddof 0, like sklearn's StandardScaler);
 * - 'minmax': shift = min, scale = max - min, so training values land in [0, 1] (MinMaxScaler);
 * - 'none': identity.
 * A constant feature gets scale 1 (so it maps to 0) instead of a division by zero.
 */
export function fitNormalizer(x: Float32Array, n: number, dim: number, kind: Normalization): Normalizer {
  const shift = new Float32Array(dim);
  const scale = new Float32Array(dim).fill(1);
  if (kind === 'none' || n === 0) return { kind, shift, scale };
  for (let j = 0; j < dim; j++) {
    if (kind === 'standard') {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += x[i * dim + j];
      const mean = sum / n;
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (x[i * dim + j] - mean) ** 2;
      const std = Math.sqrt(ss / n);
      shift[j] = mean;
      scale[j] = std > 0 ? std : 1;
    } else {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = x[i * dim + j];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      shift[j] = lo;
      scale[j] = hi > lo ? hi - lo : 1;
    }
  }
  return { kind, shift, scale };
}

/** A new matrix with the normalizer applied to every row (`x` is left alone). */
export function applyNormalizer(x: Float32Array, dim: number, norm: Normalizer): Float32Array {
  const out = new Float32Array(x.length);
  if (norm.kind === 'none') {
    out.set(x);
    return out;
  }
  for (let i = 0; i < x.length; i++) {
    const j = i % dim;
    out[i] = (x[i] - norm.shift[j]) / norm.scale[j];
  }
  return out;
}

/** Per-feature min and max over the n*dim matrix (the valid input range of tabular data). */
export function featureBounds(x: Float32Array, n: number, dim: number): { lower: Float32Array; upper: Float32Array } {
  const lower = new Float32Array(dim).fill(n > 0 ? Infinity : 0);
  const upper = new Float32Array(dim).fill(n > 0 ? -Infinity : 0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) {
      const v = x[i * dim + j];
      if (v < lower[j]) lower[j] = v;
      if (v > upper[j]) upper[j] = v;
    }
  }
  return { lower, upper };
}

/** The normalized image of per-feature bounds [lo, hi] (scales are positive, so the order holds). */
export function normalizeBounds(lower: Float32Array, upper: Float32Array, norm: Normalizer): { lower: Float32Array; upper: Float32Array } {
  const dim = lower.length;
  return { lower: applyNormalizer(lower, dim, norm), upper: applyNormalizer(upper, dim, norm) };
}
