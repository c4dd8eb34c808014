// Shared, precomputed views of a classification ensemble: labels as ints, member argmaxes and
// p(true) as dense M x N arrays (member-major), combination coefficients, the combined probabilities.
import type { EnsembleOutputs } from '../outputs.js';
import { classificationMetrics, nllAndTrue, type MetricsResult } from './metrics.js';
import type { CombineSpec } from './types.js';

export interface ClsContext {
  n: number;
  c: number;
  m: number;
  ids: string[];
  labels: Int32Array;
  values: Float32Array[];
  method: CombineSpec['method'];
  /** Combination coefficient per member: 1, or the member's weight for 'weighted'. */
  coef: Float64Array;
  /** pred[i*n + s]: member i's argmax on sample s (ties to the lowest class). */
  pred: Int32Array;
  /** pTrue[i*n + s]: member i's probability of the true class. */
  pTrue: Float32Array;
  memberResults: MetricsResult[];
}

/** Runs the per-member pass (row validation + metrics + argmax + p(true)). */
export function buildContext(o: EnsembleOutputs, coef: Float64Array, method: CombineSpec['method'], eceBins: number): ClsContext {
  const n = o.nTest;
  const c = o.numClasses;
  const m = o.members.length;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = o.labels[i];
  const pred = new Int32Array(m * n);
  const pTrue = new Float32Array(m * n);
  const memberResults = o.members.map((mem, i) =>
    classificationMetrics(mem.values, labels, n, c, eceBins, { pred, pTrue, offset: i * n, validateId: mem.id }));
  return { n, c, m, ids: o.members.map((x) => x.id), labels, values: o.members.map((x) => x.values), method, coef, pred, pTrue, memberResults };
}

/**
 * What the side part of the analysis reads (classificationReport.ts): the members' p(true class) and NLL.
 * `full`: the whole context, when it was built anyway (one thread) or is needed (selection from 256 members).
 */
export interface SideContext extends Pick<ClsContext, 'n' | 'c' | 'm' | 'ids' | 'labels' | 'values' | 'pTrue'> {
  memberNll: number[];
  full?: ClsContext;
}

/** The side part's context from a full one. */
export function sideOf(ctx: ClsContext): SideContext {
  return { ...ctx, memberNll: ctx.memberResults.map((r) => r.metrics.nll), full: ctx };
}

/**
 * The side part's context without the members' other metrics (argmax, Brier, calibration, confusion): the rows
 * are validated and p(true) and the NLL computed as buildContext does, at about a fifth of its cost.
 */
export function buildSideContext(o: EnsembleOutputs): SideContext {
  const n = o.nTest;
  const c = o.numClasses;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = o.labels[i];
  const pTrue = new Float32Array(o.members.length * n);
  const memberNll = o.members.map((mem, i) => nllAndTrue(mem.values, labels, n, c, pTrue, i * n, mem.id));
  return { n, c, m: o.members.length, ids: o.members.map((x) => x.id), labels, values: o.members.map((x) => x.values), pTrue, memberNll };
}

/**
 * Adds sign * member i's contribution to the running sum S (n x c): coef_i * p_i for mean/weighted,
 * the one-hot of its argmax for vote. The combined distribution is S / (sum of coefficients used).
 */
export function addContribution(ctx: ClsContext, s: Float64Array, i: number, sign = 1): void {
  const { n, c } = ctx;
  if (ctx.method === 'vote') {
    const pr = ctx.pred;
    for (let t = 0, o = i * n; t < n; t++) s[t * c + pr[o + t]] += sign;
    return;
  }
  const v = ctx.values[i];
  const w = sign * ctx.coef[i];
  for (let k = 0, e = n * c; k < e; k++) s[k] += w * v[k];
}

/** The contribution's weight in the normaliser (1 per vote; coef_i otherwise). */
export function contributionWeight(ctx: ClsContext, i: number): number {
  return ctx.method === 'vote' ? 1 : ctx.coef[i];
}

/** Running sum of the contributions of a set of members (default all, in order) and its normaliser. */
export function combineSum(ctx: ClsContext, members?: ArrayLike<number>): { sum: Float64Array; w: number } {
  const sum = new Float64Array(ctx.n * ctx.c);
  let w = 0;
  const list = members ?? Array.from({ length: ctx.m }, (_, i) => i);
  for (let j = 0; j < list.length; j++) { addContribution(ctx, sum, list[j]); w += contributionWeight(ctx, list[j]); }
  return { sum, w };
}

/** Combined probabilities from a combineSum result (a new array). */
export function normalise({ sum, w }: { sum: Float64Array; w: number }): Float64Array {
  const s = new Float64Array(sum.length);
  // divide (not multiply by 1/w): vote fractions such as 3/5 must be the correctly rounded 0.6
  for (let k = 0; k < s.length; k++) s[k] = sum[k] / w;
  return s;
}

/** Combined probabilities of a set of members (default all): mean, weighted mean, or vote fractions. */
export function combine(ctx: ClsContext, members?: ArrayLike<number>): Float64Array {
  return normalise(combineSum(ctx, members));
}

/** Plain (unweighted) mean of all members' probabilities, whatever the combine method. */
export function meanProbs(ctx: ClsContext): Float64Array {
  const s = new Float64Array(ctx.n * ctx.c);
  for (const v of ctx.values) for (let k = 0; k < s.length; k++) s[k] += v[k];
  for (let k = 0; k < s.length; k++) s[k] /= ctx.m;
  return s;
}
