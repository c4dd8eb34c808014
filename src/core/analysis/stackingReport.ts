// Stacking section: pool of best members, optional redundancy pruning inside the pool, condition
// numbers of the centred design Gram matrix before/after pruning, CV fit, and the plain-average score.
import { redundancyClusters } from './contributions.js';
import { rowCorrelation } from './linalg.js';
import { clippedLogs, float32Bits } from './ln32.js';
import { EPS as CLIP } from './metrics.js';
import { foldIds, streamFor, subsample } from './random.js';
import { centredGram, crossValidate, designCondition, type Design } from './stacking.js';
import type { Stacking } from './types.js';

// module-local copies: imported bindings can compile to getters in hot loops
const EPS = CLIP;
const lnRow = clippedLogs;

export interface StackingInput {
  kind: 'ridge' | 'logPool';
  ids: string[];
  /** Loss per member (NLL or RMSE): the pool takes the lowest. */
  loss: number[];
  /**
   * Per member, the signal whose correlation decides redundancy (p of the true class, whose correlation is
   * that of the error signal 1 - p; or the residual): M rows of n values. Only the pool's rows are correlated.
   */
  signal(i: number): ArrayLike<number>;
  values: Float32Array[];
  labels: Float32Array;
  c: number;
  opts: { folds: number; alphas: number[]; prune: boolean; maxMembers: number; maxSamples: number; threshold: number; seed: number };
}

/** Builds the stacking report (pool selection documented in docs/metrics.md#stacking). */
export function stackingReport(inp: StackingInput): Stacking {
  const { ids, loss, values, labels, c, opts, kind } = inp;
  const m = ids.length;
  const n = labels.length;
  const pool = Array.from({ length: m }, (_, i) => i).sort((a, b) => loss[a] - loss[b] || a - b).slice(0, opts.maxMembers).sort((a, b) => a - b);
  const q = pool.length;
  const rowsOfPool = new Float64Array(q * n);
  pool.forEach((i, a) => rowsOfPool.set(inp.signal(i), a * n));
  const sub = rowCorrelation(rowsOfPool, q, n);
  const poolIds = pool.map((i) => ids[i]);
  const red = redundancyClusters(sub, poolIds, pool.map((i) => loss[i]), opts.threshold);
  const prunedSet = new Set(opts.prune ? red.pruned : []);
  const keep = poolIds.map((_, a) => a).filter((a) => !prunedSet.has(poolIds[a]));
  const rng = streamFor(opts.seed, 'stacking');
  const rows = subsample(n, opts.maxSamples, rng);
  const ns = rows.length;
  const cc = kind === 'ridge' ? 1 : c;
  const x = new Float64Array(q * ns * cc);
  const y = new Float64Array(ns);
  for (let s = 0; s < ns; s++) y[s] = labels[rows[s]];
  pool.forEach((i, a) => {
    const v = values[i];
    if (kind === 'ridge') {
      for (let s = 0; s < ns; s++) x[a * ns + s] = v[rows[s]];
      return;
    }
    // ln max(p, EPS) by ln32's table from the float32 bits (within 1e-14 of Math.log, about 3x faster)
    const u = float32Bits(v);
    for (let s = 0; s < ns; s++) lnRow(v, x, rows[s] * cc, cc, (a * ns + s) * cc, u);
  });
  const d: Design = { k: q, n: ns, c: cc, x, y };
  const folds = Math.min(opts.folds, ns);
  const fid = foldIds(ns, folds, rng);
  const cv = crossValidate(d, keep, fid, folds, opts.alphas, kind);
  const all = pool.map((_, a) => a);
  const gram = centredGram(d, all);
  const before = designCondition(gram, q, all);
  const weights: Record<string, number> = {};
  keep.forEach((a, j) => { weights[poolIds[a]] = cv.params[j]; });
  const intercept = kind === 'ridge' ? [cv.params[keep.length]] : [0, ...Array.from(cv.params.subarray(keep.length))];
  return {
    model: kind,
    members: keep.map((a) => poolIds[a]),
    pruned: poolIds.filter((id) => prunedSet.has(id)),
    sampleCount: ns, folds, alphas: opts.alphas,
    cvScores: cv.cvScores.map((v) => (Number.isFinite(v) ? v : null)),
    alpha: cv.bestAlpha, weights, intercept, cvScore: cv.cvScore,
    simpleAverageScore: simpleAverage(values, labels, rows, c, kind),
    conditionNumberBefore: before,
    // nothing pruned: the same design, so the same number
    conditionNumberAfter: keep.length === q ? before : designCondition(gram, q, keep),
  };
}

/** NLL (classification) or RMSE (regression) of the plain mean of all members on the stacking rows. */
function simpleAverage(values: Float32Array[], labels: Float32Array, rows: Int32Array, c: number, kind: 'ridge' | 'logPool'): number {
  const m = values.length;
  let acc = 0;
  for (const s of rows) {
    if (kind === 'ridge') {
      let f = 0;
      for (const v of values) f += v[s];
      acc += (f / m - labels[s]) ** 2;
    } else {
      let p = 0;
      const y = labels[s];
      for (const v of values) p += v[s * c + y];
      p /= m;
      acc -= Math.log(p > EPS ? p : EPS);
    }
  }
  return kind === 'ridge' ? Math.sqrt(acc / rows.length) : acc / rows.length;
}
