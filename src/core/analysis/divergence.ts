// Pairwise symmetric KL and Jensen-Shannon divergences (nats) between members' predictive distributions.
//
// Both are sums over samples and classes of one pass per pair over the members' values, gathered as
// float64 with their clipped logarithms (taken once per member and value): symmetric KL adds
// (p_i - p_j)(ln p_i - ln p_j), a sum of non-negative terms (no cancellation), and Jensen-Shannon =
// (1/2)(sum p_i ln p_i + sum p_j ln p_j) - sum m ln m with m = (p_i + p_j)/2, whose mixture term needs one
// logarithm per pair and value, taken from the float64 bits (lnClipped64, about 2x faster than Math.log).
// That logarithm sets the cost; the KL term rides along in the same loop, which takes several pairs per pass
// over row i. Samples are processed in chunks so that the gathered copies stay small and cache-resident
// whatever M is; each pair's sums run over the chunk's values in order (results do not depend on the loop shape).
import type { ClsContext } from './context.js';
import { float32Bits, gatherClippedLogs, lnClipped64 } from './ln32.js';
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
export function pairwiseDivergences(ctx: Pick<ClsContext, 'n' | 'm' | 'c' | 'values'>, seed: number, budget: number): Divergences {
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
    for (let i = 0; i < m; i++) plp[i] += gatherClippedLogs(values[i], bits[i], idx, s0, cs, c, p, lp, i * len);
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
 * (0 ln eps = 0 for m = 0). Row i is paired with 4, then 2, then 1 rows j at a time (one pass over row i for
 * several pairs; each pair's sums still run over t in order). One function per width: V8 inlines the
 * logarithm at every call site only within a per-function budget (about 5 copies of lnClipped64).
 */
function addPairTerms(p: Float64Array, lp: Float64Array, m: number, len: number, kls: Float64Array, mix: Float64Array): void {
  for (let i = 0; i < m; i++) {
    let j = i + 1;
    for (; j + 3 < m; j += 4) pairTerms4(p, lp, i * len, j * len, len, kls, mix, i * m + j);
    if (j + 1 < m) { pairTerms2(p, lp, i * len, j * len, len, kls, mix, i * m + j); j += 2; }
    if (j < m) pairTerms1(p, lp, i * len, j * len, len, kls, mix, i * m + j);
  }
}

/** Terms of the pairs (row a, rows b, b + len, b + 2 len, b + 3 len) into kls/mix[q .. q + 3]. */
function pairTerms4(p: Float64Array, lp: Float64Array, a: number, b: number, len: number, kls: Float64Array, mix: Float64Array, q: number): void {
  const b2 = b + len;
  const b3 = b2 + len;
  const b4 = b3 + len;
  let kl = 0, s = 0, kl2 = 0, s2 = 0, kl3 = 0, s3 = 0, kl4 = 0, s4 = 0;
  for (let t = 0; t < len; t++) {
    const x = p[a + t];
    const lx = lp[a + t];
    const y = p[b + t];
    const y2 = p[b2 + t];
    const y3 = p[b3 + t];
    const y4 = p[b4 + t];
    kl += (x - y) * (lx - lp[b + t]);
    kl2 += (x - y2) * (lx - lp[b2 + t]);
    kl3 += (x - y3) * (lx - lp[b3 + t]);
    kl4 += (x - y4) * (lx - lp[b4 + t]);
    const mm = 0.5 * (x + y);
    s += mm * ln64(mm);
    const mm2 = 0.5 * (x + y2);
    s2 += mm2 * ln64(mm2);
    const mm3 = 0.5 * (x + y3);
    s3 += mm3 * ln64(mm3);
    const mm4 = 0.5 * (x + y4);
    s4 += mm4 * ln64(mm4);
  }
  kls[q] += kl;
  mix[q] += s;
  kls[q + 1] += kl2;
  mix[q + 1] += s2;
  kls[q + 2] += kl3;
  mix[q + 2] += s3;
  kls[q + 3] += kl4;
  mix[q + 3] += s4;
}

/** Terms of the pairs (row a, rows b, b + len) into kls/mix[q .. q + 1]. */
function pairTerms2(p: Float64Array, lp: Float64Array, a: number, b: number, len: number, kls: Float64Array, mix: Float64Array, q: number): void {
  const b2 = b + len;
  let kl = 0, s = 0, kl2 = 0, s2 = 0;
  for (let t = 0; t < len; t++) {
    const x = p[a + t];
    const lx = lp[a + t];
    const y = p[b + t];
    const y2 = p[b2 + t];
    kl += (x - y) * (lx - lp[b + t]);
    kl2 += (x - y2) * (lx - lp[b2 + t]);
    const mm = 0.5 * (x + y);
    s += mm * ln64(mm);
    const mm2 = 0.5 * (x + y2);
    s2 += mm2 * ln64(mm2);
  }
  kls[q] += kl;
  mix[q] += s;
  kls[q + 1] += kl2;
  mix[q + 1] += s2;
}

/** Terms of the pair (row a, row b) into kls/mix[q]. */
function pairTerms1(p: Float64Array, lp: Float64Array, a: number, b: number, len: number, kls: Float64Array, mix: Float64Array, q: number): void {
  let kl = 0;
  let s = 0;
  for (let t = 0; t < len; t++) {
    const x = p[a + t];
    const y = p[b + t];
    kl += (x - y) * (lp[a + t] - lp[b + t]);
    const mm = 0.5 * (x + y);
    s += mm * ln64(mm);
  }
  kls[q] += kl;
  mix[q] += s;
}

// Run the kernels on a tiny input (every width, every statement) when the module loads, often enough for V8 to
// allocate their feedback vectors (lazily, after several calls). V8 optimizes a long loop while it runs
// (on-stack replacement); when that happens in a kernel's first real call, the statements after its loop have
// no type feedback yet and the OSR code deoptimizes there, in some runs on every later call (seen: 400 deopts
// in 25 calls at M = 8, pair loop 15.6 -> 19-25 ms).
for (let r = 0; r < 16; r++) addPairTerms(new Float64Array(8), new Float64Array(8), 8, 1, new Float64Array(64), new Float64Array(64));
