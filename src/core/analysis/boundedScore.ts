// Bound mode of ClsScorer: accuracy of a growing sub-ensemble at O(N) per added member instead of O(N C).
// Sums of non-negative numbers round monotonically (adding a term >= 0 never lowers a rounded sum), so per
// sample three running sums suffice for most argmaxes: the label's, a challenger class's, and the sum of
// each member's largest contribution to any remaining class (an upper bound on every remaining class's
// sum). The label loses if the challenger beats it, wins if it beats both the challenger and the bound;
// either way the argmax of the full n x c sum is decided exactly. Undecided samples are re-added member by
// member in the original order (or from a full sum kept once that is cheaper), so they round as the full
// sum does: results are bitwise those of the unbounded state.
import type { ClsContext } from './context.js';

/**
 * Running sums of a bound-mode state, member by member in the order added (so each equals, bit for bit, the
 * corresponding sum of the full matrix s): v = contributions to the sample's challenger class, u = the
 * largest contribution among the remaining classes (an upper bound on each of their sums, since rounded
 * sums of non-negative terms are monotone); `list` = the members added, in order.
 */
export interface BoundSums {
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

/** Empty bound sums over ns samples. */
export function emptyBoundSums(ns: number): BoundSums {
  return { v: new Float64Array(ns), u: new Float64Array(ns), list: [], done: 0, full: null, fullDone: 0 };
}

/** Exact count of correct argmaxes of bound-mode states of one ClsScorer (its samples, members and layout). */
export class BoundedAccuracy {
  /**
   * `idx`, `gathered`, `y`, `ns`: the scorer's sample subset, compact member rows, labels and sample count;
   * `guide`: see ClsScorer.
   */
  constructor(
    private readonly ctx: ClsContext,
    private readonly idx: Int32Array | null,
    private readonly gathered: Float32Array[] | null,
    private readonly y: Int32Array,
    private readonly ns: number,
    private readonly guide?: Float64Array,
  ) {}

  /**
   * Per sample, the challenger class (argmax over classes other than the label of the guide, or of the summed
   * contributions of up to 16 members: any choice is exact, a likely winner decides more samples), and per
   * member, lazily on its first bounded addition, its contributions to the challenger and the largest to any
   * remaining class.
   */
  private bounds: { chal: Int32Array; tChal: Float32Array[]; tOther: Float32Array[]; ready: Uint8Array; acc: Float64Array } | null = null;

  /** Scratch list of the samples bound mode leaves undecided. */
  private undecided: Int32Array | null = null;

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
   * Samples whose argmax of s (which bound mode does not store) is the label, exactly: T (the state's t)
   * and V are s's entries of the label and the challenger; U bounds every other entry from above. Samples these do not
   * decide are summed again member by member in the order added (the same rounding as s).
   */
  correct(T: Float64Array, bs: BoundSums): number {
    // with the full sum kept and several members added since the last evaluation (sparse size grids of large
    // ensembles), scanning it is cheaper than bringing the bounds up to date; they catch up when needed again
    if (bs.full && bs.list.length - bs.done > 2) return this.fullCorrect(bs, bs.full);
    this.catchUp(bs);
    const { chal, acc } = this.boundsFor(bs.list[0] ?? 0);
    const ns = this.ns;
    const ys = this.y;
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
}
