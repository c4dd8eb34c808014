// Incremental sub-ensemble scoring: a running sum of member contributions over a set of samples,
// so size curves, greedy orders, leave-one-out and ensemble selection cost O(N C) per step.
// NLL sums take one logarithm per 16 samples: ln of the product of 16 clipped probabilities
// (each >= 1e-12, so the product stays >= 1e-192; rounding stays at a few ulps).
import { BoundedAccuracy, emptyBoundSums, type BoundSums, type PrefixPlan } from './boundedScore.js';
import type { ClsContext } from './context.js';
import { EPS as CLIP } from './metrics.js';

// module-local copy: imported bindings can compile to getters in hot loops
const EPS = CLIP;

export interface ScoreState {
  /** Running sum of contributions: n x c (classification) or n (regression). */
  s: Float64Array;
  /** Running sum of contributions to the true class (classification only). */
  t: Float64Array;
  w: number;
  /** Argmax and gap to the runner-up of each row of s, built by evaluateWithout; reset by every addition. */
  top?: { best: Int32Array; gap: Float64Array };
  /** Bound mode (create(true)): s is empty; see Scorer.create and boundedScore.ts. */
  bound?: BoundSums;
}

/** A family of sub-ensembles of one ensemble, scored on a fixed set of samples. */
export interface Scorer {
  /** Metric names reported by evaluate(); `loss` is the one greedy procedures minimise. */
  readonly metrics: string[];
  readonly loss: string;
  /** Number of samples scored. */
  readonly ns: number;
  /**
   * A new empty state. `bounded` (classification; ignored for regression): at O(N) per addition instead of
   * O(N C), for the nll candidateLoss(es) with either addAndEvaluate (the greedy order) or add (sign 1; the
   * state can then no longer be scored: ensemble selection) only.
   */
  create(bounded?: boolean): ScoreState;
  add(st: ScoreState, i: number, sign?: number): void;
  evaluate(st: ScoreState): Record<string, number>;
  /** Value of the minimised loss if member j were added once more (state unchanged). */
  candidateLoss(st: ScoreState, j: number, lossName?: string): number;
  /** candidateLoss of each member of `js`, computed together where that is cheaper (see candidateLosses below). */
  candidateLosses?(st: ScoreState, js: number[], lossName?: string): number[];
  /** Metrics with member j removed once (state unchanged). */
  evaluateWithout(st: ScoreState, j: number): Record<string, number>;
  /** evaluateWithout of each member of `js`, computed together where that is cheaper. */
  evaluateWithoutEach?(st: ScoreState, js: number[]): Record<string, number>[];
  /** add(st, i) followed by evaluate(st); for bound-mode states in one pass, and the only way to score them. */
  addAndEvaluate(st: ScoreState, i: number): Record<string, number>;
  /** add(st, j) for each j of `list` in order, then evaluate(st). */
  addManyAndEvaluate(st: ScoreState, list: number[]): Record<string, number>;
  /**
   * Metrics of every scored prefix of the plan's orders (as states adding those members in order score
   * them), in one pass over the samples; scorers without it are walked state by state (contributions.ts).
   */
  evaluatePrefixes?(plan: PrefixPlan): Record<string, number>[];
}

/**
 * Sum over the samples of -ln max((T[s] + w tt[from + s]) * inv, EPS), one logarithm per 16 samples (blocks
 * of 16 as inner loops: no per-sample test for the block's end; the same products). The last, shorter block
 * runs in the same loop: a loop of its own that the sample count rarely enters deoptimised the function.
 */
function nllWith(T: Float64Array, tt: Float32Array, from: number, w: number, inv: number, ns: number): number {
  let nll = 0;
  for (let s = 0; s < ns;) {
    let prod = 1;
    for (const e = Math.min(s + 16, ns); s < e; s++) {
      const p = (T[s] + w * tt[from + s]) * inv;
      prod *= p > EPS ? p : EPS;
    }
    nll -= Math.log(prod);
  }
  return nll;
}

/**
 * nllWith of four candidates at once, a of them from[a], w[a], inv[a], into out[o + a]: each sample's T read
 * once for the four (the same products, blocks and logarithms as nllWith).
 */
function nllWith4(T: Float64Array, tt: Float32Array, from: Int32Array, w: Float64Array, inv: Float64Array, ns: number, out: number[], o: number): void {
  const f0 = from[0];
  const f1 = from[1];
  const f2 = from[2];
  const f3 = from[3];
  const w0 = w[0];
  const w1 = w[1];
  const w2 = w[2];
  const w3 = w[3];
  const i0 = inv[0];
  const i1 = inv[1];
  const i2 = inv[2];
  const i3 = inv[3];
  // sums kept in `out`: nothing after the loop (stores there had no type feedback and deoptimised it)
  out[o] = 0;
  out[o + 1] = 0;
  out[o + 2] = 0;
  out[o + 3] = 0;
  for (let s = 0; s < ns;) {
    let p0 = 1;
    let p1 = 1;
    let p2 = 1;
    let p3 = 1;
    for (const e = Math.min(s + 16, ns); s < e; s++) {
      const t = T[s];
      const a = (t + w0 * tt[f0 + s]) * i0;
      p0 *= a > EPS ? a : EPS;
      const b = (t + w1 * tt[f1 + s]) * i1;
      p1 *= b > EPS ? b : EPS;
      const c = (t + w2 * tt[f2 + s]) * i2;
      p2 *= c > EPS ? c : EPS;
      const d = (t + w3 * tt[f3 + s]) * i3;
      p3 *= d > EPS ? d : EPS;
    }
    out[o] -= Math.log(p0);
    out[o + 1] -= Math.log(p1);
    out[o + 2] -= Math.log(p2);
    out[o + 3] -= Math.log(p3);
  }
}

/** Argmax (ties to the lowest class) and gap to the largest other value of each row of an ns x c matrix. */
function topTwo(S: Float64Array, ns: number, c: number): { best: Int32Array; gap: Float64Array } {
  const best = new Int32Array(ns);
  const gap = new Float64Array(ns);
  for (let s = 0; s < ns; s++) {
    const o = s * c;
    let b = 0;
    let bv = S[o];
    let second = -Infinity;
    for (let k = 1; k < c; k++) {
      const x = S[o + k];
      if (x > bv) { second = bv; bv = x; b = k; } else if (x > second) second = x;
    }
    best[s] = b;
    gap[s] = bv - second;
  }
  return { best, gap };
}

/** Argmax (ties to the lowest class) of row o of S minus w times row o of v. */
function argmaxWithout(S: Float64Array, v: Float32Array, w: number, o: number, c: number): number {
  let best = 0;
  let bv = -Infinity;
  for (let k = 0; k < c; k++) {
    const x = S[o + k] - w * v[o + k];
    if (x > bv) { bv = x; best = k; }
  }
  return best;
}

/**
 * evaluateWithout's pass (probabilities, rows of v aligned with S's) for four members at once, a of them with
 * rows va..vd, p(true) from tt[from[a]], coefficient w[a] and normaliser inv[a]: correct counts into
 * out[a], nll sums into out[4 + a] (the same decisions, products and logarithms as evaluateWithout).
 */
function withoutScores4(
  S: Float64Array, T: Float64Array, va: Float32Array, vb: Float32Array, vc: Float32Array, vd: Float32Array, tt: Float32Array,
  from: Int32Array, w: Float64Array, inv: Float64Array, best: Int32Array, gap: Float64Array, ys: Int32Array, ns: number, c: number,
  out: Float64Array,
): void {
  const fa = from[0];
  const fb = from[1];
  const fc = from[2];
  const fd = from[3];
  const wa = w[0];
  const wb = w[1];
  const wc = w[2];
  const wd = w[3];
  const ia = inv[0];
  const ib = inv[1];
  const ic = inv[2];
  const id = inv[3];
  out.fill(0);
  for (let s = 0; s < ns;) {
    let pa = 1;
    let pb = 1;
    let pc = 1;
    let pd = 1;
    for (const e = Math.min(s + 16, ns); s < e; s++) {
      const o = s * c;
      const k = best[s];
      const g = gap[s];
      // removing w v (v >= 0) lowers the leader by w v_best and the others by >= 0: when that stays below its
      // gap to the runner-up (with a margin far above rounding) the argmax cannot change
      const margin = 1e-9 * (Math.abs(S[o + k]) + 1);
      const y = ys[s];
      const t = T[s];
      out[0] += +((g - wa * va[o + k] > margin ? k : argmaxWithout(S, va, wa, o, c)) === y);
      out[1] += +((g - wb * vb[o + k] > margin ? k : argmaxWithout(S, vb, wb, o, c)) === y);
      out[2] += +((g - wc * vc[o + k] > margin ? k : argmaxWithout(S, vc, wc, o, c)) === y);
      out[3] += +((g - wd * vd[o + k] > margin ? k : argmaxWithout(S, vd, wd, o, c)) === y);
      const qa = (t - wa * tt[fa + s]) * ia;
      pa *= qa > EPS ? qa : EPS;
      const qb = (t - wb * tt[fb + s]) * ib;
      pb *= qb > EPS ? qb : EPS;
      const qc = (t - wc * tt[fc + s]) * ic;
      pc *= qc > EPS ? qc : EPS;
      const qd = (t - wd * tt[fd + s]) * id;
      pd *= qd > EPS ? qd : EPS;
    }
    out[4] -= Math.log(pa);
    out[5] -= Math.log(pb);
    out[6] -= Math.log(pc);
    out[7] -= Math.log(pd);
  }
}

/** a[idx[s]] for each s. */
function gatherInt(a: Int32Array, idx: Int32Array): Int32Array {
  const out = new Int32Array(idx.length);
  for (let s = 0; s < idx.length; s++) out[s] = a[idx[s]];
  return out;
}

/** Columns idx of each of the m rows (length n) of a: m x idx.length. */
function gatherRows(a: Float32Array, idx: Int32Array, n: number, m: number): Float32Array {
  const ns = idx.length;
  const out = new Float32Array(m * ns);
  for (let i = 0; i < m; i++) for (let s = 0, o = i * ns, f = i * n; s < ns; s++) out[o + s] = a[f + idx[s]];
  return out;
}

/** 1 where member i's argmax (pred, m x n) is the label, per sample of idx (all samples when null): m x ns. */
function trueVotes(pred: Int32Array, labels: Int32Array, idx: Int32Array | null, n: number, m: number): Float32Array {
  const ns = idx ? idx.length : n;
  const out = new Float32Array(m * ns);
  for (let i = 0; i < m; i++) for (let s = 0; s < ns; s++) {
    const g = idx ? idx[s] : s;
    out[i * ns + s] = pred[i * n + g] === labels[g] ? 1 : 0;
  }
  return out;
}

/** Number of s < ns with a[s] === b[s]. */
function countEqual(a: Int32Array, b: Int32Array, ns: number): number {
  let k = 0;
  for (let s = 0; s < ns; s++) k += +(a[s] === b[s]);
  return k;
}

/** S[s * c + y[s]] for each s < ns. */
function labelEntries(S: Float64Array, y: Int32Array, ns: number, c: number): Float64Array {
  const t = new Float64Array(ns);
  for (let s = 0; s < ns; s++) t[s] = S[s * c + y[s]];
  return t;
}

/** Classification scorer: metrics accuracy and nll of S / W (argmax ties to the lowest class). */
export class ClsScorer implements Scorer {
  readonly metrics = ['accuracy', 'nll'];
  readonly ns: number;
  private readonly y: Int32Array;
  /** Per member (row-major m x ns) contribution to the true class, before the coefficient. */
  private readonly tTrue: Float32Array;

  /** Accuracy of bound-mode states and of planned prefixes (evaluatePrefixes). */
  private readonly bounded: BoundedAccuracy;

  /**
   * `idx` restricts scoring to those samples. `guide` (N x C over all samples, e.g. the combined
   * probabilities) picks each sample's challenger classes for the argmax bounds (boundedScore.ts).
   */
  constructor(private readonly ctx: ClsContext, private readonly idx: Int32Array | null, readonly loss: 'nll' | 'accuracy', guide: Float64Array) {
    const { n, m, labels, pred, pTrue, method } = ctx;
    this.ns = idx ? idx.length : n;
    this.y = idx ? gatherInt(labels, idx) : labels;
    const ns = this.ns;
    // all samples, probabilities: the context's p(true) as it is (never written)
    this.tTrue = method === 'vote' ? trueVotes(pred, labels, idx, n, m) : idx ? gatherRows(pTrue, idx, n, m) : pTrue;
    this.bounded = new BoundedAccuracy(ctx, idx, this.y, ns, guide);
  }

  create(bounded = false): ScoreState {
    const ns = this.ns;
    if (!bounded) return { s: new Float64Array(ns * this.ctx.c), t: new Float64Array(ns), w: 0 };
    return { s: new Float64Array(0), t: new Float64Array(ns), w: 0, bound: emptyBoundSums(ns) };
  }

  /**
   * The state after add(st, i) for i = 0..m-1, from that running sum of contributions (e.g. context.ts's
   * combineSum, which adds in the same order with the same rounding) and its normaliser; all samples only.
   * The label's running sums are the sum's label entries: the same terms added in the same order.
   */
  stateFromSum(sum: Float64Array, w: number): ScoreState {
    if (this.idx) throw new Error('stateFromSum needs a scorer over all samples');
    return { s: sum, t: labelEntries(sum, this.y, this.ns, this.ctx.c), w };
  }

  add(st: ScoreState, i: number, sign = 1): void {
    if (st.bound) { this.addBounded(st, st.bound, i); return; }
    const ns = this.ns;
    const w = this.ctx.method === 'vote' ? sign : sign * this.ctx.coef[i];
    st.w += w;
    st.top = undefined;
    const tt = this.tTrue;
    for (let s = 0; s < ns; s++) st.t[s] += w * tt[i * ns + s];
    this.bounded.addMember(st.s, i, sign);
  }

  evaluate(st: ScoreState): Record<string, number> {
    const { c } = this.ctx;
    const ns = this.ns;
    let correct = 0;
    let nll = 0;
    let prod = 1;
    const S = st.s;
    if (st.bound) throw new Error('a bound-mode state is scored by addAndEvaluate');
    if (st.top) correct = countEqual(st.top.best, this.y, ns); // the argmaxes evaluateWithout built
    else for (let s = 0; s < ns; s++) {
      const o = s * c;
      let best = 0;
      let bv = S[o];
      for (let k = 1; k < c; k++) if (S[o + k] > bv) { bv = S[o + k]; best = k; }
      if (best === this.y[s]) correct++;
    }
    const inv = 1 / st.w;
    for (let s = 0; s < ns; s++) {
      const p = st.t[s] * inv;
      prod *= p > EPS ? p : EPS;
      if ((s & 15) === 15) { nll -= Math.log(prod); prod = 1; }
    }
    nll -= Math.log(prod);
    return { accuracy: correct / ns, nll: nll / ns };
  }

  addAndEvaluate(st: ScoreState, i: number): Record<string, number> {
    const bs = st.bound;
    if (!bs) { this.add(st, i); return this.evaluate(st); }
    // bound mode: the addition, argmax bounds and nll in one pass
    const ns = this.ns;
    const w = this.ctx.method === 'vote' ? 1 : this.ctx.coef[i];
    st.w += w;
    const correct = this.bounded.addAndCorrect(st.t, bs, i, this.tTrue, i * ns, w, 1 / st.w);
    return { accuracy: correct / ns, nll: this.bounded.nllSum / ns };
  }

  evaluatePrefixes(plan: PrefixPlan): Record<string, number>[] {
    const { correct, nll } = this.bounded.prefixScores(plan, this.tTrue);
    const ns = this.ns;
    return correct.map((k, e) => ({ accuracy: k / ns, nll: nll[e] / ns }));
  }

  addManyAndEvaluate(st: ScoreState, list: number[]): Record<string, number> {
    if (list.length === 0) return this.evaluate(st);
    for (let j = 0; j < list.length - 1; j++) this.add(st, list[j]);
    return this.addAndEvaluate(st, list[list.length - 1]);
  }

  /**
   * evaluateWithout of each of js, four members per pass over the samples where the state's rows are the
   * members' (probabilities, all samples): each sample's argmax, gap and sums read once for the four
   * (withoutScores4); the others one by one.
   */
  evaluateWithoutEach(st: ScoreState, js: number[]): Record<string, number>[] {
    const { c, method, values, coef } = this.ctx;
    const ns = this.ns;
    const out: Record<string, number>[] = js.map(() => ({}));
    let a = 0;
    if (method !== 'vote' && !this.idx) {
      const top = st.top ?? (st.top = topTwo(st.s, ns, c));
      const v: Float32Array[] = [];
      const from = new Int32Array(4);
      const w = new Float64Array(4);
      const inv = new Float64Array(4);
      const sums = new Float64Array(8);
      for (; a + 4 <= js.length; a += 4) {
        for (let b = 0; b < 4; b++) {
          const j = js[a + b];
          v[b] = values[j];
          from[b] = j * ns;
          w[b] = coef[j];
          inv[b] = 1 / (st.w - w[b]);
        }
        withoutScores4(st.s, st.t, v[0], v[1], v[2], v[3], this.tTrue, from, w, inv, top.best, top.gap, this.y, ns, c, sums);
        for (let b = 0; b < 4; b++) out[a + b] = { accuracy: sums[b] / ns, nll: sums[4 + b] / ns };
      }
    }
    for (; a < js.length; a++) out[a] = this.evaluateWithout(st, js[a]);
    return out;
  }

  /** Metrics of the state with member j removed once (state unchanged): one fused pass. */
  evaluateWithout(st: ScoreState, j: number): Record<string, number> {
    const { c, n, method, pred, values } = this.ctx;
    const ns = this.ns;
    const idx = this.idx;
    const vote = method === 'vote';
    const w = vote ? 1 : this.ctx.coef[j];
    const inv = 1 / (st.w - w);
    const S = st.s;
    const T = st.t;
    const tt = this.tTrue;
    const ys = this.y;
    const v = values[j];
    const top = vote ? null : (st.top ?? (st.top = topTwo(S, ns, c)));
    let correct = 0;
    let nll = 0;
    let prod = 1;
    for (let s = 0; s < ns; s++) {
      const o = s * c;
      let best = 0;
      let bv = -Infinity;
      // removing w v (v >= 0) lowers the leader by w v_best and the others by >= 0: when that stays below its
      // gap to the runner-up (with a margin far above rounding) the argmax cannot change
      const vo = idx ? idx[s] * c : o;
      if (top && top.gap[s] - w * v[vo + top.best[s]] > 1e-9 * (Math.abs(S[o + top.best[s]]) + 1)) {
        best = top.best[s];
      } else if (vote) {
        const pj = pred[j * n + (idx ? idx[s] : s)];
        for (let k = 0; k < c; k++) {
          const x = k === pj ? S[o + k] - 1 : S[o + k];
          if (x > bv) { bv = x; best = k; }
        }
      } else {
        for (let k = 0; k < c; k++) {
          const x = S[o + k] - w * v[vo + k];
          if (x > bv) { bv = x; best = k; }
        }
      }
      if (best === ys[s]) correct++;
      const p = (T[s] - w * tt[j * ns + s]) * inv;
      prod *= p > EPS ? p : EPS;
      if ((s & 15) === 15) { nll -= Math.log(prod); prod = 1; }
    }
    nll -= Math.log(prod);
    return { accuracy: correct / ns, nll: nll / ns };
  }

  /** Bound-mode addition (sign 1): the running sum of the true class now, the challenger's and the bound's when evaluated. */
  private addBounded(st: ScoreState, bs: BoundSums, i: number): void {
    const w = this.ctx.method === 'vote' ? 1 : this.ctx.coef[i];
    st.w += w;
    bs.list.push(i);
    const ns = this.ns;
    const tt = this.tTrue;
    const T = st.t;
    for (let s = 0, o = i * ns; s < ns; s++) T[s] += w * tt[o + s];
  }

  /** The nll candidate losses four at a time (nllWith4: half the time of one by one); others one by one. */
  candidateLosses(st: ScoreState, js: number[], lossName: string = this.loss): number[] {
    if (lossName !== 'nll') return js.map((j) => this.candidateLoss(st, j, lossName));
    const ns = this.ns;
    const { method, coef } = this.ctx;
    const out: number[] = js.map(() => 0);
    const from = new Int32Array(4);
    const w = new Float64Array(4);
    const inv = new Float64Array(4);
    let a = 0;
    for (; a + 4 <= js.length; a += 4) {
      for (let b = 0; b < 4; b++) {
        const j = js[a + b];
        from[b] = j * ns;
        w[b] = method === 'vote' ? 1 : coef[j];
        inv[b] = 1 / (st.w + w[b]);
      }
      nllWith4(st.t, this.tTrue, from, w, inv, ns, out, a);
      for (let b = a; b < a + 4; b++) out[b] /= ns;
    }
    for (; a < js.length; a++) out[a] = this.candidateLoss(st, js[a], lossName);
    return out;
  }

  candidateLoss(st: ScoreState, j: number, lossName: string = this.loss): number {
    const ns = this.ns;
    const { method, coef, c, values, pred, n } = this.ctx;
    const w = method === 'vote' ? 1 : coef[j];
    if (lossName === 'nll') {
      return nllWith(st.t, this.tTrue, j * ns, w, 1 / (st.w + w), ns) / ns;
    }
    // accuracy (as a loss: 1 - accuracy)
    const S = st.s;
    const v = values[j];
    let correct = 0;
    for (let s = 0; s < ns; s++) {
      const g = this.idx ? this.idx[s] : s;
      const o = s * c;
      const pj = method === 'vote' ? pred[j * n + g] : -1;
      let best = 0;
      let bv = -Infinity;
      for (let k = 0; k < c; k++) {
        const x = S[o + k] + (method === 'vote' ? (k === pj ? 1 : 0) : w * v[g * c + k]);
        if (x > bv) { bv = x; best = k; }
      }
      if (best === this.y[s]) correct++;
    }
    return 1 - correct / ns;
  }
}
