// Classification metrics of one probability matrix (a member or the combined ensemble), one pass.
import { CalibrationAccumulator } from './calibration.js';
import { checkProbabilityRow, SUM_TOLERANCE } from './validate.js';
import type { CalibrationBin, ClassificationMetrics, Maybe } from './types.js';

/** Probabilities are clipped at EPS before every logarithm. */
export const EPS = 1e-12;

/** Clipped natural log. */
export function clog(p: number): number {
  return Math.log(p > EPS ? p : EPS);
}

/** Index of the largest value in row [off, off+c); ties go to the lowest index. */
export function argmaxRow(v: ArrayLike<number>, off: number, c: number): number {
  let best = 0;
  let bv = v[off];
  for (let k = 1; k < c; k++) if (v[off + k] > bv) { bv = v[off + k]; best = k; }
  return best;
}

/** Optional per-sample outputs filled during the pass. */
export interface PerSampleOut {
  pred?: Int32Array;
  pTrue?: Float32Array | Float64Array;
  offset?: number;
  /** When set, each row is validated (values >= 0, sum within 1e-3 of 1) and errors name this member. */
  validateId?: string;
}

export interface MetricsResult {
  metrics: ClassificationMetrics;
  calibration: { ece: number; mce: number; bins: CalibrationBin[] };
}

/** Accuracy, NLL, Brier, top-2, ECE/MCE, per-class recall and confusion of an n x c probability matrix. */
export function classificationMetrics(
  probs: ArrayLike<number>, labels: Int32Array, n: number, c: number, eceBins: number, out: PerSampleOut = {},
): MetricsResult {
  const cal = new CalibrationAccumulator(eceBins);
  const confusion = new Float64Array(c * c);
  let correct = 0;
  let top2 = 0;
  let nll = 0;
  let prod = 1; // NLL: one log per 16 samples, of the product of their clipped p(true) (>= 1e-192)
  let brier = 0;
  const o = out.offset ?? 0;
  const predOut = out.pred;
  const pTrueOut = out.pTrue;
  const validateId = out.validateId;
  for (let i = 0; i < n; i++) {
    const off = i * c;
    const y = labels[i];
    const py = probs[off + y];
    let best = 0;
    let bv = probs[off];
    let ahead = 0; // classes ranked before y: larger p, or equal p and lower index
    let sq = 0;
    let sum = 0;
    let mn = 0;
    for (let k = 0; k < c; k++) {
      const p = probs[off + k];
      if (k > 0 && p > bv) { bv = p; best = k; }
      ahead += +(p > py) | (+(p === py) & +(k < y)); // without a data-dependent branch
      sq += p * p;
      sum += p;
      if (p < mn) mn = p;
    }
    // a NaN makes the sum test fail; a negative value sets mn; the full check then names the culprit
    if (validateId !== undefined && (!(Math.abs(sum - 1) <= SUM_TOLERANCE) || mn < 0)) checkProbabilityRow(probs, i, c, validateId);
    // sum_k (p_k - y_k)^2 = sum_k p_k^2 - 2 p_y + 1
    brier += sq - 2 * py + 1;
    prod *= py > EPS ? py : EPS;
    if ((i & 15) === 15) { nll -= Math.log(prod); prod = 1; }
    const ok = best === y;
    if (ok) correct++;
    if (ahead < 2) top2++;
    confusion[y * c + best]++;
    cal.add(bv, ok);
    if (predOut) predOut[o + i] = best;
    if (pTrueOut) pTrueOut[o + i] = py;
  }
  nll -= Math.log(prod);
  const calib = cal.finish();
  const perClassAccuracy: Maybe[] = [];
  const conf: number[][] = [];
  for (let t = 0; t < c; t++) {
    let rowTotal = 0;
    const row: number[] = [];
    for (let k = 0; k < c; k++) { row.push(confusion[t * c + k]); rowTotal += confusion[t * c + k]; }
    conf.push(row);
    perClassAccuracy.push(rowTotal > 0 ? confusion[t * c + t] / rowTotal : null);
  }
  return {
    metrics: {
      accuracy: correct / n, nll: nll / n, brier: brier / n, top2Accuracy: top2 / n,
      ece: calib.ece, mce: calib.mce, perClassAccuracy, confusion: conf,
    },
    calibration: calib,
  };
}

/**
 * The side part's per-member pass (classificationReport.ts): validates the rows as classificationMetrics does
 * with `validateId`, fills pTrue[offset + i] and returns the NLL, accumulated as there (the same value to the bit),
 * without the other metrics.
 */
export function nllAndTrue(
  probs: ArrayLike<number>, labels: Int32Array, n: number, c: number, pTrue: Float32Array, offset: number, validateId: string,
): number {
  let nll = 0;
  let prod = 1;
  for (let i = 0; i < n; i++) {
    const off = i * c;
    const py = probs[off + labels[i]];
    let sum = 0;
    let mn = 0;
    for (let k = 0; k < c; k++) {
      const p = probs[off + k];
      sum += p;
      if (p < mn) mn = p;
    }
    if (!(Math.abs(sum - 1) <= SUM_TOLERANCE) || mn < 0) checkProbabilityRow(probs, i, c, validateId);
    prod *= py > EPS ? py : EPS;
    if ((i & 15) === 15) { nll -= Math.log(prod); prod = 1; }
    pTrue[offset + i] = py;
  }
  nll -= Math.log(prod);
  return nll / n;
}
