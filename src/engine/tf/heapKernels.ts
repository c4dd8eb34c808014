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
 * im2col: `cols[n * K + k]` with n = (b * OH + oh) * OW + ow and k = (kh * KW + kw) * CI + ci (the
 * filter's [KH, KW, CI] order), row-major [N, K]. Out-of-image taps are 0. Then
 * `dy[N, CO]^T @ cols` is the transposed filter gradient [CO, KH*KW*CI].
 */
export function im2col(x: Float32Array, g: ConvGeometry, cols: Float32Array): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW } = g;
  const KH = g.filterHeight;
  const KW = g.filterWidth;
  const K = KH * KW * CI;
  if (cols.length !== B * OH * OW * K) throw new Error('im2col: size mismatch');
  // With dilation 1, the KW taps of one filter row are KW*CI contiguous values in x and in cols.
  const run = g.dilationWidth === 1 ? KW * CI : 0;
  let o = 0;
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = ow * g.strideWidth - g.padInfo.left;
        const rowInside = run > 0 && iw0 >= 0 && iw0 + KW <= W;
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * g.strideHeight - g.padInfo.top + kh * g.dilationHeight;
          if (ih < 0 || ih >= H) {
            cols.fill(0, o, o + KW * CI);
            o += KW * CI;
            continue;
          }
          const rowBase = (b * H + ih) * W;
          if (rowInside) {
            const xo = (rowBase + iw0) * CI;
            for (let j = 0; j < run; j++) cols[o + j] = x[xo + j];
            o += run;
            continue;
          }
          for (let kw = 0; kw < KW; kw++) {
            const iw = iw0 + kw * g.dilationWidth;
            if (iw < 0 || iw >= W) {
              for (let ci = 0; ci < CI; ci++) cols[o++] = 0;
              continue;
            }
            const xo = (rowBase + iw) * CI;
            for (let ci = 0; ci < CI; ci++) cols[o++] = x[xo + ci];
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
  const taps = new Int32Array(g.filterHeight * g.filterWidth);
  dx.fill(0);
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        // In-image window positions, in scan order (their order decides ties).
        let nt = 0;
        for (let kh = 0; kh < g.effectiveFilterHeight; kh += g.dilationHeight) {
          const ih = oh * g.strideHeight - g.padInfo.top + kh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < g.effectiveFilterWidth; kw += g.dilationWidth) {
            const iw = ow * g.strideWidth - g.padInfo.left + kw;
            if (iw >= 0 && iw < W) taps[nt++] = ((b * H + ih) * W + iw) * C;
          }
        }
        const yo = ((b * OH + oh) * OW + ow) * C;
        if (nt === 4) {
          // The common 2x2 window, unrolled.
          const t0 = taps[0], t1 = taps[1], t2 = taps[2], t3 = taps[3];
          for (let c = 0; c < C; c++) {
            let at = t0 + c;
            let best = x[at];
            if (!(best > -Infinity)) at = -1; // NaN or -Infinity never win, as in the generic scan
            let v = x[t1 + c];
            if (v > best || (at < 0 && v > -Infinity)) { best = v; at = t1 + c; }
            v = x[t2 + c];
            if (v > best || (at < 0 && v > -Infinity)) { best = v; at = t2 + c; }
            v = x[t3 + c];
            if (v > best || (at < 0 && v > -Infinity)) { best = v; at = t3 + c; }
            if (at >= 0) dx[at] += dy[yo + c];
          }
          continue;
        }
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let at = -1;
          for (let t = 0; t < nt; t++) {
            const v = x[taps[t] + c];
            if (v > best) {
              best = v;
              at = taps[t] + c;
            }
          }
          if (at >= 0) dx[at] += dy[yo + c];
        }
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
