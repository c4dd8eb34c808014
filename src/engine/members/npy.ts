// A minimal reader of NumPy .npy files (format versions 1-3) holding float arrays.
// (src/core/data had no .npy reader when this was written; dedupe once it has one.)
// Supports little- and big-endian float16/32/64, C or Fortran order; values come back in C (row-major) order.

/** A decoded array: row-major values and the shape. */
export interface NpyArray {
  /** The dtype as written in the header, e.g. '<f4'. */
  descr: string;
  shape: number[];
  data: Float64Array;
}

/** Decodes a .npy file; throws Error with a plain message (the caller adds the file name). */
export function parseNpy(bytes: Uint8Array): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw new Error('not a .npy file (bad magic bytes)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new Error(`unsupported .npy format version ${major}`);
  }
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new Error(`unreadable .npy header: ${header.trim()}`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const m = /^([<>|=])f([248])$/.exec(descr);
  if (!m) throw new Error(`dtype '${descr}' is not supported: save float32 or float64 values (np.save(path, a.astype(np.float32)))`);
  const little = m[1] !== '>';
  const size = Number(m[2]);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLen;
  if (bytes.length - dataStart < count * size) {
    throw new Error(`file is truncated: shape [${shape.join(', ')}] needs ${count * size} bytes of data, found ${bytes.length - dataStart}`);
  }
  const raw = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const at = dataStart + k * size;
    raw[k] = size === 8 ? view.getFloat64(at, little) : size === 4 ? view.getFloat32(at, little) : half(view.getUint16(at, little));
  }
  const data = fortran === 'True' && shape.length > 1 ? fortranToC(raw, shape) : raw;
  return { descr, shape, data };
}

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** Reorders column-major values to row-major. */
function fortranToC(src: Float64Array, shape: number[]): Float64Array {
  const out = new Float64Array(src.length);
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  // Walk destination (C order); the source offset uses Fortran strides.
  const fStride = new Array<number>(rank);
  fStride[0] = 1;
  for (let d = 1; d < rank; d++) fStride[d] = fStride[d - 1] * shape[d - 1];
  for (let k = 0; k < out.length; k++) {
    let off = 0;
    for (let d = 0; d < rank; d++) off += idx[d] * fStride[d];
    out[k] = src[off];
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}
