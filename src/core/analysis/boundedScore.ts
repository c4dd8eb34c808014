// Bound mode of ClsScorer: accuracy of a sub-ensemble grown one member at a time (the greedy order) at O(N)
// per added member instead of O(N C).
// Sums of non-negative numbers round monotonically (adding a term >= 0 never lowers a rounded sum), so per
// sample a few running sums suffice for most argmaxes: the label's, those of four challenger classes, and
// the sum of each member's largest contribution to any remaining class (an upper bound on every remaining
// class's sum). The label loses if a challenger beats it, wins if it beats the challengers and the bound;
// either way the argmax of the full n x c sum is decided exactly (each challenger roughly halves the
// samples the bound leaves undecided). Undecided samples are summed member by member in the original order,
// each into a row of its own kept by the state and brought up to date when the sample is undecided again
// (or from a full sum kept once that is cheaper), so they round as the full sum does: results are bitwise
// those of the unbounded state. Sub-ensembles known in advance (the random orders of a size curve) are scored
// together sample by sample from the same per-member bounds (prefixScores).
import type { ClsContext } from './context.js';
import { EPS as CLIP } from './metrics.js';

/**
 * Challenger classes per sample (a fixed count, so that the loops over them unroll): with C - 1 < 4 the
 * others are placeholders (class C, contributions 0: never above the label's sum, nor the winner of a tie).
 */
const K = 4;

/**
 * Running sums of a bound-mode state, member by member in the order added (so each equals, bit for bit, the
 * corresponding sum of the full matrix s): v = contributions to the sample's challenger classes (ns x 4),
 * u = the largest contribution among the remaining classes (an upper bound on each of their sums, since rounded
 * sums of non-negative terms are monotone); `list` = the members added, in order.
 */
export interface BoundSums {
  v: Float64Array;
  u: Float64Array;
  list: number[];
  /**
   * Members of `list` in v and u: all of them after each addAndCorrect; an addition by the scorer's add() (label
   * sums only, for the nll candidate losses) leaves them behind, and the state can no longer be scored.
   */
  done: number;
  /**
   * The full running sum (n x c), built only once re-summing the undecided samples member by member would
   * cost more than keeping it (many undecided samples times many members, e.g. large ensembles), and the
   * members of `list` already in it.
   */
  full: Float64Array | null;
  fullDone: number;
  /**
   * Exact sums of the samples left undecided so far (sparse): the sample's row in `rows` (-1: none yet),
   * `nRows` rows (c sums each) in use, and the members of `list` already in each.
   */
  rowOf: Int32Array | null;
  rows: Float64Array;
  rowDone: Int32Array;
  nRows: number;
}

/** Empty bound sums over ns samples. */
export function emptyBoundSums(ns: number): BoundSums {
  return {
    v: new Float64Array(ns * K), u: new Float64Array(ns), list: [], done: 0, full: null, fullDone: 0,
    rowOf: null, rows: new Float64Array(0), rowDone: new Int32Array(0), nRows: 0,
  };
}

/**
 * Brings rows `rowIdx[j]` of `rows` (c sums each; `rowDone`: members of `list` in each) of the open samples
 * `open[j]` up to date: the members of `list` from position rowDone[r], in order, member by member over the
 * samples (each member's rows in sample order). `src`: member-major sample rows (null: votes `pred`); `idx`:
 * a sample's row in src is idx[s] (null: s).
 */
function sumRows(
  rows: Float64Array, rowDone: Int32Array, rowIdx: Int32Array, open: Int32Array, nOpen: number, list: number[], from: number,
  c: number, src: Float32Array[] | null, coef: Float64Array, pred: Int32Array, n: number, idx: Int32Array | null,
): void {
  const nl = list.length;
  for (let q = from; q < nl; q++) {
    const i = list[q];
    if (src === null) {
      for (let j = 0; j < nOpen; j++) {
        const r = rowIdx[j];
        if (rowDone[r] > q) continue;
        const s = open[j];
        rows[r * c + pred[i * n + (idx ? idx[s] : s)]] += 1;
      }
      continue;
    }
    const w = coef[i];
    const v = src[i];
    for (let j = 0; j < nOpen; j++) {
      const r = rowIdx[j];
      if (rowDone[r] > q) continue;
      const s = open[j];
      const o = r * c;
      const f = (idx ? idx[s] : s) * c;
      for (let k = 0; k < c; k++) rows[o + k] += w * v[f + k];
    }
  }
  for (let j = 0; j < nOpen; j++) rowDone[rowIdx[j]] = nl;
}

/** Samples `open[j]` whose row rowIdx[j] of `rows` has its argmax (ties to the lowest class) at the label. */
function argmaxCorrect(rows: Float64Array, rowIdx: Int32Array, open: Int32Array, nOpen: number, ys: Int32Array, c: number): number {
  let correct = 0;
  for (let j = 0; j < nOpen; j++) {
    const o = rowIdx[j] * c;
    let best = 0;
    let bv = -Infinity;
    for (let k = 0; k < c; k++) if (rows[o + k] > bv) { bv = rows[o + k]; best = k; }
    if (best === ys[open[j]]) correct++;
  }
  return correct;
}

/** ln of the product of up to 16 probabilities at a time (see scorer.ts). */
const EPS = CLIP;

/** 1 if a challenger of chal[q..q+3] whose sum (x0..x3) ties the label's (t) has a lower class than the label y. */
function tieLoses(t: number, x0: number, x1: number, x2: number, x3: number, chal: Int32Array, q: number, y: number): number {
  return (+(x0 === t) & +(chal[q] < y)) | (+(x1 === t) & +(chal[q + 1] < y)) | (+(x2 === t) & +(chal[q + 2] < y)) | (+(x3 === t) & +(chal[q + 3] < y));
}

/** Sum of -ln max(p, EPS) over the samples of the last addAndDecide call. */
let fusedNll = 0;

/** Undecided samples of the last addAndDecide call. */
let undecidedCount = 0;

/**
 * Adds w x one member's contributions to T (the label's sums; tt from ttFrom), V (the K challengers'; tChal)
 * and U (bounds on every other class; tOther), then decides each sample by them: returns the count of correct
 * ones and lists the undecided ones in `open` (their count in undecidedCount); the nll sum of T * inv in
 * fusedNll (one logarithm per 16 samples, as the scorer's), in the same pass.
 */
function addAndDecide(
  T: Float64Array, V: Float64Array, U: Float64Array, tt: Float32Array, ttFrom: number, tChal: Float32Array, tOther: Float32Array,
  w: number, inv: number, chal: Int32Array, ys: Int32Array, open: Int32Array, ns: number,
): number {
  let nOpen = 0;
  let correct = 0;
  let nll = 0;
  let prod = 1;
  for (let s = 0; s < ns; s++) {
    const t = T[s] + w * tt[ttFrom + s];
    T[s] = t;
    const q = s * K;
    const x0 = V[q] + w * tChal[q];
    const x1 = V[q + 1] + w * tChal[q + 1];
    const x2 = V[q + 2] + w * tChal[q + 2];
    const x3 = V[q + 3] + w * tChal[q + 3];
    V[q] = x0;
    V[q + 1] = x1;
    V[q + 2] = x2;
    V[q + 3] = x3;
    // 0/1 flags without branches (the outcomes are data-dependent, so branches would be mispredicted):
    // `lose`: a challenger beats the label (ties, rare but for votes: to the lower class); `win`: the label
    // beats the challengers and every other class
    let lose = +(x0 > t) | +(x1 > t) | +(x2 > t) | +(x3 > t);
    if (x0 === t || x1 === t || x2 === t || x3 === t) lose |= tieLoses(t, x0, x1, x2, x3, chal, q, ys[s]);
    const u = U[s] + w * tOther[s];
    U[s] = u;
    const win = +(t > u) & (lose ^ 1);
    correct += win;
    open[nOpen] = s;
    nOpen += (lose | win) ^ 1;
    const p = t * inv;
    prod *= p > EPS ? p : EPS;
    if ((s & 15) === 15) { nll -= Math.log(prod); prod = 1; }
  }
  nll -= Math.log(prod);
  fusedNll = nll;
  undecidedCount = nOpen;
  return correct;
}

/**
 * Per sample, the min(4, C - 1) classes other than the label with the largest `sum` (ties to the lowest
 * class; sample s's row of sum is rows[s], or s without rows), then placeholders C, ns x 4; and the other
 * classes but the label, ns x (C - 5 or 0), in class order (and one unused slot).
 */
function rankChallengers(sum: Float64Array, rows: Int32Array | null, ys: Int32Array, ns: number, c: number): { chal: Int32Array; rest: Int32Array } {
  const R = c - 1 - Math.min(K, c - 1);
  const chal = new Int32Array(ns * K);
  // one slot of slack: each class is written at the next free slot, which advances past the kept ones only
  const rest = new Int32Array(ns * R + 1);
  rankInto(sum, rows, ys, ns, c, chal, rest);
  return { chal, rest };
}

/** rankChallengers' loop, into chal and rest (a function that ends with its loop: see scorer.ts's withoutScores). */
function rankInto(sum: Float64Array, rows: Int32Array | null, ys: Int32Array, ns: number, c: number, chal: Int32Array, rest: Int32Array): void {
  const R = c - 1 - Math.min(K, c - 1);
  const mark = new Uint8Array(c + 1);
  for (let s = 0; s < ns; s++) {
    const o = (rows ? rows[s] : s) * c;
    const y = ys[s];
    // the four largest in one pass (a later class enters only above an equal value: ties to the lowest)
    let b0 = c;
    let b1 = c;
    let b2 = c;
    let b3 = c;
    let v0 = -Infinity;
    let v1 = -Infinity;
    let v2 = -Infinity;
    let v3 = -Infinity;
    for (let k = 0; k < c; k++) {
      if (k === y) continue;
      const x = sum[o + k];
      if (b0 === c || x > v0) { b3 = b2; v3 = v2; b2 = b1; v2 = v1; b1 = b0; v1 = v0; b0 = k; v0 = x; }
      else if (b1 === c || x > v1) { b3 = b2; v3 = v2; b2 = b1; v2 = v1; b1 = k; v1 = x; }
      else if (b2 === c || x > v2) { b3 = b2; v3 = v2; b2 = k; v2 = x; }
      else if (b3 === c || x > v3) { b3 = k; v3 = x; }
    }
    const q = s * K;
    chal[q] = b0;
    chal[q + 1] = b1;
    chal[q + 2] = b2;
    chal[q + 3] = b3;
    // the remaining classes without a data-dependent branch per class
    mark[y] = mark[b0] = mark[b1] = mark[b2] = mark[b3] = 1;
    for (let k = 0, r = s * R; k < c; k++) { rest[r] = k; r += mark[k] ^ 1; }
    mark[y] = mark[b0] = mark[b1] = mark[b2] = mark[b3] = 0;
  }
}

/** The bit patterns of a float32 array as signed integers (a view). */
function bitsOf(v: Float32Array): Int32Array {
  return new Int32Array(v.buffer, v.byteOffset, v.length);
}

/**
 * One member's contributions v (sample rows; `idx`: sample s's row is idx[s]) to each sample's challengers
 * (tChal, ns x K) and its largest to the remaining classes (tOther; 0 with none: contributions are >= 0, so
 * any bound >= 0 is valid). The largest is taken on the float32 bit patterns (vb = v's, oBits = tOther's):
 * non-negative floats order as their bits do (a -0 as a negative integer, below the initial 0 as in float
 * comparisons), and an integer maximum needs no data-dependent branch.
 */
function memberBounds(
  v: Float32Array, vb: Int32Array, idx: Int32Array | null, chal: Int32Array, rest: Int32Array, ns: number, c: number,
  tChal: Float32Array, oBits: Int32Array,
): void {
  const R = c - 1 - Math.min(K, c - 1);
  for (let s = 0; s < ns; s++) {
    const from = (idx ? idx[s] : s) * c;
    // the K = 4 challengers unrolled
    const q = s * K;
    const c0 = chal[q];
    const c1 = chal[q + 1];
    const c2 = chal[q + 2];
    const c3 = chal[q + 3];
    tChal[q] = c0 < c ? v[from + c0] : 0;
    tChal[q + 1] = c1 < c ? v[from + c1] : 0;
    tChal[q + 2] = c2 < c ? v[from + c2] : 0;
    tChal[q + 3] = c3 < c ? v[from + c3] : 0;
    let mx = 0;
    for (let q = s * R, e = q + R; q < e; q++) { const x = vb[from + rest[q]]; mx ^= (mx ^ x) & -(x > mx); }
    oBits[s] = mx;
  }
}

/**
 * Orders of members whose prefixes are scored in one pass over the samples (BoundedAccuracy.prefixScores),
 * e.g. the random orders of a size curve with each distinct member set scored once.
 */
export interface PrefixPlan {
  /** The orders' members, concatenated (each order summed from zero in its own order). */
  members: Int32Array;
  /** End of each order in `members`. */
  orderEnd: Int32Array;
  /** Per position in `members`: the result scoring the prefix of its order that ends there, or -1. */
  evalAt: Int32Array;
  /** Number of results. */
  results: number;
}

/** Terms per member and sample in prefixScores: to the label's sum, the K challengers' and the bound's. */
const TERMS = K + 2;

/**
 * The terms of members `used` on sample s into F[j * TERMS ..]: w_j times the member's contribution to the
 * label (tt, m x ns), to each challenger (tChal[j], rows x K) and the bound (tOther[j]) at the sample's row r
 * of those: the products the states add.
 */
function gatherTerms(
  F: number[], used: Int32Array, w: Float64Array, tt: Float32Array, tChal: Float32Array[], tOther: Float32Array[], s: number, r: number, ns: number,
): void {
  const q = r * K;
  for (let a = 0; a < used.length; a++) {
    const j = used[a];
    const wj = w[j];
    const x = tChal[j];
    const f = j * TERMS;
    F[f] = wj * tt[j * ns + s];
    F[f + 1] = wj * x[q];
    F[f + 2] = wj * x[q + 1];
    F[f + 3] = wj * x[q + 2];
    F[f + 4] = wj * x[q + 3];
    F[f + 5] = wj * tOther[j][r];
  }
}

/**
 * One sample's exact sums over the classes for the samples the bounds leave undecided, member by member in
 * the order added (as a state's full sum rounds), brought up to date lazily within an order.
 */
class ExactRow {
  private readonly sum: Float64Array;
  /** Position in the plan up to which `sum` holds the order's members (`start`: none yet, sum stale). */
  private done = 0;
  private start = 0;
  /** The sample's row in each member's values (or its index into pred, for votes). */
  row = 0;

  constructor(private readonly c: number, private readonly src: Float32Array[] | null, private readonly coef: Float64Array, private readonly pred: Int32Array, private readonly n: number) {
    this.sum = new Float64Array(c);
  }

  /** An order starts at position p. */
  begin(p: number): void {
    this.start = p;
    this.done = p;
  }

  /** 1 if the argmax (ties to the lowest class) of the order's sum up to position p is y. */
  correctAt(members: number[], p: number, y: number): number {
    const c = this.c;
    const S = this.sum;
    if (this.done === this.start) S.fill(0);
    const src = this.src;
    for (let q = this.done; q <= p; q++) {
      const j = members[q];
      if (src === null) { S[this.pred[j * this.n + this.row]] += 1; continue; }
      const v = src[j];
      const w = this.coef[j];
      for (let k = 0, f = this.row * c; k < c; k++) S[k] += w * v[f + k];
    }
    this.done = p + 1;
    let best = 0;
    let bv = -Infinity;
    for (let k = 0; k < c; k++) if (S[k] > bv) { bv = S[k]; best = k; }
    return +(best === y);
  }
}

/**
 * One sample's pass over a plan: running sums of the terms F per order, and at each scored prefix its
 * clipped p(label) into prod[e] and its correctness into correct[e] (from the bounds, else `exact`).
 */
function walkPlan(
  F: number[], members: number[], orderEnd: number[], evalAt: number[], inv: number[],
  prod: number[], correct: number[], chal: Int32Array, q: number, y: number, exact: ExactRow,
): void {
  let p = 0;
  for (let o = 0; o < orderEnd.length; o++) {
    exact.begin(p);
    let t = 0;
    let x0 = 0;
    let x1 = 0;
    let x2 = 0;
    let x3 = 0;
    let u = 0;
    for (const end = orderEnd[o]; p < end; p++) {
      const f = members[p] * TERMS;
      t += F[f];
      x0 += F[f + 1];
      x1 += F[f + 2];
      x2 += F[f + 3];
      x3 += F[f + 4];
      u += F[f + 5];
      const e = evalAt[p];
      if (e < 0) continue;
      const pr = t * inv[e];
      prod[e] *= pr > EPS ? pr : EPS;
      let lose = +(x0 > t) | +(x1 > t) | +(x2 > t) | +(x3 > t);
      if (x0 === t || x1 === t || x2 === t || x3 === t) lose |= tieLoses(t, x0, x1, x2, x3, chal, q, y);
      let win = +(t > u) & (lose ^ 1);
      if ((lose | win) === 0) win = exact.correctAt(members, p, y);
      correct[e] += win;
    }
  }
}

/** The arrays of one prefixScores pass (see there and walkPlan). */
interface Walk {
  F: number[];
  members: number[];
  orderEnd: number[];
  evalAt: number[];
  inv: number[];
  prod: number[];
  correct: number[];
  nll: Float64Array;
  exact: ExactRow;
}

/**
 * walkPlan for each sample in turn, the logarithms of each block of 16 samples' products taken at its end (the
 * last, shorter block's by the caller). Sample s's bounds and challengers are at rows[s] (null: s). A function of its own ending with its loop: the code after a hot loop
 * optimised on the fly has no type feedback and deoptimised the caller on every call.
 */
function walkSamples(
  wk: Walk, used: Int32Array, w: Float64Array, tt: Float32Array, tChal: Float32Array[], tOther: Float32Array[], chal: Int32Array,
  rows: Int32Array | null, idx: Int32Array | null, ys: Int32Array, ns: number,
): void {
  const { F, members, orderEnd, evalAt, inv, prod, correct, nll, exact } = wk;
  const results = prod.length;
  for (let s = 0; s < ns; s++) {
    const r = rows ? rows[s] : s;
    gatherTerms(F, used, w, tt, tChal, tOther, s, r, ns);
    exact.row = idx ? idx[s] : s;
    walkPlan(F, members, orderEnd, evalAt, inv, prod, correct, chal, r * K, ys[s], exact);
    if ((s & 15) === 15) logBlock(prod, nll, results);
  }
}

/** nll[e] -= ln prod[e] and prod[e] = 1 for e < count (the end of a block of 16 samples). */
function logBlock(prod: number[], nll: Float64Array, count: number): void {
  for (let e = 0; e < count; e++) {
    nll[e] -= Math.log(prod[e]);
    prod[e] = 1;
  }
}

/**
 * The BoundedAccuracy over all samples of each guide (the last built): a subset's prefixScores reads its
 * per-member bounds at the subset's rows when it has them all (e.g. ensemble selection's held-out split after
 * the size curves, both guided by the plain mean), instead of computing them again.
 */
const allSamplesByGuide = new WeakMap<Float64Array, BoundedAccuracy>();

/**
 * Exact count of correct argmaxes of one ClsScorer's bound-mode states (addAndCorrect) and of sub-ensembles
 * planned in advance (prefixScores), for its samples and members.
 */
export class BoundedAccuracy {
  /** `idx`, `y`, `ns`: the scorer's sample subset, labels and sample count; `guide`: see ClsScorer. */
  constructor(
    private readonly ctx: ClsContext,
    private readonly idx: Int32Array | null,
    private readonly y: Int32Array,
    private readonly ns: number,
    private readonly guide: Float64Array,
  ) {
    if (!idx) allSamplesByGuide.set(guide, this);
  }

  /**
   * Whether this (all samples) holds the bounds of every member of `used` for a scorer of context `ctx` and the
   * same guide: the same members' rows and labels, votes or not (bounds do not depend on the coefficients).
   */
  private holdsBounds(ctx: ClsContext, used: Int32Array): boolean {
    const own = this.ctx;
    if (own.values !== ctx.values || own.pred !== ctx.pred || own.labels !== ctx.labels || (own.method === 'vote') !== (ctx.method === 'vote')) return false;
    const b = this.bounds;
    return b !== null && used.every((j) => b.ready[j] === 1);
  }

  /**
   * Per sample, K challenger classes (the largest of the guide other than the label: any choice is exact,
   * likely winners decide more samples), ns x K, and the remaining classes, ns x (C - 1 - K); ranked once, on
   * first use.
   */
  private ranked: { chal: Int32Array; rest: Int32Array } | null = null;

  /**
   * Per member, lazily when first needed (a bounded addition, prefixScores), its contributions to the
   * challengers (ns x K) and the largest to any remaining class.
   */
  private bounds: { tChal: Float32Array[]; tOther: Float32Array[]; ready: Uint8Array } | null = null;

  /** Scratch list of the samples bound mode leaves undecided. */
  private undecided: Int32Array | null = null;

  private ranking(): { chal: Int32Array; rest: Int32Array } {
    return this.ranked ?? (this.ranked = rankChallengers(this.guide, this.idx, this.y, this.ns, this.ctx.c));
  }

  private boundsFor(i: number): { chal: Int32Array; tChal: Float32Array[]; tOther: Float32Array[] } {
    const { m, n, method, pred, values } = this.ctx;
    const ns = this.ns;
    const idx = this.idx;
    const vote = method === 'vote';
    const { chal, rest } = this.ranking();
    // per member, allocated when first needed (a greedy order over many members adds few)
    const b = this.bounds ?? (this.bounds = { tChal: new Array<Float32Array>(m), tOther: new Array<Float32Array>(m), ready: new Uint8Array(m) });
    if (!b.ready[i]) {
      b.ready[i] = 1;
      const tChal = (b.tChal[i] = new Float32Array(ns * K));
      const tOther = (b.tOther[i] = new Float32Array(ns));
      if (vote) {
        const ys = this.y;
        for (let s = 0; s < ns; s++) {
          const p = pred[i * n + (idx ? idx[s] : s)];
          let other = p !== ys[s] ? 1 : 0;
          for (let q = 0; q < K; q++) {
            const hit = chal[s * K + q] === p ? 1 : 0;
            tChal[s * K + q] = hit;
            other &= hit ^ 1;
          }
          tOther[s] = other;
        }
      } else {
        const v = values[i];
        memberBounds(v, bitsOf(v), idx, chal, rest, ns, this.ctx.c, tChal, bitsOf(tOther));
      }
    }
    return { chal, tChal: b.tChal, tOther: b.tOther };
  }

  /**
   * Correct argmaxes and nll sums (of p(label), clipped, one logarithm per 16 samples) of every scored prefix
   * of `plan`, exactly as states adding the same members in the same order score them (tt: the scorer's
   * label contributions). Sample by sample: the sample's terms of each member (from the per-member bounds,
   * shared with bound-mode states), then each order's running sums of them in registers instead of a pass
   * over all samples per scored prefix; the samples the bounds leave undecided are summed exactly (ExactRow).
   */
  prefixScores(plan: PrefixPlan, tt: Float32Array): { correct: number[]; nll: Float64Array } {
    const { c, m, n, method, pred, values, coef } = this.ctx;
    const ns = this.ns;
    const idx = this.idx;
    const ys = this.y;
    const vote = method === 'vote';
    const w = vote ? new Float64Array(m).fill(1) : coef;
    const { members, orderEnd, evalAt, results } = plan;
    // each result's normaliser: the coefficients summed in the order added, as states sum them
    const inv = new Float64Array(results);
    const inPlan = new Uint8Array(m);
    for (let o = 0, p = 0; o < orderEnd.length; o++) {
      let sum = 0;
      for (; p < orderEnd[o]; p++) {
        sum += w[members[p]];
        inPlan[members[p]] = 1;
        if (evalAt[p] >= 0) inv[evalAt[p]] = 1 / sum;
      }
    }
    const used = Int32Array.from(inPlan.keys()).filter((j) => inPlan[j] === 1);
    // a subset reads the bounds of all samples at its rows where they exist already
    const all = idx ? allSamplesByGuide.get(this.guide) : undefined;
    const source: BoundedAccuracy = all && all.holdsBounds(this.ctx, used) ? all : this;
    const rows = source === this ? null : idx;
    let b = null;
    for (const j of used) b = source.boundsFor(j);
    if (!b) return { correct: new Array<number>(results).fill(0), nll: new Float64Array(results) };
    const { chal, tChal, tOther } = b;
    // plain arrays in the per-sample loops: V8 (Node 20) re-checks a typed array's buffer at every access
    // there, not hoisted out of the loop (measured: the walk a quarter faster)
    const F = Array.from({ length: m * TERMS }, () => 0.5);
    const prod = Array.from({ length: results }, () => 0.5).fill(1);
    const correct = Array.from({ length: results }, () => 0);
    const P = Array.from(members);
    const ends = Array.from(orderEnd);
    const at = Array.from(evalAt);
    const invs = Array.from(inv);
    const nll = new Float64Array(results);
    const exact = new ExactRow(c, vote ? null : values, coef, pred, n);
    const walk: Walk = { F, members: P, orderEnd: ends, evalAt: at, inv: invs, prod, correct, nll, exact };
    walkSamples(walk, used, w, tt, tChal, tOther, chal, rows, idx, ys, ns);
    logBlock(prod, nll, results);
    return { correct, nll };
  }

  /**
   * Adds member i to a bound-mode state whose running sum of the label's contributions is T (tt[ttFrom + s]:
   * member i's, w its coefficient) and returns the samples whose argmax of the full sum (which bound mode
   * does not store) is the label, exactly: decided by the label's, the challengers' and the bound's sums
   * where they can, else summed member by member in the order added (the same rounding as the full sum). In
   * one pass over the samples with the nll of T * inv beside it (in `nllSum`).
   */
  addAndCorrect(T: Float64Array, bs: BoundSums, i: number, tt: Float32Array, ttFrom: number, w: number, inv: number): number {
    if (bs.done !== bs.list.length) throw new Error('a bound-mode state given members by add() cannot be scored');
    bs.list.push(i);
    const b = this.boundsFor(i);
    bs.done = bs.list.length;
    const ns = this.ns;
    const open = this.undecided ?? (this.undecided = new Int32Array(ns));
    const correct = addAndDecide(T, bs.v, bs.u, tt, ttFrom, b.tChal[i], b.tOther[i], w, inv, b.chal, this.y, open, ns);
    this.nllSum = fusedNll;
    return this.resolve(bs, open, undecidedCount, correct);
  }

  /** Sum over the samples of -ln max(p, EPS) of the last addAndCorrect. */
  nllSum = 0;

  /** `correct` plus the correct ones among the nOpen undecided samples of `open`, exactly. */
  private resolve(bs: BoundSums, open: Int32Array, nOpen: number, correct: number): number {
    if (nOpen === 0) return correct;
    const ns = this.ns;
    const ys = this.y;
    const list = bs.list;
    // undecided samples: bring each one's own row of sums up to date (the members added since it was last
    // undecided, all of them the first time) while that reads fewer member rows than a sixteenth of what
    // bringing the full sum up to date would (the rows are scattered: each costs about ten times a row of a
    // pass over all samples), else keep the full sum from here on
    const c = this.ctx.c;
    const nl = list.length;
    const fullCost = ns * (nl - (bs.full ? bs.fullDone : 0));
    if (fullCost > 0) {
      let rowCost = 0;
      const rowOf = bs.rowOf;
      const rowDone = bs.rowDone;
      if (rowOf) for (let j = 0; j < nOpen; j++) { const r = rowOf[open[j]]; rowCost += r < 0 ? nl : nl - rowDone[r]; }
      else rowCost = nOpen * nl;
      if (16 * rowCost <= fullCost) {
        return correct + this.rowsCorrect(bs, open, nOpen);
      }
    }
    const S = bs.full ?? (bs.full = new Float64Array(ns * c));
    this.catchUpSum(bs, S);
    return correct + argmaxCorrect(S, open, open, nOpen, ys, c);
  }

  /** Adds the members not yet in the full sum, two per pass where the layout allows (S + wa va + wb vb rounds as two passes). */
  private catchUpSum(bs: BoundSums, S: Float64Array): void {
    const { values, coef } = this.ctx;
    const list = bs.list;
    if (this.ctx.method !== 'vote' && !this.idx) {
      for (; bs.fullDone + 1 < list.length; bs.fullDone += 2) {
        const a = list[bs.fullDone];
        const b = list[bs.fullDone + 1];
        const wa = coef[a];
        const wb = coef[b];
        const va = values[a];
        const vb = values[b];
        for (let k = 0, e = S.length; k < e; k++) S[k] = S[k] + wa * va[k] + wb * vb[k];
      }
    }
    for (; bs.fullDone < list.length; bs.fullDone++) this.addMember(S, list[bs.fullDone]);
  }

  /** Adds sign x member i's contribution to the sample-major sums S (the scorer's full states use it too). */
  addMember(S: Float64Array, i: number, sign = 1): void {
    const { c, n, method, pred, values } = this.ctx;
    const ns = this.ns;
    const idx = this.idx;
    if (method === 'vote') {
      for (let s = 0; s < ns; s++) S[s * c + pred[i * n + (idx ? idx[s] : s)]] += sign;
      return;
    }
    const w = sign * this.ctx.coef[i];
    const v = values[i];
    if (!idx) {
      for (let k = 0, e = ns * c; k < e; k++) S[k] += w * v[k];
      return;
    }
    for (let s = 0; s < ns; s++) {
      const a = s * c;
      const b = idx[s] * c;
      for (let k = 0; k < c; k++) S[a + k] += w * v[b + k];
    }
  }

  /** Row of each open sample in the state's sparse sums (new rows zeroed, none of `list` in them yet). */
  private openRows: Int32Array | null = null;

  /**
   * Correct argmaxes of the `nOpen` samples of `open` from their own rows of sums: the members added since a
   * row was last brought up to date (all of them for a new row) are added in order, as s sums them (from 0,
   * one member at a time), so each row rounds as the full sum does.
   */
  private rowsCorrect(bs: BoundSums, open: Int32Array, nOpen: number): number {
    const c = this.ctx.c;
    const ns = this.ns;
    const rowOf = bs.rowOf ?? (bs.rowOf = new Int32Array(ns).fill(-1));
    const rowIdx = this.openRows ?? (this.openRows = new Int32Array(ns));
    let minDone = bs.list.length;
    for (let j = 0; j < nOpen; j++) {
      const s = open[j];
      let r = rowOf[s];
      if (r < 0) {
        r = bs.nRows++;
        if (r >= bs.rowDone.length) {
          const cap = Math.min(ns, Math.max(64, 2 * bs.rowDone.length));
          const rows = new Float64Array(cap * c);
          rows.set(bs.rows);
          const rowDone = new Int32Array(cap);
          rowDone.set(bs.rowDone);
          bs.rows = rows;
          bs.rowDone = rowDone;
        }
        rowOf[s] = r;
        bs.rowDone[r] = 0;
        for (let k = r * c, e = k + c; k < e; k++) bs.rows[k] = 0;
      }
      rowIdx[j] = r;
      if (bs.rowDone[r] < minDone) minDone = bs.rowDone[r];
    }
    const { n, method, pred, values, coef } = this.ctx;
    const vote = method === 'vote';
    sumRows(bs.rows, bs.rowDone, rowIdx, open, nOpen, bs.list, minDone, c, vote ? null : values, coef, pred, n, this.idx);
    return argmaxCorrect(bs.rows, rowIdx, open, nOpen, this.y, c);
  }

}
