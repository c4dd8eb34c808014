// Pairwise (M x M) diversity of classifiers. The oracle 2x2 counts are one product of the 0/1
// correctness matrix with itself, done on bit-packed rows (AND + popcount, 32 samples per word).
import type { ClsContext } from './context.js';
import { rowCorrelation } from './linalg.js';

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** N11[i][j] = samples both members classify correctly (the Gram matrix of 0/1 correctness rows). */
export function bothCorrectCounts(ctx: ClsContext): { n11: Float64Array; nCorrect: Float64Array } {
  const { n, m, pred, labels } = ctx;
  const words = (n + 31) >>> 5;
  const bits = new Uint32Array(m * words);
  const nCorrect = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    for (let t = 0; t < n; t++) if (pred[i * n + t] === labels[t]) { bits[i * words + (t >>> 5)] |= 1 << (t & 31); nCorrect[i]++; }
  }
  const n11 = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    n11[i * m + i] = nCorrect[i];
    for (let j = i + 1; j < m; j++) {
      let s = 0;
      for (let w = 0, a = i * words, b = j * words; w < words; w++) s += popcount(bits[a + w] & bits[b + w]);
      n11[i * m + j] = s;
      n11[j * m + i] = s;
    }
  }
  return { n11, nCorrect };
}

/** Samples on which members i and j predict the same label (predictions packed 8 per word for C <= 16, 4 for C <= 256). */
export function labelAgreement(ctx: ClsContext): Float64Array {
  const { n, m, c, pred } = ctx;
  const agree = new Float64Array(m * m);
  if (c > 256) {
    for (let i = 0; i < m; i++) for (let j = i; j < m; j++) {
      let s = 0;
      for (let t = 0; t < n; t++) if (pred[i * n + t] === pred[j * n + t]) s++;
      agree[i * m + j] = agree[j * m + i] = s;
    }
    return agree;
  }
  const per = c <= 16 ? 8 : 4;
  const shift = c <= 16 ? 4 : 8;
  const words = Math.ceil(n / per);
  const packed = new Int32Array(m * words);
  for (let i = 0; i < m; i++) for (let t = 0; t < n; t++) {
    packed[i * words + Math.floor(t / per)] |= pred[i * n + t] << (shift * (t % per));
  }
  const padding = words * per - n; // padded slots hold 0 in both rows and count as equal
  for (let i = 0; i < m; i++) {
    agree[i * m + i] = n;
    for (let j = i + 1; j < m; j++) {
      let diff = 0;
      const a = i * words;
      const b = j * words;
      if (per === 8) {
        for (let w = 0; w < words; w++) {
          let x = packed[a + w] ^ packed[b + w];
          x |= x >>> 1; x |= x >>> 2;
          diff += Math.imul(x & 0x11111111, 0x11111111) >>> 28;
        }
      } else {
        for (let w = 0; w < words; w++) {
          let x = packed[a + w] ^ packed[b + w];
          x |= x >>> 1; x |= x >>> 2; x |= x >>> 4;
          diff += Math.imul(x & 0x01010101, 0x01010101) >>> 24;
        }
      }
      agree[i * m + j] = agree[j * m + i] = words * per - padding - diff;
    }
  }
  return agree;
}

export interface PairwiseResult {
  disagreement: Float64Array;
  qStatistic: Float64Array;
  correlation: Float64Array;
  doubleFault: Float64Array;
  kappa: Float64Array;
  nCorrect: Float64Array;
}

/**
 * The pairwise measures from predicted labels (the divergences and the error correlation, computed apart
 * so that another thread can take them, are in divergence.ts and below); NaN marks an undefined entry
 * (it becomes null in the report).
 */
export function pairwiseDiversity(ctx: ClsContext, timings?: Record<string, number>): PairwiseResult {
  const t0 = performance.now();
  const { n, m, c, pred } = ctx;
  const { n11, nCorrect } = bothCorrectCounts(ctx);
  const t1 = performance.now();
  const agree = labelAgreement(ctx);
  const t2 = performance.now();
  const freq = new Float64Array(m * c);
  for (let i = 0; i < m; i++) for (let t = 0; t < n; t++) freq[i * c + pred[i * n + t]]++;
  const mk = () => new Float64Array(m * m);
  const r = { disagreement: mk(), qStatistic: mk(), correlation: mk(), doubleFault: mk(), kappa: mk() };
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
    const a = n11[i * m + j];
    const b = nCorrect[i] - a; // N10: i right, j wrong
    const d = nCorrect[j] - a; // N01: i wrong, j right
    const z = n - a - b - d; // N00
    const k = i * m + j;
    r.disagreement[k] = (b + d) / n;
    r.doubleFault[k] = z / n;
    const qDen = a * z + b * d;
    r.qStatistic[k] = qDen === 0 ? NaN : (a * z - b * d) / qDen;
    const rDen = Math.sqrt((a + b) * (d + z) * (a + d) * (b + z));
    r.correlation[k] = rDen === 0 ? NaN : (a * z - b * d) / rDen;
    let pe = 0;
    for (let q = 0; q < c; q++) pe += freq[i * c + q] * freq[j * c + q];
    pe /= n * n;
    const po = agree[k] / n;
    r.kappa[k] = 1 - pe <= 1e-15 ? NaN : (po - pe) / (1 - pe);
  }
  if (timings) {
    timings['pairwise.oracleCounts'] = t1 - t0;
    timings['pairwise.labelAgreement'] = t2 - t1;
  }
  return { ...r, nCorrect };
}

/** M x M Pearson correlation of the error signals 1 - p(true), i.e. of p(true) (NaN where a signal is constant). */
export function errorCorrelation(ctx: Pick<ClsContext, 'pTrue' | 'm' | 'n'>): Float64Array {
  return rowCorrelation(ctx.pTrue, ctx.m, ctx.n);
}
