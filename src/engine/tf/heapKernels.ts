// Pure-JS loops over the wasm heap that the fast wasm kernels (wasmKernels.ts) are built from:
// im2col / col2im for convolution gradients, and the pooling gradients. Each works on plain
// Float32Array views and is exported for the tests; none allocates.
//
// Geometry comes from tfjs's own `backend_util.computeConv2DInfo` / `computePool2DInfo`, so padding
// ('same', 'valid', explicit) and rounding follow the cpu backend exactly. Layout is NHWC.

/** The fields of tfjs's Conv2DInfo these loops read. */
export interface ConvGeometry {
  batchSize: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  filterHeight: number;
  filterWidth: number;
  effectiveFilterHeight: number;
  effectiveFilterWidth: number;
  padInfo: { top: number; left: number };
}

/**
 * Transposed im2col: `cols[k * N + n]` with k = (kh * KW + kw) * CI + ci (the filter's
 * [KH, KW, CI] order) and n = (b * OH + oh) * OW + ow. Out-of-image taps are 0.
 * Then `cols @ dy[N, CO]` is the filter gradient [KH*KW*CI, CO] with an untransposed matMul.
 */
export function im2colT(x: Float32Array, g: ConvGeometry, cols: Float32Array): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW } = g;
  const N = B * OH * OW;
  for (let kh = 0; kh < g.filterHeight; kh++) {
    for (let kw = 0; kw < g.filterWidth; kw++) {
      const kBase = (kh * g.filterWidth + kw) * CI;
      for (let b = 0; b < B; b++) {
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * g.strideHeight - g.padInfo.top + kh * g.dilationHeight;
          const nRow = (b * OH + oh) * OW;
          const rowOk = ih >= 0 && ih < H;
          for (let ow = 0; ow < OW; ow++) {
            const iw = ow * g.strideWidth - g.padInfo.left + kw * g.dilationWidth;
            const n = nRow + ow;
            if (!rowOk || iw < 0 || iw >= W) {
              for (let ci = 0; ci < CI; ci++) cols[(kBase + ci) * N + n] = 0;
              continue;
            }
            const xo = ((b * H + ih) * W + iw) * CI;
            for (let ci = 0; ci < CI; ci++) cols[(kBase + ci) * N + n] = x[xo + ci];
          }
        }
      }
    }
  }
}

/**
 * col2im: scatter-adds `cols[n * K + k]` (n, k as in `im2colT`, but row-major [N, K]) into the
 * image `dx` [B, H, W, CI], which is zeroed first. `cols = dy[N, CO] @ filter^T[CO, K]` makes this
 * the input gradient of a convolution.
 */
export function col2im(cols: Float32Array, g: ConvGeometry, dx: Float32Array): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW } = g;
  const K = g.filterHeight * g.filterWidth * CI;
  dx.fill(0);
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const cBase = ((b * OH + oh) * OW + ow) * K;
        for (let kh = 0; kh < g.filterHeight; kh++) {
          const ih = oh * g.strideHeight - g.padInfo.top + kh * g.dilationHeight;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < g.filterWidth; kw++) {
            const iw = ow * g.strideWidth - g.padInfo.left + kw * g.dilationWidth;
            if (iw < 0 || iw >= W) continue;
            const xo = ((b * H + ih) * W + iw) * CI;
            const co = cBase + (kh * g.filterWidth + kw) * CI;
            for (let ci = 0; ci < CI; ci++) dx[xo + ci] += cols[co + ci];
          }
        }
      }
    }
  }
}

/**
 * Max-pool gradient: each dy value goes to the first maximum of its window (strictly greater wins,
 * windows scanned row-major, padding ignored), as the cpu backend does. `dx` is zeroed first.
 */
export function maxPoolGrad(x: Float32Array, dy: Float32Array, g: ConvGeometry, dx: Float32Array): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const best = new Float32Array(C);
  const bestAt = new Int32Array(C);
  dx.fill(0);
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        best.fill(-Infinity);
        bestAt.fill(-1);
        for (let kh = 0; kh < g.effectiveFilterHeight; kh += g.dilationHeight) {
          const ih = oh * g.strideHeight - g.padInfo.top + kh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < g.effectiveFilterWidth; kw += g.dilationWidth) {
            const iw = ow * g.strideWidth - g.padInfo.left + kw;
            if (iw < 0 || iw >= W) continue;
            const xo = ((b * H + ih) * W + iw) * C;
            for (let c = 0; c < C; c++) {
              const v = x[xo + c];
              if (v > best[c]) {
                best[c] = v;
                bestAt[c] = xo + c;
              }
            }
          }
        }
        const yo = ((b * OH + oh) * OW + ow) * C;
        for (let c = 0; c < C; c++) if (bestAt[c] >= 0) dx[bestAt[c]] += dy[yo + c];
      }
    }
  }
}

/**
 * Average-pool gradient with the cpu backend's convention: every in-image tap of a window gets
 * dy / (filterHeight * filterWidth) (the full window size, also for windows that overlap padding).
 */
export function avgPoolGrad(dy: Float32Array, g: ConvGeometry, dx: Float32Array): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const scale = 1 / (g.filterHeight * g.filterWidth);
  dx.fill(0);
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const yo = ((b * OH + oh) * OW + ow) * C;
        for (let kh = 0; kh < g.effectiveFilterHeight; kh += g.dilationHeight) {
          const ih = oh * g.strideHeight - g.padInfo.top + kh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < g.effectiveFilterWidth; kw += g.dilationWidth) {
            const iw = ow * g.strideWidth - g.padInfo.left + kw;
            if (iw < 0 || iw >= W) continue;
            const xo = ((b * H + ih) * W + iw) * C;
            for (let c = 0; c < C; c++) dx[xo + c] += dy[yo + c] * scale;
          }
        }
      }
    }
  }
}
