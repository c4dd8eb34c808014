// Pairwise symmetric KL and Jensen-Shannon divergences (nats) between members' predictive distributions.
//
// Symmetric KL summed over samples and classes is sum (p_i - p_j)(ln p_i - ln p_j) = A_ii + A_jj - A_ij - A_ji
// with A = P L^T (P: members' probabilities, L: their clipped logs, one row of N'C values per member), so
// the O(M^2 N' C) part is one Gram-like product done by the register-blocked crossRows, with the logs taken
// once per member and value. Jensen-Shannon = (1/2)(sum p_i ln p_i + sum p_j ln p_j) - sum m ln m with
// m = (p_i + p_j)/2: the mixture term needs one logarithm per pair and value, taken from the float64 bits
// (lnClipped64, about 2x faster than Math.log). Samples are processed in chunks so that the gathered
// float64 copies stay small and cache-resident whatever M is.
import type { ClsContext } from './context.js';
import { crossRows } from './gram.js';
import { clippedLogs, float32Bits, lnClipped64 } from './ln32.js';
import { streamFor, subsample } from './random.js';

// module-local copy: imported bindings can compile to getters in hot loops
const ln64 = lnClipped64;

/** Gathered doubles per array and chunk (2^18 = 2 MB). */
const CHUNK_VALUES = 1 << 18;

export interface Divergences {
  symmetricKL: Float64Array;
  jensenShannon: Float64Array;
  /** N': all samples, or the seeded subset that fits `budget` pair-values. */
  divergenceSampleCount: number;
}

/** Number of samples used: all unless M(M-1)/2 * N * C exceeds the budget (docs/metrics.md#pairwise-matrices). */
export function divergenceSamples(n: number, m: number, c: number, budget: number): number {
  const pairs = (m * (m - 1)) / 2;
  return pairs === 0 ? n : Math.min(n, Math.max(1, Math.floor(budget / (pairs * c))));
}

/** M x M symmetric KL and JS averaged over the divergence samples (diagonals 0; rounding noise below 0 clamped). */
export function pairwiseDivergences(ctx: ClsContext, seed: number, budget: number): Divergences {
  const { n, m, c, values } = ctx;
  const idx = subsample(n, divergenceSamples(n, m, c, budget), streamFor(seed, 'divergence'));
  const ns = idx.length;
  const chunk = Math.max(1, Math.min(ns, Math.floor(CHUNK_VALUES / (m * c))));
  const p = new Float64Array(m * chunk * c);
  const lp = new Float64Array(m * chunk * c);
  const bits = values.map((v) => float32Bits(v));
  const plp = new Float64Array(m); // sum over samples and classes of p ln p, per member
  const cross = new Float64Array(m * m); // A = P L^T, accumulated over chunks
  const mix = new Float64Array(m * m); // sum m ln m per pair (upper triangle)
  for (let s0 = 0; s0 < ns; s0 += chunk) {
    const cs = Math.min(chunk, ns - s0);
    const len = cs * c;
    for (let i = 0; i < m; i++) {
      const v = values[i];
      const o = i * len;
      for (let s = 0; s < cs; s++) {
        const from = idx[s0 + s] * c;
        clippedLogs(v, lp, from, c, o + s * c, bits[i]);
        for (let k = 0; k < c; k++) p[o + s * c + k] = v[from + k];
      }
      let h = 0;
      for (let t = o, e = o + len; t < e; t++) h += p[t] * lp[t];
      plp[i] += h;
    }
    const a = crossRows(p, m, lp, m, len);
    for (let k = 0; k < m * m; k++) cross[k] += a[k];
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) mix[i * m + j] += mixtureTerm(p, i * len, j * len, len);
  }
  const skl = new Float64Array(m * m);
  const js = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) {
    const kl = (cross[i * m + i] + cross[j * m + j] - cross[i * m + j] - cross[j * m + i]) / ns;
    const jsd = (0.5 * (plp[i] + plp[j]) - mix[i * m + j]) / ns;
    // both are >= 0; identical members leave rounding noise of either sign
    skl[i * m + j] = skl[j * m + i] = kl > 0 ? kl : 0;
    js[i * m + j] = js[j * m + i] = jsd > 0 ? jsd : 0;
  }
  return { symmetricKL: skl, jensenShannon: js, divergenceSampleCount: ns };
}

/** sum_t m_t ln max(m_t, EPS) with m_t = (p[a + t] + p[b + t]) / 2 (0 ln eps = 0 for m = 0). */
function mixtureTerm(p: Float64Array, a: number, b: number, len: number): number {
  let s = 0;
  for (let t = 0; t < len; t++) {
    const mm = 0.5 * (p[a + t] + p[b + t]);
    s += mm * ln64(mm);
  }
  return s;
}
