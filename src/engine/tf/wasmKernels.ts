// Kernels registered on the wasm backend to make training fast, or possible at all.
//
// Measured on tfjs-backend-wasm 4.22 (one thread): XNNPACK's plain matMul runs ~20-30 GFLOP/s, but the
// same kernel with transposeA/transposeB or with a batch dimension falls back to a naive loop at ~2
// GFLOP/s, and the stock gradients of dense layers use exactly those flags. Conv2DBackpropFilter is
// missing (so CNNs cannot train), and Conv2DBackpropInput / MaxPoolGrad / AvgPoolGrad are naive
// loops (10-30x slower than the forward ops). So we register:
//  - BatchMatMul, _FusedMatMul: transpose physically (wasm Transpose), then the fast untransposed path;
//    batched products run as one 2-D product (broadcast right side) or one per batch.
//  - Conv2DBackpropFilter: one XNNPACK convolution of x^T with dy^T (dilated by the stride), or, for
//    few filter taps, im2col (JS over the heap) then one fast matMul dy^T @ cols.
//  - Conv2DBackpropInput: stride 1: one XNNPACK convolution of the padded dy with the flipped
//    filter; otherwise one fast matMul dy @ W^T, then col2im (JS).
//  - MaxPoolGrad, AvgPoolGrad: single-pass JS loops over the heap.
// Every kernel is checked against the cpu backend in test/unit/model/wasmKernels.test.ts.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { avgPoolGrad, col2im, im2col, maxPoolGrad } from './heapKernels';

/** The parts of the wasm backend object these kernels use (see tfjs-backend-wasm's BackendWasm). */
interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  disposeData(dataId: object): boolean;
}
type Args = { inputs: Record<string, TensorInfo>; backend: WasmBackend; attrs: NamedAttrMap };

const WASM = 'wasm';
/** Kernels this module (re)registers; `backend.ts` checks the rest of what training needs. */
export const PATCHED_KERNELS = ['BatchMatMul', '_FusedMatMul', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad', 'AvgPoolGrad'];

let originals: Map<string, KernelFunc> | undefined;

function original(name: string): KernelFunc {
  const f = originals?.get(name);
  if (!f) throw new Error(`wasm kernel ${name} is not available`);
  return f;
}

function call(name: string, inputs: Record<string, TensorInfo>, backend: WasmBackend, attrs: NamedAttrMap = {}): TensorInfo {
  return original(name)({ inputs, backend: backend as never, attrs }) as TensorInfo;
}

const as3d = (t: TensorInfo): TensorInfo => {
  const s = t.shape;
  const batch = s.slice(0, -2).reduce((p, d) => p * d, 1);
  return { dataId: t.dataId, dtype: t.dtype, shape: [batch, s[s.length - 2], s[s.length - 1]] };
};

function transposeLast2(t: TensorInfo, backend: WasmBackend): TensorInfo {
  return call('Transpose', { x: t }, backend, { perm: [0, 2, 1] });
}

/** a [Ba, M, K] @ b [Bb, K, N], neither transposed: one fast 2-D product per batch (or one in all). */
function batchedProduct(a: TensorInfo, b: TensorInfo, backend: WasmBackend): TensorInfo {
  const [ba, m, k] = a.shape;
  const [bb, , n] = b.shape;
  if (ba === 1 && bb === 1) return call('BatchMatMul', { a, b }, backend, { transposeA: false, transposeB: false });
  if (bb === 1) {
    const a2: TensorInfo = { ...a, shape: [1, ba * m, k] };
    const r = call('BatchMatMul', { a: a2, b }, backend, { transposeA: false, transposeB: false });
    return { ...r, shape: [ba, m, n] };
  }
  const batch = Math.max(ba, bb);
  const out = backend.makeOutput([batch, m, n], 'float32');
  for (let i = 0; i < batch; i++) {
    // Fresh operands each time: XNNPACK caches packed right-hand sides by tensor id.
    const aI = backend.makeOutput([1, m, k], 'float32');
    const bI = backend.makeOutput([1, k, n], 'float32');
    try {
      const ia = ba === 1 ? 0 : i;
      const ib = bb === 1 ? 0 : i;
      backend.typedArrayFromHeap(aI).set(backend.typedArrayFromHeap(a).subarray(ia * m * k, (ia + 1) * m * k));
      backend.typedArrayFromHeap(bI).set(backend.typedArrayFromHeap(b).subarray(ib * k * n, (ib + 1) * k * n));
      const r = call('BatchMatMul', { a: aI, b: bI }, backend, { transposeA: false, transposeB: false });
      backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(r), i * m * n);
      backend.disposeData(r.dataId);
    } finally {
      backend.disposeData(aI.dataId);
      backend.disposeData(bI.dataId);
    }
  }
  return out;
}

function batchMatMul({ inputs, backend, attrs }: Args): TensorInfo {
  const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
  let a = as3d(inputs.a);
  let b = as3d(inputs.b);
  const simple = a.shape[0] === 1 && b.shape[0] === 1 && !transposeA && !transposeB;
  if (simple || a.dtype !== 'float32' || (a.shape[0] !== b.shape[0] && a.shape[0] !== 1 && b.shape[0] !== 1)) {
    return call('BatchMatMul', inputs, backend, attrs);
  }
  const temps: TensorInfo[] = [];
  if (transposeA) temps.push((a = transposeLast2(a, backend)));
  if (transposeB) temps.push((b = transposeLast2(b, backend)));
  try {
    const r = batchedProduct(a, b, backend);
    const outer = tf.broadcast_util.assertAndGetBroadcastShape(inputs.a.shape.slice(0, -2), inputs.b.shape.slice(0, -2));
    return { ...r, shape: [...outer, r.shape[1], r.shape[2]] };
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

function fusedMatMul({ inputs, backend, attrs }: Args): TensorInfo {
  const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
  if (!transposeA && !transposeB) return call('_FusedMatMul', inputs, backend, attrs);
  const temps: TensorInfo[] = [];
  let a = inputs.a;
  let b = inputs.b;
  if (transposeA) temps.push((a = transposeLast2(as3d(a), backend)));
  if (transposeB) temps.push((b = transposeLast2(as3d(b), backend)));
  try {
    return call('_FusedMatMul', { ...inputs, a, b }, backend, { ...attrs, transposeA: false, transposeB: false });
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

function checkNhwc(attrs: NamedAttrMap): void {
  const f = attrs.dataFormat as string | undefined;
  if (f && f !== 'NHWC' && f !== 'channelsLast') throw new Error(`wasm convolution gradients support NHWC only, got ${f}`);
}

/**
 * Filter gradient as one XNNPACK convolution: channels become the batch and the batch becomes the
 * channels, so x' = x^T [CI, H, W, B] convolved with dy' [OH, OW, B, CO] (dilated by the stride)
 * gives [CI, KH, KW, CO]. Avoids building the im2col matrix when it would be the larger operand.
 */
function backpropFilterByConv(x: TensorInfo, dy: TensorInfo, info: tf.backend_util.Conv2DInfo, backend: WasmBackend): TensorInfo {
  const temps: TensorInfo[] = [];
  try {
    let xt = call('Transpose', { x }, backend, { perm: [3, 1, 2, 0] });
    temps.push(xt);
    // Rows/columns the dilated convolution must see: exactly (OH - 1) * stride + KH after padding.
    const needH = (info.outHeight - 1) * info.strideHeight + info.filterHeight;
    const needW = (info.outWidth - 1) * info.strideWidth + info.filterWidth;
    const { top, left } = info.padInfo;
    const bottom = needH - info.inHeight - top;
    const right = needW - info.inWidth - left;
    if (top > 0 || left > 0 || bottom > 0 || right > 0) {
      xt = call('PadV2', { x: xt }, backend, { paddings: [[0, 0], [top, Math.max(0, bottom)], [left, Math.max(0, right)], [0, 0]], constantValue: 0 });
      temps.push(xt);
    }
    if (bottom < 0 || right < 0) {
      xt = call('Slice', { x: xt }, backend, { begin: [0, 0, 0, 0], size: [info.inChannels, needH, needW, info.batchSize] });
      temps.push(xt);
    }
    const dyt = call('Transpose', { x: dy }, backend, { perm: [1, 2, 0, 3] });
    temps.push(dyt);
    const r = call('Conv2D', { x: xt, filter: dyt }, backend, { strides: [1, 1], pad: 'valid', dilations: [info.strideHeight, info.strideWidth], dataFormat: 'NHWC' });
    temps.push(r);
    return call('Transpose', { x: r }, backend, { perm: [1, 2, 0, 3] });
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

function conv2dBackpropFilter({ inputs, backend, attrs }: Args): TensorInfo {
  checkNhwc(attrs);
  const { x, dy } = inputs;
  const filterShape = attrs.filterShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, attrs.strides as [number, number], 1,
    attrs.pad as 'valid', attrs.dimRoundingMode as 'floor' | undefined);
  const n = info.batchSize * info.outHeight * info.outWidth;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  // XNNPACK re-packs its right operand on every call. With K > CO the im2col matrix [N, K] would be
  // the big one, so convolve instead (right operand dy, N * CO values); otherwise im2col in JS and
  // multiply dy^T @ cols (right operand cols). Measured on the benchmark CNN: each choice ~25% faster
  // than the other where it is used.
  if (k > info.outChannels) return backpropFilterByConv(x, dy, info, backend);
  const temps: TensorInfo[] = [];
  try {
    const cols = backend.makeOutput([1, n, k], 'float32');
    temps.push(cols);
    im2col(backend.typedArrayFromHeap(x), info, backend.typedArrayFromHeap(cols));
    const dyT = transposeLast2({ ...dy, shape: [1, n, info.outChannels] }, backend); // [1, CO, N]
    temps.push(dyT);
    const dwT = call('BatchMatMul', { a: dyT, b: cols }, backend, { transposeA: false, transposeB: false }); // [1, CO, K]
    temps.push(dwT);
    const dw = transposeLast2(dwT, backend); // [1, K, CO]
    return { ...dw, shape: [...filterShape] };
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

/** Stride-1 input gradient as one XNNPACK convolution of the padded dy with the flipped filter; undefined when it does not apply. */
function backpropInputByConv(dy: TensorInfo, filter: TensorInfo, info: tf.backend_util.Conv2DInfo, backend: WasmBackend): TensorInfo | undefined {
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || info.dilationHeight !== 1 || info.dilationWidth !== 1) return undefined;
  const top = info.filterHeight - 1 - info.padInfo.top;
  const left = info.filterWidth - 1 - info.padInfo.left;
  const bottom = info.inHeight + info.filterHeight - 1 - info.outHeight - top;
  const right = info.inWidth + info.filterWidth - 1 - info.outWidth - left;
  if (Math.min(top, left, bottom, right) < 0) return undefined;
  const temps: TensorInfo[] = [];
  try {
    const flipped = call('Reverse', { x: filter }, backend, { dims: [0, 1] });
    temps.push(flipped);
    const wf = call('Transpose', { x: flipped }, backend, { perm: [0, 1, 3, 2] }); // [KH, KW, CO, CI]
    temps.push(wf);
    const padded = call('PadV2', { x: dy }, backend, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 });
    temps.push(padded);
    return call('Conv2D', { x: padded, filter: wf }, backend, { strides: [1, 1], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC' });
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

function conv2dBackpropInput({ inputs, backend, attrs }: Args): TensorInfo {
  checkNhwc(attrs);
  const { dy, filter } = inputs;
  const inputShape = attrs.inputShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape as [number, number, number, number], attrs.strides as [number, number], 1,
    attrs.pad as 'valid', attrs.dimRoundingMode as 'floor' | undefined);
  const byConv = backpropInputByConv(dy, filter, info, backend);
  if (byConv) return byConv;
  const n = info.batchSize * info.outHeight * info.outWidth;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const wT = transposeLast2({ ...filter, shape: [1, k, info.outChannels] }, backend); // [1, CO, K]
  let cols: TensorInfo | undefined;
  try {
    cols = call('BatchMatMul', { a: { ...dy, shape: [1, n, info.outChannels] }, b: wT }, backend, { transposeA: false, transposeB: false });
    const dx = backend.makeOutput([...inputShape], 'float32');
    col2im(backend.typedArrayFromHeap(cols), info, backend.typedArrayFromHeap(dx));
    return dx;
  } finally {
    backend.disposeData(wT.dataId);
    if (cols) backend.disposeData(cols.dataId);
  }
}

function poolInfo(x: TensorInfo, attrs: NamedAttrMap) {
  return tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number], attrs.filterSize as [number, number], attrs.strides as [number, number],
    1, attrs.pad as 'valid', attrs.dimRoundingMode as 'floor' | undefined);
}

function maxPoolGradKernel({ inputs, backend, attrs }: Args): TensorInfo {
  const { dy, input } = inputs;
  const dx = backend.makeOutput([...input.shape], 'float32');
  maxPoolGrad(backend.typedArrayFromHeap(input), backend.typedArrayFromHeap(dy), poolInfo(input, attrs), backend.typedArrayFromHeap(dx));
  return dx;
}

function avgPoolGradKernel({ inputs, backend, attrs }: Args): TensorInfo {
  const { dy, input } = inputs;
  const dx = backend.makeOutput([...input.shape], 'float32');
  avgPoolGrad(backend.typedArrayFromHeap(dy), poolInfo(input, attrs), backend.typedArrayFromHeap(dx));
  return dx;
}

const OWN: Record<string, (args: Args) => TensorInfo> = {
  BatchMatMul: batchMatMul,
  _FusedMatMul: fusedMatMul,
  Conv2DBackpropFilter: conv2dBackpropFilter,
  Conv2DBackpropInput: conv2dBackpropInput,
  MaxPoolGrad: maxPoolGradKernel,
  AvgPoolGrad: avgPoolGradKernel,
};

/**
 * Registers the kernels above for the wasm backend, replacing stock ones. Call after
 * `tf.setBackend('wasm')` resolved (the stock kernels' setup must have run). Idempotent.
 */
export function registerWasmKernels(): void {
  if (originals) return;
  const saved = new Map<string, KernelFunc>();
  for (const name of ['BatchMatMul', '_FusedMatMul', 'Transpose', 'Reverse', 'PadV2', 'Slice', 'Conv2D']) {
    const k = tf.getKernel(name, WASM);
    if (!k) throw new Error(`the wasm backend lacks its ${name} kernel`);
    saved.set(name, k.kernelFunc);
  }
  originals = saved;
  for (const [name, kernelFunc] of Object.entries(OWN)) {
    if (tf.getKernel(name, WASM)) tf.unregisterKernel(name, WASM);
    const config: KernelConfig = { kernelName: name, backendName: WASM, kernelFunc: kernelFunc as unknown as KernelFunc };
    tf.registerKernel(config);
  }
}
