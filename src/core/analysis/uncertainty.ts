// Entropy decomposition of the ensemble's predictive distribution (nats):
// total = H(p_bar), aleatoric = weighted mean of H(p_i), epistemic = total - aleatoric (mutual information).
import type { ClsContext } from './context.js';
import { addRowEntropies } from './ln32.js';
import { EPS as CLIP } from './metrics.js';

// module-local copy: imported bindings can compile to getters in hot loops
const EPS = CLIP;

/** H(p) = -sum_c p_c ln max(p_c, EPS) of row [off, off+c). */
export function entropyRow(p: ArrayLike<number>, off: number, c: number): number {
  let h = 0;
  for (let k = 0; k < c; k++) {
    const v = p[off + k];
    if (v > 0) h -= v * Math.log(v > EPS ? v : EPS);
  }
  return h;
}

export interface UncertaintyArrays {
  total: Float64Array;
  aleatoric: Float64Array;
  mutualInformation: Float64Array;
}

/**
 * Per-sample decomposition for the mixture p_bar = sum_i w_i p_i / sum_i w_i, with w = the combine
 * weights for 'weighted' and equal weights otherwise (also for 'vote', whose fractions are not a mixture).
 */
export function uncertaintyArrays(ctx: ClsContext, mixture: Float64Array): UncertaintyArrays {
  const { n, c, m, values } = ctx;
  const w = ctx.method === 'weighted' ? ctx.coef : new Float64Array(m).fill(1);
  let wsum = 0;
  for (let i = 0; i < m; i++) wsum += w[i];
  const total = new Float64Array(n);
  const aleatoric = new Float64Array(n);
  const mutualInformation = new Float64Array(n);
  for (let i = 0; i < m; i++) addRowEntropies(values[i], n, c, w[i] / wsum, aleatoric);
  for (let t = 0; t < n; t++) {
    total[t] = entropyRow(mixture, t * c, c);
    // MI >= 0 mathematically; clamp rounding noise of identical members
    const mi = total[t] - aleatoric[t];
    mutualInformation[t] = mi > 0 ? mi : 0;
  }
  return { total, aleatoric, mutualInformation };
}
