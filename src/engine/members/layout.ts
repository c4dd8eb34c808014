// How a saved model's input shape is matched to the dataset's samples.
//
// Our Dataset stores each sample row-major in `inputShape` (images NHWC: [28, 28, 1]). Given the model's
// input dims without the batch dim (`null`, -1 or a symbolic name = any size), the first rule that fits wins:
//   1. same:      the dims equal the dataset's shape                        -> feed as is;
//   2. reshape:   the dims hold the same values in the same order: equal after dropping size-1 dims
//                 ([28, 28, 1] vs [28, 28], or [1, 28, 28] when C = 1), or a flat model input ([784])
//                 or flat data                                             -> reshape only (no copy; a flat
//                 model input is assumed flattened in the dataset's order, i.e. HWC for images);
//   3. transpose: the dataset is [H, W, C], the model wants [C, H, W] (NCHW, PyTorch-style)
//                                                                          -> transpose NHWC -> NCHW;
//   otherwise the model does not fit and loading fails naming both shapes.

export type InputLayout =
  | { kind: 'same'; dims: number[] }
  | { kind: 'reshape'; dims: number[] }
  | { kind: 'nhwcToNchw'; dims: number[]; h: number; w: number; c: number };

/** A model dim: a size, or null for "any". */
export type ModelDim = number | null;

/** Normalises ONNX / TF.js dims (strings, -1, null, undefined) to number | null. */
export function toModelDims(shape: ReadonlyArray<number | string | null | undefined>): ModelDim[] {
  return shape.map((d) => (typeof d === 'number' && d >= 0 ? d : null));
}

/** Picks the layout, or returns a reason the model does not fit (the caller names the file). */
export function planLayout(modelDims: ModelDim[], dataShape: number[]): InputLayout | string {
  const size = dataShape.reduce((a, b) => a * b, 1);
  const fits = (dims: ModelDim[], target: number[]): boolean => dims.length === target.length && dims.every((d, i) => d === null || d === target[i]);
  if (fits(modelDims, dataShape)) return { kind: 'same', dims: dataShape.slice() };

  const squeeze = (s: ModelDim[]): ModelDim[] => s.filter((d) => d !== 1);
  const known = modelDims.every((d) => d !== null);
  const prod = known ? (modelDims as number[]).reduce((a, b) => a * b, 1) : NaN;
  if (known && prod === size && (fits(squeeze(modelDims), squeeze(dataShape) as number[]) || modelDims.length === 1 || dataShape.length === 1)) {
    return { kind: 'reshape', dims: modelDims as number[] };
  }
  if (modelDims.length === 1 && modelDims[0] === null) return { kind: 'reshape', dims: [size] };

  if (dataShape.length === 3) {
    const [h, w, c] = dataShape;
    if (fits(modelDims, [c, h, w])) return { kind: 'nhwcToNchw', dims: [c, h, w], h, w, c };
  }
  return `model input ${shapeText([null, ...modelDims])} does not fit the dataset's samples ${shapeText(dataShape)} (${size} values each)`;
}

/** `[N, 1, 28, 28]` (unknown dims shown as N for the batch, ? elsewhere). */
export function shapeText(dims: ModelDim[]): string {
  return `[${dims.map((d, i) => (d === null ? (i === 0 ? 'N' : '?') : String(d))).join(', ')}]`;
}

/** Rearranges n samples from the dataset's layout into the model's (a copy only for a transpose). */
export function toModelLayout(layout: InputLayout, x: Float32Array, n: number): Float32Array {
  if (layout.kind !== 'nhwcToNchw') return x;
  const { h, w, c } = layout;
  const out = new Float32Array(n * h * w * c);
  const plane = h * w;
  for (let s = 0; s < n; s++) {
    const base = s * plane * c;
    for (let p = 0; p < plane; p++) {
      for (let k = 0; k < c; k++) out[base + k * plane + p] = x[base + p * c + k];
    }
  }
  return out;
}
