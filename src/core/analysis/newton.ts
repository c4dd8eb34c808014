// Damped Newton's method for the log-pool stacker (stacking.ts): exact gradient and Hessian of
//   sum_s -ln softmax(z_s)[y_s] + alpha/2 |w|^2,   z_sk = b_k + sum_a w_a F[s,a,k]   (b_0 = 0),
// Cholesky solves and Armijo backtracking; optionally a Hessian kept over several steps with BFGS updates
// (the CV fits). Deterministic; converges quadratically (plain) or superlinearly (kept) near the optimum.
import { crossRows, gramRows } from './gram.js';
import { choleskySolve } from './linalg.js';

/**
 * Member-major features: feat[(a*nr + s)*c + k] = member a's clipped ln p(k) on sample s. The passes below
 * run over blocks of rows, each a long loop over one member's slice of the block (each sum still runs in the
 * same order as a per-sample loop would), so that the block's q slices stay in L1 from one pass to the next.
 */
export interface PoolProblem {
  feat: Float64Array;
  ys: Int32Array;
  q: number;
  c: number;
  alpha: number;
}

/** Values (rows x c) per block: q = 8 slices of the features and of the Hessian's sqrt(p) F take 32 KB. */
const BLOCK = 256;

/**
 * Per-problem scratch: logits / softmax probabilities p (nr x c) and u_sa = sum_k p_sk F_sak (q x nr) of the
 * last evaluation with a gradient, from which poolHessian builds H; one block's sqrt(p) and sqrt(p) F rows
 * (rp, z) and the Gram accumulators (pff: member-member, hb: member-bias) of poolHessian.
 */
interface Scratch { p: Float64Array; u: Float64Array; z: Float64Array; rp: Float64Array; pff: Float64Array; hb: Float64Array }
// keyed by the features, so that fits of one design at several alphas share one scratch
const scratch = new WeakMap<Float64Array, Scratch>();

function scratchOf(pr: PoolProblem): Scratch {
  let sc = scratch.get(pr.feat);
  if (!sc) {
    const { q, c } = pr;
    const len = pr.ys.length * c;
    const blk = blockRows(c) * c;
    sc = {
      p: new Float64Array(len), u: new Float64Array(q * pr.ys.length), z: new Float64Array(q * blk), rp: new Float64Array(blk),
      pff: new Float64Array(q * q), hb: new Float64Array(q * c),
    };
    scratch.set(pr.feat, sc);
  }
  return sc;
}

const blockRows = (c: number): number => Math.max(1, Math.floor(BLOCK / c));

/** Objective at x; fills g (length P = q+c-1) when given. */
export function poolObjective(pr: PoolProblem, x: Float64Array, g?: Float64Array): number {
  const { feat, ys, q, c, alpha } = pr;
  const nr = ys.length;
  const len = nr * c;
  const sc = scratchOf(pr);
  const z = sc.p; // logits, then (with a gradient) probabilities
  const u = sc.u;
  const rows = blockRows(c);
  if (g) g.fill(0);
  let loss = 0;
  for (let r0 = 0; r0 < nr; r0 += rows) {
    const r1 = Math.min(nr, r0 + rows);
    const t0 = r0 * c, t1 = r1 * c;
    for (let o = t0; o < t1; o += c) {
      z[o] = 0;
      for (let k = 1; k < c; k++) z[o + k] = x[q + k - 1];
    }
    // members four at a time: z + w0 f0 + w1 f1 + ... evaluates left to right, the same roundings as one pass each
    let a = 0;
    for (; a + 4 <= q; a += 4) {
      const w0 = x[a], w1 = x[a + 1], w2 = x[a + 2], w3 = x[a + 3];
      const f0 = a * len, f1 = f0 + len, f2 = f1 + len, f3 = f2 + len;
      for (let t = t0; t < t1; t++) z[t] = z[t] + w0 * feat[f0 + t] + w1 * feat[f1 + t] + w2 * feat[f2 + t] + w3 * feat[f3 + t];
    }
    for (; a < q; a++) {
      const w = x[a];
      for (let t = t0, f = a * len; t < t1; t++) z[t] += w * feat[f + t];
    }
    for (let r = r0, o = t0; r < r1; r++, o += c) {
      let mx = z[o];
      for (let k = 1; k < c; k++) if (z[o + k] > mx) mx = z[o + k];
      const y = ys[r];
      const zy = z[o + y] - mx;
      let se = 0;
      for (let k = 0; k < c; k++) { const e = Math.exp(z[o + k] - mx); z[o + k] = e; se += e; }
      loss += Math.log(se) - zy;
      if (!g) continue;
      const inv = 1 / se;
      for (let k = 0; k < c; k++) z[o + k] *= inv;
      for (let k = 1; k < c; k++) g[q + k - 1] += z[o + k] - (k === y ? 1 : 0);
    }
    if (!g) continue;
    // u for four members per pass over p (each u_sa still summed in class order, each g_a in sample order)
    a = 0;
    for (; a + 4 <= q; a += 4) {
      const f0 = a * len, f1 = f0 + len, f2 = f1 + len, f3 = f2 + len;
      let g0 = g[a], g1 = g[a + 1], g2 = g[a + 2], g3 = g[a + 3];
      for (let r = r0, o = t0; r < r1; r++, o += c) {
        let u0 = 0, u1 = 0, u2 = 0, u3 = 0;
        for (let k = 0; k < c; k++) {
          const pk = z[o + k];
          u0 += pk * feat[f0 + o + k]; u1 += pk * feat[f1 + o + k]; u2 += pk * feat[f2 + o + k]; u3 += pk * feat[f3 + o + k];
        }
        u[a * nr + r] = u0; u[(a + 1) * nr + r] = u1; u[(a + 2) * nr + r] = u2; u[(a + 3) * nr + r] = u3;
        const oy = o + ys[r];
        g0 += u0 - feat[f0 + oy]; g1 += u1 - feat[f1 + oy]; g2 += u2 - feat[f2 + oy]; g3 += u3 - feat[f3 + oy];
      }
      g[a] = g0; g[a + 1] = g1; g[a + 2] = g2; g[a + 3] = g3;
    }
    for (; a < q; a++) {
      const f = a * len;
      let ga = g[a];
      for (let r = r0, o = t0; r < r1; r++, o += c) {
        let ua = 0;
        for (let k = 0; k < c; k++) ua += z[o + k] * feat[f + o + k];
        u[a * nr + r] = ua;
        ga += ua - feat[f + o + ys[r]];
      }
      g[a] = ga;
    }
  }
  for (let a = 0; a < q; a++) {
    loss += 0.5 * alpha * x[a] * x[a];
    if (g) g[a] += alpha * x[a];
  }
  return loss;
}

/**
 * H at the point of the last poolObjective call with a gradient (from its stored p and u). The member-member
 * block, sum_s sum_k p_sk F_sak F_sbk - u_sa u_sb, is two Gram products of long rows (sqrt(p) F over all
 * (s, k), block by block, and u over s) by the register-blocked crossRows: the same sums as a per-row
 * q x q x c loop, but with long inner loops instead of trip counts of c.
 */
export function poolHessian(pr: PoolProblem, h: Float64Array): void {
  const { feat, ys, q, c, alpha } = pr;
  const P = q + c - 1;
  const nr = ys.length;
  const len = nr * c;
  const { p, u, z, rp, pff, hb } = scratchOf(pr);
  const rows = blockRows(c);
  h.fill(0);
  pff.fill(0);
  hb.fill(0);
  for (let r0 = 0; r0 < nr; r0 += rows) {
    const r1 = Math.min(nr, r0 + rows);
    const t0 = r0 * c, n = (r1 - r0) * c;
    for (let t = 0; t < n; t++) rp[t] = Math.sqrt(p[t0 + t]);
    for (let a = 0; a < q; a++) {
      const f = a * len + t0;
      const za = a * n;
      for (let t = 0; t < n; t++) z[za + t] = rp[t] * feat[f + t];
      // member-bias block: sum_s p_sk (F_sak - u_sa), one class at a time (a running sum in a register)
      const ua = a * nr;
      for (let k = 1; k < c; k++) {
        let s = hb[a * c + k];
        for (let r = r0, o = t0 + k; r < r1; r++, o += c) s += p[o] * (feat[f - t0 + o] - u[ua + r]);
        hb[a * c + k] = s;
      }
    }
    // bias-bias block: diag(p) - p p^T over classes 1..c-1 (upper triangle)
    for (let r = r0, po = t0; r < r1; r++, po += c) {
      for (let k = 1; k < c; k++) {
        const row = (q + k - 1) * P + q;
        const pk = p[po + k];
        h[row + k - 1] += pk;
        for (let l = k; l < c; l++) h[row + l - 1] -= pk * p[po + l];
      }
    }
    crossRows(z, q, z, q, n, true, pff);
  }
  const uu = gramRows(u, q, nr);
  for (let a = 0; a < q; a++) {
    for (let b = a; b < q; b++) h[a * P + b] = pff[a * q + b] - uu[a * q + b];
    h[a * P + a] += alpha;
    for (let k = 1; k < c; k++) h[a * P + q + k - 1] = hb[a * c + k];
  }
  for (let i = 0; i < P; i++) for (let j = i + 1; j < P; j++) h[j * P + i] = h[i * P + j];
}

export interface NewtonOptions {
  /** Stop when max|g| <= gtol * max(1, |f|). */
  gtol: number;
  maxIter?: number;
  /**
   * Quasi-Newton mode: a formed Hessian is kept, with BFGS updates, for the following steps while each of them
   * cuts max|g| at least REUSE_RATIO-fold (such a step costs one gradient, a Hessian about three), and is
   * re-formed at the current point otherwise or when its unit step fails the Armijo test. Off: a Hessian at
   * every step (plain Newton, quadratic convergence: the final refit, whose parameters are reported).
   */
  reuse?: boolean;
  /**
   * In/out (reuse mode): on input, an approximation of the Hessian at x0 to start with (h[0] = 0: none; e.g. a
   * neighbouring fit's); on output, the last one used.
   */
  hess?: Float64Array;
  /** max|g| before the step that led to x0 with `hess` (e.g. alphaPredictor's), judged like the solver's own. */
  gPrev?: number;
}

/**
 * Minimises from x0 (copied); stops when max|g| <= gtol * max(1, |f|) or after maxIter steps, in either mode
 * (the tolerance is the same; only the number of Hessians differs). Line-search trials compute the loss and
 * gradient only; a Hessian is formed at an accepted point (from that evaluation's p and u), never at the
 * final point whose gradient passes the test.
 */
export function newtonPool(pr: PoolProblem, x0: Float64Array, opts: NewtonOptions): Float64Array {
  const { gtol, maxIter = 100, reuse = false } = opts;
  const P = pr.q + pr.c - 1;
  const x = Float64Array.from(x0);
  const g = new Float64Array(P);
  const h = reuse && opts.hess ? opts.hess : new Float64Array(P * P);
  let f = poolObjective(pr, x, g);
  const gn = new Float64Array(P);
  const xn = new Float64Array(P);
  // h[0] = w_1's curvature >= alpha > 0 for any formed Hessian
  let stale = !(h[0] > 0); // h must be formed at x before the next step
  let fresh = false; // h was formed at x
  let gprev = opts.gPrev ?? Infinity;
  for (let it = 0; it < maxIter; it++) {
    let gmax = 0;
    for (let i = 0; i < P; i++) gmax = Math.max(gmax, Math.abs(g[i]));
    if (gmax <= gtol * Math.max(1, Math.abs(f))) break;
    if (!fresh && (stale || !reuse || gmax > REUSE_RATIO * gprev)) { poolHessian(pr, h); fresh = true; } // the last evaluation with a gradient was at x
    const d = solveDamped(h, g, P);
    let dg = 0;
    for (let i = 0; i < P; i++) dg += d[i] * g[i];
    let t = 1;
    let accepted = false;
    for (let ls = 0; ls < 60; ls++) {
      for (let i = 0; i < P; i++) xn[i] = x[i] + t * d[i];
      const fn = poolObjective(pr, xn, gn);
      if (fn <= f + 1e-4 * t * dg) {
        const df = f - fn;
        if (reuse) bfgsUpdate(h, x, xn, g, gn, P);
        x.set(xn); f = fn; g.set(gn);
        accepted = true;
        if (df <= 1e-15 * Math.max(1, Math.abs(f))) it = maxIter;
        break;
      }
      // a kept Hessian's direction failed: form one at x instead of backtracking along it
      if (!fresh) break;
      t *= 0.5;
    }
    if (!accepted) {
      if (fresh) break;
      poolObjective(pr, x, g); // the last evaluation with a gradient was at the trial point: back to x for poolHessian
      stale = true;
      it--; // the failed step does not count
      continue;
    }
    gprev = gmax;
    fresh = false;
    stale = false;
  }
  return x;
}

/**
 * BFGS update of h for the step x -> xn with gradients g -> gn: h + y y^T / (y^T s) - (h s)(h s)^T / (s^T h s),
 * s = xn - x, y = gn - g; skipped unless y^T s > 0 (the objective is strictly convex, so only rounding fails it).
 * Stays exactly symmetric (each term is a product of two entries times a common factor).
 */
function bfgsUpdate(h: Float64Array, x: Float64Array, xn: Float64Array, g: Float64Array, gn: Float64Array, p: number): void {
  const s = new Float64Array(p);
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) { s[i] = xn[i] - x[i]; y[i] = gn[i] - g[i]; }
  const hs = new Float64Array(p);
  let ys = 0;
  let shs = 0;
  for (let i = 0; i < p; i++) {
    let v = 0;
    for (let j = 0; j < p; j++) v += h[i * p + j] * s[j];
    hs[i] = v;
    ys += y[i] * s[i];
    shs += s[i] * v;
  }
  if (!(ys > 0 && shs > 0)) return;
  const iy = 1 / ys;
  const is = 1 / shs;
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) h[i * p + j] += (y[i] * y[j]) * iy - (hs[i] * hs[j]) * is;
}

/**
 * Largest ratio of successive max|g| under which the Hessian is kept for the next step (0.1 to 0.3 measured
 * within a few per cent of each other on the benchmark's stacking).
 */
const REUSE_RATIO = 0.15;

/** Solves H d = -g; adds a growing multiple of the identity if H is not numerically positive definite. */
function solveDamped(h: Float64Array, g: Float64Array, p: number): Float64Array {
  const rhs = Float64Array.from(g, (v) => -v);
  let trace = 0;
  for (let i = 0; i < p; i++) trace += h[i * p + i];
  let lambda = 0;
  for (let attempt = 0; attempt < 30; attempt++) {
    const a = Float64Array.from(h);
    for (let i = 0; i < p; i++) a[i * p + i] += lambda;
    try {
      return choleskySolve(a, rhs, p);
    } catch {
      lambda = lambda === 0 ? 1e-10 * Math.max(trace / p, 1e-12) : lambda * 10;
    }
  }
  return rhs; // gradient step as a last resort
}
