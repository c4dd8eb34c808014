// Limited-memory BFGS with a backtracking Armijo line search: deterministic, for the small smooth
// convex problems of stacking (a few dozen parameters).

/** Iteration counter (diagnostics for benchmarks). */
export const lbfgsStats = { iterations: 0, evals: 0 };

/** f(x) writing its gradient into g. */
export type Objective = (x: Float64Array, g: Float64Array) => number;

/** Minimises f from x0 (modified in place and returned). Stops when max|g| <= gtol * max(1, |f|). */
export function lbfgs(f: Objective, x0: Float64Array, maxIter = 500, gtol = 1e-8, memory = 10): Float64Array {
  const n = x0.length;
  const x = x0;
  const g = new Float64Array(n);
  let fx = f(x, g);
  const ss: Float64Array[] = [];
  const ys: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const xn = new Float64Array(n);
  const gn = new Float64Array(n);
  const alpha = new Float64Array(memory);
  for (let it = 0; it < maxIter; it++) {
    lbfgsStats.iterations++;
    let gmax = 0;
    for (let i = 0; i < n; i++) gmax = Math.max(gmax, Math.abs(g[i]));
    if (gmax <= gtol * Math.max(1, Math.abs(fx))) break;
    // two-loop recursion: d = -H g
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let k = ss.length - 1; k >= 0; k--) {
      let a = 0;
      for (let i = 0; i < n; i++) a += ss[k][i] * d[i];
      a *= rho[k];
      alpha[k] = a;
      for (let i = 0; i < n; i++) d[i] -= a * ys[k][i];
    }
    if (ss.length) {
      const k = ss.length - 1;
      let sy = 0, yy = 0;
      for (let i = 0; i < n; i++) { sy += ss[k][i] * ys[k][i]; yy += ys[k][i] * ys[k][i]; }
      const gamma = sy / yy;
      for (let i = 0; i < n; i++) d[i] *= gamma;
    } else {
      const s = 1 / Math.max(1, Math.sqrt(g.reduce((a, v) => a + v * v, 0)));
      for (let i = 0; i < n; i++) d[i] *= s;
    }
    for (let k = 0; k < ss.length; k++) {
      let b = 0;
      for (let i = 0; i < n; i++) b += ys[k][i] * d[i];
      b *= rho[k];
      for (let i = 0; i < n; i++) d[i] += ss[k][i] * (alpha[k] - b);
    }
    let dg = 0;
    for (let i = 0; i < n; i++) dg += d[i] * g[i];
    if (!(dg < 0)) { for (let i = 0; i < n; i++) d[i] = -g[i]; dg = -g.reduce((a, v) => a + v * v, 0); ss.length = 0; ys.length = 0; rho.length = 0; }
    let step = 1;
    let fn = 0;
    let ok = false;
    for (let ls = 0; ls < 50; ls++) {
      for (let i = 0; i < n; i++) xn[i] = x[i] + step * d[i];
      fn = f(xn, gn);
      lbfgsStats.evals++;
      if (fn <= fx + 1e-4 * step * dg) { ok = true; break; }
      step *= 0.5;
    }
    if (!ok) break;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    for (let i = 0; i < n; i++) { s[i] = xn[i] - x[i]; y[i] = gn[i] - g[i]; sy += s[i] * y[i]; }
    x.set(xn);
    g.set(gn);
    const df = fx - fn;
    fx = fn;
    if (sy > 1e-300) {
      ss.push(s); ys.push(y); rho.push(1 / sy);
      if (ss.length > memory) { ss.shift(); ys.shift(); rho.shift(); }
    }
    if (df <= 1e-15 * Math.max(1, Math.abs(fx))) break;
  }
  return x;
}
