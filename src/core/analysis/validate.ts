// Input validation: every message names the member and sample so the user can find the bad row.
import type { EnsembleOutputs } from '../outputs.js';
import type { CombineSpec } from './types.js';

/** Row sums of probabilities must be within this of 1. Rows are used as given (not renormalised). */
export const SUM_TOLERANCE = 1e-3;

/**
 * Throws an Error with a precise message when the outputs cannot be analysed. `checkRows: false` skips
 * the per-probability checks (analyzeEnsemble runs them inside its first pass over each member instead,
 * with checkProbabilityRow, to read the data once).
 */
export function validateOutputs(o: EnsembleOutputs, checkRows = true): void {
  const { nTest: n, numClasses: c, members, labels } = o;
  if (o.task !== 'classification' && o.task !== 'regression') throw new Error(`unknown task '${String(o.task)}'`);
  // two samples at least: selection needs a selection part and a held-out part
  if (!Number.isInteger(n) || n < 2) throw new Error(`nTest must be an integer >= 2, got ${n}`);
  if (members.length === 0) throw new Error('the ensemble has no members');
  if (labels.length !== n) throw new Error(`labels has ${labels.length} values, expected nTest = ${n}`);
  const seen = new Set<string>();
  for (const m of members) {
    if (seen.has(m.id)) throw new Error(`duplicate member id '${m.id}'`);
    seen.add(m.id);
  }
  if (o.task === 'regression') {
    if (c !== 1) throw new Error(`regression expects numClasses = 1, got ${c}`);
    for (let i = 0; i < n; i++) if (!Number.isFinite(labels[i])) throw new Error(`label of sample ${i} is ${labels[i]}`);
    for (const m of members) {
      if (m.values.length !== n) throw new Error(`member '${m.id}': ${m.values.length} predictions, expected ${n}`);
      for (let i = 0; i < n; i++) if (!Number.isFinite(m.values[i])) throw new Error(`member '${m.id}', sample ${i}: prediction is ${m.values[i]}`);
    }
    return;
  }
  if (!Number.isInteger(c) || c < 2) throw new Error(`classification needs numClasses >= 2, got ${c}`);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= c) throw new Error(`label of sample ${i} is ${y}, expected an integer class in [0, ${c - 1}]`);
  }
  for (const m of members) {
    const v = m.values;
    if (v.length !== n * c) throw new Error(`member '${m.id}': ${v.length} values, expected nTest * numClasses = ${n * c}`);
    if (checkRows) for (let i = 0; i < n; i++) checkProbabilityRow(v, i, c, m.id);
  }
}

/** Checks row i of a member: every value >= 0 and not NaN, sum within SUM_TOLERANCE of 1. */
export function checkProbabilityRow(v: ArrayLike<number>, i: number, c: number, id: string): void {
  let s = 0;
  for (let k = i * c, e = k + c; k < e; k++) {
    const p = v[k];
    // `!(p >= 0)` also catches NaN; Infinity is caught by the sum check.
    if (!(p >= 0)) throw new Error(`member '${id}', sample ${i}, class ${k - i * c}: probability is ${p}`);
    s += p;
  }
  if (!(Math.abs(s - 1) <= SUM_TOLERANCE)) throw new Error(`member '${id}', sample ${i}: probabilities sum to ${+s.toPrecision(6)}`);
}

/** Combination coefficients per member (1 for mean/vote; the normalised-later weight for 'weighted'). */
export function combineCoefficients(o: EnsembleOutputs, spec: CombineSpec): Float64Array {
  const m = o.members.length;
  const coef = new Float64Array(m).fill(1);
  if (spec.method === 'vote' && o.task === 'regression') throw new Error("combine method 'vote' is only for classification");
  if (spec.method !== 'mean' && spec.method !== 'vote' && spec.method !== 'weighted') throw new Error(`unknown combine method '${String(spec.method)}'`);
  if (spec.method !== 'weighted') return coef;
  const w = spec.weights;
  if (!w) throw new Error("combine method 'weighted' needs weights");
  const ids = new Set(o.members.map((x) => x.id));
  for (const k of Object.keys(w)) if (!ids.has(k)) throw new Error(`weight given for unknown member '${k}'`);
  let total = 0;
  o.members.forEach((x, i) => {
    const v = w[x.id];
    if (v === undefined) throw new Error(`member '${x.id}' has no weight`);
    if (!(v >= 0) || !Number.isFinite(v)) throw new Error(`member '${x.id}': weight must be finite and >= 0, got ${v}`);
    coef[i] = v;
    total += v;
  });
  if (!(total > 0)) throw new Error('combine weights sum to 0');
  return coef;
}
