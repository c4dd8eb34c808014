// Pairwise symmetric KL and Jensen-Shannon divergences (nats) between members' predictive distributions.
//
// Both are sums over samples and classes of one pass per pair over the members' values, gathered as
// float64 with their clipped logarithms (taken once per member and value): symmetric KL adds
// (p_i - p_j)(ln p_i - ln p_j), a sum of non-negative terms (no cancellation), and Jensen-Shannon =
// (1/2)(sum p_i ln p_i + sum p_j ln p_j) - sum m ln m with m = (p_i + p_j)/2, whose mixture term needs one
// logarithm per pair and value, taken from the float64 bits (lnClipped64, about 2x faster than Math.log).
// That logarithm sets the cost; the KL term rides along in the same loop. Samples are processed in chunks
// so that the gathered copies stay small and cache-resident whatever M is.
import type { ClsContext } from './context.js';
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
  const kls = new Float64Array(m * m); // sum (p_i - p_j)(ln p_i - ln p_j) per pair (upper triangle)
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
    addPairTerms(p, lp, m, len, kls, mix);
  }
  const skl = new Float64Array(m * m);
  const js = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) {
    const kl = kls[i * m + j] / ns;
    const jsd = (0.5 * (plp[i] + plp[j]) - mix[i * m + j]) / ns;
    // both are >= 0 (KL as a sum of non-negative terms exactly); JS of identical members leaves rounding noise of either sign
    skl[i * m + j] = skl[j * m + i] = kl > 0 ? kl : 0;
    js[i * m + j] = js[j * m + i] = jsd > 0 ? jsd : 0;
  }
  return { symmetricKL: skl, jensenShannon: js, divergenceSampleCount: ns };
}

/**
 * For every pair i < j of the chunk's m rows of len values: kls[i m + j] += sum_t (p_i - p_j)(l_i - l_j)
 * (symmetric KL; l = the clipped logs) and mix[i m + j] += sum_t m_t ln max(m_t, EPS) with m_t = (p_i + p_j)/2
 * (0 ln eps = 0 for m = 0). A function of its own, so that V8 inlines the logarithm into this loop.
 */
function addPairTerms(p: Float64Array, lp: Float64Array, m: number, len: number, kls: Float64Array, mix: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const a = i * len;
    for (let j = i + 1; j < m; j++) {
      const b = j * len;
      let kl = 0;
      let s = 0;
      for (let t = 0; t < len; t++) {
        const x = p[a + t];
        const y = p[b + t];
        kl += (x - y) * (lp[a + t] - lp[b + t]);
        const mm = 0.5 * (x + y);
        s += mm * ln64(mm);
      }
      kls[i * m + j] += kl;
      mix[i * m + j] += s;
    }
  }
}
