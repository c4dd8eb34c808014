// Incremental sub-ensemble scoring: a running sum of member contributions over a set of samples,
// so size curves, greedy orders, leave-one-out and ensemble selection cost O(N C) per step.
// NLL sums take one logarithm per 16 samples: ln of the product of 16 clipped probabilities
// (each >= 1e-12, so the product stays >= 1e-192; rounding stays at a few ulps).
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
  /** Bound mode (create(true)): s is empty; see ClsScorer.bounded. */
  bound?: BoundSums;
}

/**
 * Running sums of a bound-mode state, member by member in the order added (so each equals, bit for bit, the
 * corresponding sum of the full matrix s): v = contributions to the sample's challenger class, u = the
 * largest contribution among the remaining classes (an upper bound on each of their sums, since rounded
 * sums of non-negative terms are monotone); `list` = the members added, in order.
 */
interface BoundSums {
  v: Float64Array;
  u: Float64Array;
  list: number[];
  /** Members of `list` already in v and u: they are brought up to date only when accuracy is needed. */
  done: number;
  /**
   * The full running sum (n x c), built only once re-summing the undecided samples member by member would
   * cost more than keeping it (many undecided samples times many members, e.g. large ensembles), and the
   * members of `list` already in it.
   */
  full: Float64Array | null;
  fullDone: number;
}

/** A family of sub-ensembles of one ensemble, scored on a fixed set of samples. */
export interface Scorer {
  /** Metric names reported by evaluate(); `loss` is the one greedy procedures minimise. */
  readonly metrics: string[];
  readonly loss: string;
  /** Number of samples scored. */
  readonly ns: number;
  /**
   * A new empty state. `bounded`: for add (sign 1), evaluate, addAndEvaluate, addManyAndEvaluate and the
   * nll candidateLoss only, at O(N) per addition instead of O(N C) (classification; ignored for regression).
   */
  create(bounded?: boolean): ScoreState;
  add(st: ScoreState, i: number, sign?: number): void;
  evaluate(st: ScoreState): Record<string, number>;
  /** Value of the minimised loss if member j were added once more (state unchanged). */
  candidateLoss(st: ScoreState, j: number, lossName?: string): number;
  /** Metrics with member j removed once (state unchanged). */
  evaluateWithout(st: ScoreState, j: number): Record<string, number>;
  /** add(st, i) followed by evaluate(st), fused into one pass where possible. */
  addAndEvaluate(st: ScoreState, i: number): Record<string, number>;
  /** add(st, j) for each j of `list` in order, then evaluate(st) (the last addition fused with it where possible). */
  addManyAndEvaluate(st: ScoreState, list: number[]): Record<string, number>;
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

/** Classification scorer: metrics accuracy and nll of S / W (argmax ties to the lowest class). */
export class ClsScorer implements Scorer {
  readonly metrics = ['accuracy', 'nll'];
  readonly ns: number;
  private readonly y: Int32Array;
  /** Per member (row-major m x ns) contribution to the true class, before the coefficient. */
  private readonly tTrue: Float32Array;

  /** Members' probabilities gathered on the subset (compact mode), member-major ns x c each. */
  private readonly gathered: Float32Array[] | null;

  /**
   * `idx` restricts scoring to those samples; `compact` gathers the members' rows once (M * |idx| * C
   * floats) so that repeated additions stream contiguously (size curves).
   */
  /**
   * `guide` (optional, N x C over all samples, e.g. the combined probabilities) picks each sample's challenger
   * class for bound mode; without it the first 16 members' summed contributions do.
   */
  constructor(private readonly ctx: ClsContext, private readonly idx: Int32Array | null, readonly loss: 'nll' | 'accuracy' = 'nll', compact = false, private readonly guide?: Float64Array) {
    const { n, m, c, labels, pred, pTrue, method } = ctx;
    this.gathered = null;
    if (idx && compact && method !== 'vote') {
      this.gathered = ctx.values.map((v) => {
        const g = new Float32Array(idx.length * c);
        for (let s = 0; s < idx.length; s++) for (let k = 0; k < c; k++) g[s * c + k] = v[idx[s] * c + k];
        return g;
      });
    }
    this.ns = idx ? idx.length : n;
    this.y = idx ? Int32Array.from(idx, (s) => labels[s]) : labels;
    const ns = this.ns;
    this.tTrue = new Float32Array(m * ns);
    for (let i = 0; i < m; i++) for (let s = 0; s < ns; s++) {
      const g = idx ? idx[s] : s;
      this.tTrue[i * ns + s] = method === 'vote' ? (pred[i * n + g] === labels[g] ? 1 : 0) : pTrue[i * n + g];
    }
  }

  create(bounded = false): ScoreState {
    const ns = this.ns;
    if (!bounded) return { s: new Float64Array(ns * this.ctx.c), t: new Float64Array(ns), w: 0 };
    return { s: new Float64Array(0), t: new Float64Array(ns), w: 0, bound: { v: new Float64Array(ns), u: new Float64Array(ns), list: [], done: 0, full: null, fullDone: 0 } };
  }

  /**
   * The state after add(st, i) for i = 0..m-1, from that running sum of contributions (e.g. context.ts's
   * combineSum, which adds in the same order with the same rounding) and its normaliser; all samples only.
   */
  stateFromSum(sum: Float64Array, w: number): ScoreState {
    const { m, method, coef } = this.ctx;
    if (this.idx) throw new Error('stateFromSum needs a scorer over all samples');
    const ns = this.ns;
    const t = new Float64Array(ns);
    const tt = this.tTrue;
    for (let i = 0; i < m; i++) {
      const wi = method === 'vote' ? 1 : coef[i];
      for (let s = 0, o = i * ns; s < ns; s++) t[s] += wi * tt[o + s];
    }
    return { s: sum, t, w };
  }

  add(st: ScoreState, i: number, sign = 1): void {
    if (st.bound) { this.addBounded(st, st.bound, i); return; }
    const { c, n, method, pred, values } = this.ctx;
    const ns = this.ns;
    const idx = this.idx;
    const w = method === 'vote' ? sign : sign * this.ctx.coef[i];
    st.w += w;
    st.top = undefined;
    const tt = this.tTrue;
    for (let s = 0; s < ns; s++) st.t[s] += w * tt[i * ns + s];
    const S = st.s;
    if (method === 'vote') {
      for (let s = 0; s < ns; s++) S[s * c + pred[i * n + (idx ? idx[s] : s)]] += sign;
      return;
    }
    if (!idx || this.gathered) {
      const v = this.gathered ? this.gathered[i] : values[i];
      for (let k = 0, e = ns * c; k < e; k++) S[k] += w * v[k];
      return;
    }
    const v = values[i];
    for (let s = 0; s < ns; s++) {
      const a = s * c;
      const b = idx[s] * c;
      for (let k = 0; k < c; k++) S[a + k] += w * v[b + k];
    }
  }

  evaluate(st: ScoreState): Record<string, number> {
    const { c } = this.ctx;
    const ns = this.ns;
    let correct = 0;
    let nll = 0;
    let prod = 1;
    const S = st.s;
    if (st.bound) correct = this.boundedCorrect(st, st.bound);
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
    const { c, method, values } = this.ctx;
    if (st.bound || method === 'vote' || (this.idx && !this.gathered)) { this.add(st, i); return this.evaluate(st); }
    const ns = this.ns;
    const w = this.ctx.coef[i];
    st.w += w;
    st.top = undefined;
    const inv = 1 / st.w;
    const v = this.gathered ? this.gathered[i] : values[i];
    const S = st.s;
    const T = st.t;
    const tt = this.tTrue;
    const ys = this.y;
    let correct = 0;
    let nll = 0;
    let prod = 1;
    for (let s = 0; s < ns; s++) {
      const o = s * c;
      let best = 0;
      let bv = -Infinity;
      for (let k = 0; k < c; k++) {
        const x = S[o + k] + w * v[o + k];
        S[o + k] = x;
        if (x > bv) { bv = x; best = k; }
      }
      if (best === ys[s]) correct++;
      const t = T[s] + w * tt[i * ns + s];
      T[s] = t;
      const p = t * inv;
      prod *= p > EPS ? p : EPS;
      if ((s & 15) === 15) { nll -= Math.log(prod); prod = 1; }
    }
    nll -= Math.log(prod);
    return { accuracy: correct / ns, nll: nll / ns };
  }

  addManyAndEvaluate(st: ScoreState, list: number[]): Record<string, number> {
    if (list.length === 0) return this.evaluate(st);
    const last = list.length - 1;
    const paired = !st.bound && this.ctx.method !== 'vote' && (!this.idx || this.gathered !== null);
    let j = 0;
    if (paired) for (; j + 1 < last; j += 2) this.addPair(st, list[j], list[j + 1]);
    for (; j < last; j++) this.add(st, list[j]);
    return this.addAndEvaluate(st, list[last]);
  }

  /** add(st, a); add(st, b) in one pass (a third less memory traffic); `x + wa va + wb vb` rounds exactly as they do. */
  private addPair(st: ScoreState, a: number, b: number): void {
    const { c, values, coef } = this.ctx;
    const ns = this.ns;
    const wa = coef[a];
    const wb = coef[b];
    st.w += wa;
    st.w += wb;
    st.top = undefined;
    const tt = this.tTrue;
    const T = st.t;
    for (let s = 0, oa = a * ns, ob = b * ns; s < ns; s++) T[s] = T[s] + wa * tt[oa + s] + wb * tt[ob + s];
    const va = this.gathered ? this.gathered[a] : values[a];
    const vb = this.gathered ? this.gathered[b] : values[b];
    const S = st.s;
    for (let k = 0, e = ns * c; k < e; k++) S[k] = S[k] + wa * va[k] + wb * vb[k];
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
    const v = this.gathered ? this.gathered[j] : values[j];
    const direct = !idx || this.gathered !== null;
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
      if (top && top.gap[s] - w * v[(direct ? o : (idx as Int32Array)[s] * c) + top.best[s]] > 1e-9 * (Math.abs(S[o + top.best[s]]) + 1)) {
        best = top.best[s];
      } else if (vote) {
        const pj = pred[j * n + (idx ? idx[s] : s)];
        for (let k = 0; k < c; k++) {
          const x = k === pj ? S[o + k] - 1 : S[o + k];
          if (x > bv) { bv = x; best = k; }
        }
      } else {
        const vo = direct ? o : (idx as Int32Array)[s] * c;
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

  /**
   * Per sample, the challenger class (argmax over classes other than the label of the guide, or of the summed
   * contributions of up to 16 members: any choice is exact, a likely winner decides more samples), and per
   * member, lazily on its first bounded addition, its contributions to the challenger and the largest to any
   * remaining class.
   */
  private bounds: { chal: Int32Array; tChal: Float32Array[]; tOther: Float32Array[]; ready: Uint8Array; acc: Float64Array } | null = null;

  private boundsFor(i: number): { chal: Int32Array; tChal: Float32Array[]; tOther: Float32Array[]; acc: Float64Array } {
    const { c, m, n, method, pred, values } = this.ctx;
    const ns = this.ns;
    const idx = this.idx;
    const vote = method === 'vote';
    let b = this.bounds;
    if (!b) {
      const guide = this.guide;
      const sum = guide && !idx ? guide : new Float64Array(ns * c);
      if (guide && idx) for (let s = 0; s < ns; s++) for (let k = 0; k < c; k++) sum[s * c + k] = guide[idx[s] * c + k];
      if (!guide) for (let j = 0; j < Math.min(m, 16); j++) {
        const v = this.gathered ? this.gathered[j] : values[j];
        for (let s = 0; s < ns; s++) {
          const g = idx ? idx[s] : s;
          if (vote) { sum[s * c + pred[j * n + g]]++; continue; }
          const from = (this.gathered || !idx ? s : g) * c;
          for (let k = 0; k < c; k++) sum[s * c + k] += v[from + k];
        }
      }
      const chal = new Int32Array(ns);
      for (let s = 0; s < ns; s++) {
        const y = this.y[s];
        let best = y === 0 ? 1 : 0;
        for (let k = best + 1; k < c; k++) if (k !== y && sum[s * c + k] > sum[s * c + best]) best = k;
        chal[s] = best;
      }
      // per member, allocated on its first bounded addition (a greedy order over many members adds few)
      b = this.bounds = { chal, tChal: new Array<Float32Array>(m), tOther: new Array<Float32Array>(m), ready: new Uint8Array(m), acc: new Float64Array(c) };
    }
    if (!b.ready[i]) {
      b.ready[i] = 1;
      const chal = b.chal;
      const tChal = (b.tChal[i] = new Float32Array(ns));
      const tOther = (b.tOther[i] = new Float32Array(ns));
      const v = this.gathered ? this.gathered[i] : values[i];
      const ys = this.y;
      for (let s = 0; s < ns; s++) {
        const y = ys[s];
        const ch = chal[s];
        if (vote) {
          const p = pred[i * n + (idx ? idx[s] : s)];
          tChal[s] = p === ch ? 1 : 0;
          tOther[s] = p !== ch && p !== y ? 1 : 0;
          continue;
        }
        const from = (this.gathered || !idx ? s : (idx as Int32Array)[s]) * c;
        let mx = 0; // contributions are >= 0; with no remaining class (C = 2) any bound >= 0 is valid
        for (let k = 0; k < c; k++) if (k !== y && k !== ch && v[from + k] > mx) mx = v[from + k];
        tChal[s] = v[from + ch];
        tOther[s] = mx;
      }
    }
    return b;
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

  /** Adds the members added since the last evaluation to the challenger and bound sums, in the order added. */
  private catchUp(bs: BoundSums): void {
    const ns = this.ns;
    const V = bs.v;
    const U = bs.u;
    for (; bs.done < bs.list.length; bs.done++) {
      const i = bs.list[bs.done];
      const b = this.boundsFor(i);
      const tChal = b.tChal[i];
      const tOther = b.tOther[i];
      const w = this.ctx.method === 'vote' ? 1 : this.ctx.coef[i];
      for (let s = 0; s < ns; s++) {
        V[s] += w * tChal[s];
        U[s] += w * tOther[s];
      }
    }
  }

  /**
   * Samples whose argmax of s (which bound mode does not store) is the label, exactly: T and V are s's
   * entries of the label and the challenger; U bounds every other entry from above. Samples these do not
   * decide are summed again member by member in the order added (the same rounding as s).
   */
  private boundedCorrect(st: ScoreState, bs: BoundSums): number {
    // with the full sum kept and several members added since the last evaluation (sparse size grids of large
    // ensembles), scanning it is cheaper than bringing the bounds up to date; they catch up when needed again
    if (bs.full && bs.list.length - bs.done > 2) return this.fullCorrect(bs, bs.full);
    this.catchUp(bs);
    const { chal, acc } = this.boundsFor(bs.list[0] ?? 0);
    const ns = this.ns;
    const ys = this.y;
    const T = st.t;
    const V = bs.v;
    const U = bs.u;
    const list = bs.list;
    const open = this.undecided ?? (this.undecided = new Int32Array(ns));
    let nOpen = 0;
    let correct = 0;
    for (let s = 0; s < ns; s++) {
      const t = T[s];
      const x = V[s];
      const y = ys[s];
      // 0/1 flags without branches (the outcomes are data-dependent, so branches would be mispredicted):
      // `lose`: the challenger beats the label; `win`: the label beats the challenger and every other class
      const lose = +(x > t) | (+(x === t) & +(chal[s] < y));
      const win = +(t > U[s]) & (lose ^ 1);
      correct += win;
      open[nOpen] = s;
      nOpen += (lose | win) ^ 1;
    }
    if (nOpen === 0) return correct;
    // undecided samples: re-sum each one's rows member by member while that reads fewer rows than one pass
    // over all samples, else keep the full sum from here on (brought up to date member by member, then read)
    const c = this.ctx.c;
    if (!bs.full && nOpen * list.length <= ns) {
      for (let j = 0; j < nOpen; j++) if (this.exactArgmax(open[j], list, acc) === ys[open[j]]) correct++;
      return correct;
    }
    const S = bs.full ?? (bs.full = new Float64Array(ns * c));
    this.catchUpSum(bs, S);
    for (let j = 0; j < nOpen; j++) {
      const o = open[j] * c;
      let best = 0;
      let bv = -Infinity;
      for (let k = 0; k < c; k++) if (S[o + k] > bv) { bv = S[o + k]; best = k; }
      if (best === ys[open[j]]) correct++;
    }
    return correct;
  }

  /** Correct argmaxes of the full sum S, after adding the members added since the last evaluation. */
  private fullCorrect(bs: BoundSums, S: Float64Array): number {
    const c = this.ctx.c;
    const ys = this.y;
    let correct = 0;
    const direct = this.ctx.method !== 'vote' && (!this.idx || this.gathered);
    if (direct && bs.fullDone < bs.list.length) {
      // the last addition fused with the argmax pass (the same sums)
      const last = bs.list.pop() as number;
      this.catchUpSum(bs, S);
      bs.list.push(last);
      bs.fullDone++;
      const w = this.ctx.coef[last];
      const v = this.gathered ? this.gathered[last] : this.ctx.values[last];
      for (let s = 0, ns = this.ns; s < ns; s++) {
        const o = s * c;
        let best = 0;
        let bv = -Infinity;
        for (let k = 0; k < c; k++) {
          const x = S[o + k] + w * v[o + k];
          S[o + k] = x;
          if (x > bv) { bv = x; best = k; }
        }
        if (best === ys[s]) correct++;
      }
      return correct;
    }
    this.catchUpSum(bs, S);
    for (let s = 0, ns = this.ns; s < ns; s++) {
      const o = s * c;
      let best = 0;
      let bv = S[o];
      for (let k = 1; k < c; k++) if (S[o + k] > bv) { bv = S[o + k]; best = k; }
      if (best === ys[s]) correct++;
    }
    return correct;
  }

  /** Scratch list of the samples bound mode leaves undecided. */
  private undecided: Int32Array | null = null;

  /** Adds the members not yet in the full sum, two per pass where the layout allows (S + wa va + wb vb rounds as two passes). */
  private catchUpSum(bs: BoundSums, S: Float64Array): void {
    const { values, coef } = this.ctx;
    const list = bs.list;
    if (this.ctx.method !== 'vote' && (!this.idx || this.gathered)) {
      for (; bs.fullDone + 1 < list.length; bs.fullDone += 2) {
        const a = list[bs.fullDone];
        const b = list[bs.fullDone + 1];
        const wa = coef[a];
        const wb = coef[b];
        const va = this.gathered ? this.gathered[a] : values[a];
        const vb = this.gathered ? this.gathered[b] : values[b];
        for (let k = 0, e = S.length; k < e; k++) S[k] = S[k] + wa * va[k] + wb * vb[k];
      }
    }
    for (; bs.fullDone < list.length; bs.fullDone++) this.addToSum(S, list[bs.fullDone]);
  }

  /** The n x c part of add(st, i) (sign 1): the same additions as the full state's. */
  private addToSum(S: Float64Array, i: number): void {
    const { c, n, method, pred, values } = this.ctx;
    const ns = this.ns;
    const idx = this.idx;
    if (method === 'vote') {
      for (let s = 0; s < ns; s++) S[s * c + pred[i * n + (idx ? idx[s] : s)]] += 1;
      return;
    }
    const w = this.ctx.coef[i];
    if (!idx || this.gathered) {
      const v = this.gathered ? this.gathered[i] : values[i];
      for (let k = 0, e = ns * c; k < e; k++) S[k] += w * v[k];
      return;
    }
    const v = values[i];
    for (let s = 0; s < ns; s++) {
      const a = s * c;
      const b = idx[s] * c;
      for (let k = 0; k < c; k++) S[a + k] += w * v[b + k];
    }
  }

  /** Argmax of sample s's summed contributions of `list` (in order, as s sums them; ties to the lowest class). */
  private exactArgmax(s: number, list: number[], acc: Float64Array): number {
    const { c, n, method, pred, values, coef } = this.ctx;
    const idx = this.idx;
    const vote = method === 'vote';
    const nl = list.length;
    const gathered = this.gathered;
    const src = gathered ?? values;
    for (let k = 0; k < c; k++) acc[k] = 0;
    const g = idx ? idx[s] : s;
    if (vote) {
      for (let j = 0; j < nl; j++) acc[pred[list[j] * n + g]] += 1;
    } else {
      const from = (gathered ? s : g) * c;
      for (let j = 0; j < nl; j++) {
        const i = list[j];
        const w = coef[i];
        const v = src[i];
        for (let k = 0; k < c; k++) acc[k] += w * v[from + k];
      }
    }
    let best = 0;
    let bv = -Infinity;
    for (let k = 0; k < c; k++) if (acc[k] > bv) { bv = acc[k]; best = k; }
    return best;
  }

  candidateLoss(st: ScoreState, j: number, lossName: string = this.loss): number {
    const ns = this.ns;
    const { method, coef, c, values, pred, n } = this.ctx;
    const w = method === 'vote' ? 1 : coef[j];
    if (lossName === 'nll') {
      const inv = 1 / (st.w + w);
      const tt = this.tTrue;
      const T = st.t;
      const o = j * ns;
      let nll = 0;
      let prod = 1;
      for (let s = 0; s < ns; s++) {
        const p = (T[s] + w * tt[o + s]) * inv;
        prod *= p > EPS ? p : EPS;
        if ((s & 15) === 15) { nll -= Math.log(prod); prod = 1; }
      }
      nll -= Math.log(prod);
      return nll / ns;
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
