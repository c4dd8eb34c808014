// Damped Newton's method for the log-pool stacker (stacking.ts): exact gradient and Hessian of
//   sum_s -ln softmax(z_s)[y_s] + alpha/2 |w|^2,   z_sk = b_k + sum_a w_a F[s,a,k]   (b_0 = 0),
// Cholesky solves and Armijo backtracking. Deterministic; converges quadratically near the optimum.
import { gramRows } from './gram.js';
import { choleskySolve } from './linalg.js';

/**
 * Member-major features: feat[(a*nr + s)*c + k] = member a's clipped ln p(k) on sample s, so that every pass
 * below is a long loop over one member's nr*c values (each sum still runs in the same order as a per-sample
 * loop would: the results are bitwise those of the row-by-row formulation).
 */
export interface PoolProblem {
  feat: Float64Array;
  ys: Int32Array;
  q: number;
  c: number;
  alpha: number;
}

/**
 * Per-problem scratch: logits / softmax probabilities p (nr x c) and u_sa = sum_k p_sk F_sak (q x nr) of the
 * last evaluation with a gradient, from which poolHessian builds H; sqrt(p) and the sqrt(p) F rows of its Gram product.
 */
interface Scratch { p: Float64Array; u: Float64Array; z: Float64Array; rp: Float64Array }
// keyed by the features, so that fits of one design at several alphas share one scratch
const scratch = new WeakMap<Float64Array, Scratch>();

function scratchOf(pr: PoolProblem): Scratch {
  let sc = scratch.get(pr.feat);
  if (!sc) {
    const len = pr.ys.length * pr.c;
    sc = { p: new Float64Array(len), u: new Float64Array(pr.q * pr.ys.length), z: new Float64Array(pr.q * len), rp: new Float64Array(len) };
    scratch.set(pr.feat, sc);
  }
  return sc;
}

/** Objective at x; fills g (length P = q+c-1) and H (P x P) when given. */
export function poolObjective(pr: PoolProblem, x: Float64Array, g?: Float64Array, h?: Float64Array): number {
  const { feat, ys, q, c, alpha } = pr;
  const nr = ys.length;
  const len = nr * c;
  const sc = scratchOf(pr);
  const z = sc.p; // logits, then (with a gradient) probabilities
  for (let o = 0; o < len; o += c) {
    z[o] = 0;
    for (let k = 1; k < c; k++) z[o + k] = x[q + k - 1];
  }
  // members four at a time: z + w0 f0 + w1 f1 + ... evaluates left to right, the same roundings as one pass each
  let a = 0;
  for (; a + 4 <= q; a += 4) {
    const w0 = x[a], w1 = x[a + 1], w2 = x[a + 2], w3 = x[a + 3];
    const f0 = a * len, f1 = f0 + len, f2 = f1 + len, f3 = f2 + len;
    for (let t = 0; t < len; t++) z[t] = z[t] + w0 * feat[f0 + t] + w1 * feat[f1 + t] + w2 * feat[f2 + t] + w3 * feat[f3 + t];
  }
  for (; a < q; a++) {
    const w = x[a];
    for (let t = 0, f = a * len; t < len; t++) z[t] += w * feat[f + t];
  }
  if (g) g.fill(0);
  let loss = 0;
  for (let r = 0, o = 0; r < nr; r++, o += c) {
    let mx = z[o];
    for (let k = 1; k < c; k++) if (z[o + k] > mx) mx = z[o + k];
    let se = 0;
    for (let k = 0; k < c; k++) { const e = Math.exp(z[o + k] - mx); z[o + k] = e; se += e; }
    const y = ys[r];
    loss += Math.log(se) - Math.log(z[o + y]);
    if (!g) continue;
    const inv = 1 / se;
    for (let k = 0; k < c; k++) z[o + k] *= inv;
    for (let k = 1; k < c; k++) g[q + k - 1] += z[o + k] - (k === y ? 1 : 0);
  }
  if (g) {
    const u = sc.u;
    // u for four members per pass over p (each u_sa still summed in class order, each g_a in sample order)
    let a = 0;
    for (; a + 4 <= q; a += 4) {
      const f0 = a * len, f1 = f0 + len, f2 = f1 + len, f3 = f2 + len;
      let g0 = 0, g1 = 0, g2 = 0, g3 = 0;
      for (let r = 0, o = 0; r < nr; r++, o += c) {
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
      let ga = 0;
      for (let r = 0, o = 0; r < nr; r++, o += c) {
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
  if (h) poolHessian(pr, h);
  return loss;
}

/**
 * H at the point of the last poolObjective call with a gradient (from its stored p and u). The member-member
 * block, sum_s sum_k p_sk F_sak F_sbk - u_sa u_sb, is two Gram products of long rows (sqrt(p) F over all
 * (s, k), and u over s) by the register-blocked gramRows: the same sums as a per-row q x q x c loop, but
 * with long inner loops instead of trip counts of c.
 */
export function poolHessian(pr: PoolProblem, h: Float64Array): void {
  const { feat, ys, q, c, alpha } = pr;
  const P = q + c - 1;
  const nr = ys.length;
  const len = nr * c;
  const { p, u, z, rp } = scratchOf(pr);
  h.fill(0);
  for (let t = 0; t < len; t++) rp[t] = Math.sqrt(p[t]);
  const hb = new Float64Array(c);
  for (let a = 0; a < q; a++) {
    const f = a * len;
    for (let t = 0; t < len; t++) z[f + t] = rp[t] * feat[f + t];
    // member-bias block: sum_s p_sk (F_sak - u_sa)
    hb.fill(0);
    for (let r = 0, o = 0; r < nr; r++, o += c) {
      const ua = u[a * nr + r];
      for (let k = 1; k < c; k++) hb[k] += p[o + k] * (feat[f + o + k] - ua);
    }
    for (let k = 1; k < c; k++) h[a * P + q + k - 1] = hb[k];
  }
  for (let r = 0, po = 0; r < nr; r++, po += c) {
    for (let k = 1; k < c; k++) {
      const row = (q + k - 1) * P + q;
      const pk = p[po + k];
      h[row + k - 1] += pk;
      for (let l = k; l < c; l++) h[row + l - 1] -= pk * p[po + l];
    }
  }
  const pff = gramRows(z, q, len);
  const uu = gramRows(u, q, nr);
  for (let a = 0; a < q; a++) {
    for (let b = a; b < q; b++) h[a * P + b] = pff[a * q + b] - uu[a * q + b];
    h[a * P + a] += alpha;
  }
  for (let i = 0; i < P; i++) for (let j = i + 1; j < P; j++) h[j * P + i] = h[i * P + j];
}

/**
 * Minimises from x0 (copied); stops when max|g| <= gtol * max(1, |f|) or after maxIter steps. Line-search
 * trials compute the loss and gradient only; the Hessian is formed once per step, at the accepted point,
 * and not at all for the final point whose gradient passes the test. `lastHessian` receives the last one formed
 * (untouched when x0 already passes the test).
 */
export function newtonPool(pr: PoolProblem, x0: Float64Array, gtol: number, maxIter = 100, lastHessian?: Float64Array): Float64Array {
  const P = pr.q + pr.c - 1;
  let x = Float64Array.from(x0);
  const g = new Float64Array(P);
  const h = new Float64Array(P * P);
  let f = poolObjective(pr, x, g);
  const gn = new Float64Array(P);
  for (let it = 0; it < maxIter; it++) {
    let gmax = 0;
    for (let i = 0; i < P; i++) gmax = Math.max(gmax, Math.abs(g[i]));
    if (gmax <= gtol * Math.max(1, Math.abs(f))) break;
    poolHessian(pr, h); // the last evaluation with a gradient was at x
    if (lastHessian) lastHessian.set(h);
    const d = solveDamped(h, g, P);
    let dg = 0;
    for (let i = 0; i < P; i++) dg += d[i] * g[i];
    let t = 1;
    let accepted = false;
    const xn = new Float64Array(P);
    for (let ls = 0; ls < 60; ls++) {
      for (let i = 0; i < P; i++) xn[i] = x[i] + t * d[i];
      const fn = poolObjective(pr, xn, gn);
      if (fn <= f + 1e-4 * t * dg) {
        const df = f - fn;
        x = xn; f = fn; g.set(gn);
        accepted = true;
        if (df <= 1e-15 * Math.max(1, Math.abs(f))) it = maxIter;
        break;
      }
      t *= 0.5;
    }
    if (!accepted) break;
  }
  return x;
}

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
