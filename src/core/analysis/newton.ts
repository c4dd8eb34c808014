// Damped Newton's method for the log-pool stacker (stacking.ts): exact gradient and Hessian of
//   sum_s -ln softmax(z_s)[y_s] + alpha/2 |w|^2,   z_sk = b_k + sum_a w_a F[s,a,k]   (b_0 = 0),
// Cholesky solves and Armijo backtracking. Deterministic; converges quadratically near the optimum.
import { gramRows } from './gram.js';
import { choleskySolve } from './linalg.js';

/** Row-major features: feat[(s*q + a)*c + k] = member a's clipped ln p(k) on sample s. */
export interface PoolProblem {
  feat: Float64Array;
  ys: Int32Array;
  q: number;
  c: number;
  alpha: number;
}

/** Scratch of the Hessian's Gram products, kept per problem so that repeated evaluations do not reallocate. */
interface Scratch { z: Float64Array; u: Float64Array }
const scratch = new WeakMap<PoolProblem, Scratch>();

/**
 * Objective at x; fills g (length P = q+c-1) and H (P x P) when given. The member-member block of H,
 * sum_s sum_k p_sk F_sak F_sbk - u_sa u_sb with u_sa = sum_k p_sk F_sak, is formed as two Gram products of
 * long rows (sqrt(p) F over all (s, k), and u over s) by the register-blocked gramRows: the same sums as a
 * per-row q x q x c loop, but with long inner loops instead of trip counts of c.
 */
export function poolObjective(pr: PoolProblem, x: Float64Array, g?: Float64Array, h?: Float64Array): number {
  const { feat, ys, q, c, alpha } = pr;
  const P = q + c - 1;
  const nr = ys.length;
  const len = nr * c;
  let sc = scratch.get(pr);
  if (h && !sc) { sc = { z: new Float64Array(q * len), u: new Float64Array(q * nr) }; scratch.set(pr, sc); }
  const zs = h ? (sc as Scratch).z : null;
  const us = h ? (sc as Scratch).u : null;
  const z = new Float64Array(c);
  const u = new Float64Array(q);
  const rp = new Float64Array(c);
  if (g) g.fill(0);
  if (h) h.fill(0);
  let loss = 0;
  for (let r = 0; r < nr; r++) {
    const base = r * q * c;
    z[0] = 0;
    for (let k = 1; k < c; k++) z[k] = x[q + k - 1];
    for (let a = 0; a < q; a++) {
      const w = x[a];
      const o = base + a * c;
      for (let k = 0; k < c; k++) z[k] += w * feat[o + k];
    }
    let mx = z[0];
    for (let k = 1; k < c; k++) if (z[k] > mx) mx = z[k];
    let se = 0;
    for (let k = 0; k < c; k++) { z[k] = Math.exp(z[k] - mx); se += z[k]; }
    const y = ys[r];
    loss += Math.log(se) - Math.log(z[y]);
    if (!g) continue;
    const inv = 1 / se;
    for (let k = 0; k < c; k++) z[k] *= inv; // z = p
    for (let a = 0; a < q; a++) {
      const o = base + a * c;
      let ua = 0;
      for (let k = 0; k < c; k++) ua += z[k] * feat[o + k];
      u[a] = ua;
      g[a] += ua - feat[o + y];
    }
    for (let k = 1; k < c; k++) g[q + k - 1] += z[k] - (k === y ? 1 : 0);
    if (!h || !zs || !us) continue;
    for (let k = 0; k < c; k++) rp[k] = Math.sqrt(z[k]);
    for (let a = 0; a < q; a++) {
      const o = base + a * c;
      const zo = a * len + r * c;
      for (let k = 0; k < c; k++) zs[zo + k] = rp[k] * feat[o + k];
      us[a * nr + r] = u[a];
      // member-bias block: sum_s p_sk (F_sak - u_sa)
      for (let k = 1; k < c; k++) h[a * P + q + k - 1] += z[k] * (feat[o + k] - u[a]);
    }
    for (let k = 1; k < c; k++) {
      const row = (q + k - 1) * P + q;
      h[row + k - 1] += z[k];
      for (let l = k; l < c; l++) h[row + l - 1] -= z[k] * z[l];
    }
  }
  if (h && zs && us) {
    const pff = gramRows(zs, q, len);
    const uu = gramRows(us, q, nr);
    for (let a = 0; a < q; a++) for (let b = a; b < q; b++) h[a * P + b] = pff[a * q + b] - uu[a * q + b];
  }
  for (let a = 0; a < q; a++) {
    loss += 0.5 * alpha * x[a] * x[a];
    if (g) g[a] += alpha * x[a];
    if (h) h[a * P + a] += alpha;
  }
  if (h) for (let i = 0; i < P; i++) for (let j = i + 1; j < P; j++) h[j * P + i] = h[i * P + j];
  return loss;
}

/** Minimises from x0 (copied); stops when max|g| <= gtol * max(1, |f|) or after maxIter steps. */
export function newtonPool(pr: PoolProblem, x0: Float64Array, gtol: number, maxIter = 100): Float64Array {
  const P = pr.q + pr.c - 1;
  let x = Float64Array.from(x0);
  let g = new Float64Array(P);
  let h = new Float64Array(P * P);
  let f = poolObjective(pr, x, g, h);
  const gn = new Float64Array(P);
  const hn = new Float64Array(P * P);
  for (let it = 0; it < maxIter; it++) {
    let gmax = 0;
    for (let i = 0; i < P; i++) gmax = Math.max(gmax, Math.abs(g[i]));
    if (gmax <= gtol * Math.max(1, Math.abs(f))) break;
    const d = solveDamped(h, g, P);
    let dg = 0;
    for (let i = 0; i < P; i++) dg += d[i] * g[i];
    let t = 1;
    let accepted = false;
    const xn = new Float64Array(P);
    for (let ls = 0; ls < 60; ls++) {
      for (let i = 0; i < P; i++) xn[i] = x[i] + t * d[i];
      const fn = poolObjective(pr, xn, gn, hn);
      if (fn <= f + 1e-4 * t * dg) {
        const df = f - fn;
        x = xn; f = fn; g = Float64Array.from(gn); h = Float64Array.from(hn);
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
