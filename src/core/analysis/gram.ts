// Dense products of row sets, the kernels behind every M x M matrix over samples (error correlation,
// the cross terms of the divergences, the log-pool Hessian): G[i][j] = sum_t A[i][t] B[j][t].
// 2 x 4 register blocking (8 running sums, 6 loads per 8 multiply-adds: V8 keeps them all in the 16 SSE
// registers; a 4 x 4 block spills and measured slower) over a slab of GRAM_BLOCK columns at a time, so that
// the rows being combined stay in L1/L2 while every block pair reuses them.
// Sums run over t in order within a slab, slabs in order: a rearrangement of the naive dot product that
// changes results only by rounding.

/** Columns per slab: 512 rows x 256 doubles = 1 MB stays in cache. */
export const GRAM_BLOCK = 256;

/**
 * out[i*mb + j] = sum_t a[i*len + t] * b[j*len + t] for i < ma, j < mb (rows of length len).
 * With `symmetric` (a === b, ma === mb) only blocks with j >= i are computed and then mirrored.
 * With `acc` the products are added into it (returned): a product over column blocks, one call each.
 */
export function crossRows(a: Float64Array, ma: number, b: Float64Array, mb: number, len: number, symmetric = false, acc?: Float64Array): Float64Array {
  const g = acc ?? new Float64Array(ma * mb);
  for (let t0 = 0; t0 < len; t0 += GRAM_BLOCK) {
    const t1 = Math.min(len, t0 + GRAM_BLOCK);
    let i = 0;
    for (; i + 2 <= ma; i += 2) {
      const a0 = i * len;
      const a1 = a0 + len;
      // symmetric: from the block of 4 columns holding the diagonal, so that a row pair runs in whole blocks
      // (the few lower entries it also computes are overwritten by the mirror below)
      let j = symmetric ? i - (i % 4) : 0;
      for (; j + 4 <= mb; j += 4) {
        const b0 = j * len, b1 = b0 + len, b2 = b1 + len, b3 = b2 + len;
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        for (let t = t0; t < t1; t++) {
          const x0 = a[a0 + t], x1 = a[a1 + t];
          const y0 = b[b0 + t], y1 = b[b1 + t], y2 = b[b2 + t], y3 = b[b3 + t];
          s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
          s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
        }
        const r0 = i * mb + j, r1 = r0 + mb;
        g[r0] += s00; g[r0 + 1] += s01; g[r0 + 2] += s02; g[r0 + 3] += s03;
        g[r1] += s10; g[r1 + 1] += s11; g[r1 + 2] += s12; g[r1 + 3] += s13;
      }
      // remaining columns: both rows in one loop (the same sums as two dot products)
      for (; j < mb; j++) {
        const bj = j * len;
        let s0 = 0, s1 = 0;
        for (let t = t0; t < t1; t++) { const y = b[bj + t]; s0 += a[a0 + t] * y; s1 += a[a1 + t] * y; }
        g[i * mb + j] += s0;
        g[(i + 1) * mb + j] += s1;
      }
    }
    for (; i < ma; i++) for (let j = symmetric ? i : 0; j < mb; j++) g[i * mb + j] += dot(a, i * len, b, j * len, t0, t1);
  }
  // the blocks on the diagonal also wrote a few lower entries: mirror the upper triangle over everything
  if (symmetric) for (let r = 0; r < ma; r++) for (let c = r + 1; c < ma; c++) g[c * ma + r] = g[r * ma + c];
  return g;
}

/** Symmetric Gram matrix Z Z^T of the m rows (length n) of z. */
export function gramRows(z: Float64Array, m: number, n: number): Float64Array {
  return crossRows(z, m, z, m, n, true);
}

function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, t0: number, t1: number): number {
  let s = 0;
  for (let t = t0; t < t1; t++) s += a[ao + t] * b[bo + t];
  return s;
}

/**
 * Weighted symmetric Gram matrix: out[i*m + j] = sum_t w[t] z[i*len + t] z[j*len + t] (rows of length len),
 * blocked like crossRows, with the weight applied to the pair of rows of a block (so no weighted or sqrt(w)
 * copy of z is formed).
 */
export function weightedGramRows(z: Float64Array, m: number, len: number, w: Float64Array): Float64Array {
  const g = new Float64Array(m * m);
  for (let t0 = 0; t0 < len; t0 += GRAM_BLOCK) {
    const t1 = Math.min(len, t0 + GRAM_BLOCK);
    let i = 0;
    for (; i + 2 <= m; i += 2) {
      const a0 = i * len;
      const a1 = a0 + len;
      let j = i - (i % 4);
      for (; j + 4 <= m; j += 4) {
        const b0 = j * len, b1 = b0 + len, b2 = b1 + len, b3 = b2 + len;
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        for (let t = t0; t < t1; t++) {
          const wt = w[t];
          const x0 = wt * z[a0 + t], x1 = wt * z[a1 + t];
          const y0 = z[b0 + t], y1 = z[b1 + t], y2 = z[b2 + t], y3 = z[b3 + t];
          s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
          s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
        }
        const r0 = i * m + j, r1 = r0 + m;
        g[r0] += s00; g[r0 + 1] += s01; g[r0 + 2] += s02; g[r0 + 3] += s03;
        g[r1] += s10; g[r1 + 1] += s11; g[r1 + 2] += s12; g[r1 + 3] += s13;
      }
      for (; j < m; j++) {
        const bj = j * len;
        let s0 = 0, s1 = 0;
        for (let t = t0; t < t1; t++) { const y = w[t] * z[bj + t]; s0 += z[a0 + t] * y; s1 += z[a1 + t] * y; }
        g[i * m + j] += s0;
        g[(i + 1) * m + j] += s1;
      }
    }
    for (; i < m; i++) for (let j = i; j < m; j++) g[i * m + j] += weightedDot(z, i * len, j * len, w, t0, t1);
  }
  for (let r = 0; r < m; r++) for (let c = r + 1; c < m; c++) g[c * m + r] = g[r * m + c];
  return g;
}

function weightedDot(z: Float64Array, ao: number, bo: number, w: Float64Array, t0: number, t1: number): number {
  let s = 0;
  for (let t = t0; t < t1; t++) s += w[t] * z[ao + t] * z[bo + t];
  return s;
}
