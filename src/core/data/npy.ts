// A minimal reader of NumPy's .npy format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
// magic "\x93NUMPY", major/minor version, header length (uint16 LE in v1, uint32 LE in v2/v3), an
// ASCII (v3: UTF-8) Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (n, k), },
// then the raw C-order data. Supported dtypes: little-endian float32/float64/int32/int64, uint8 and
// bool (and their byte-order-free '|' forms). Works from bytes: no fs.
import { DataError } from './errors';

export type NpyDtype = 'float32' | 'float64' | 'int32' | 'int64' | 'uint8' | 'bool';

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /** C-order values. int64 comes back as Float64Array (exact up to 2^53); bool as Uint8Array (0/1). */
  data: Float32Array | Float64Array | Int32Array | Uint8Array;
}

const DESCR: Record<string, { dtype: NpyDtype; size: number }> = {
  '<f4': { dtype: 'float32', size: 4 },
  '<f8': { dtype: 'float64', size: 8 },
  '<i4': { dtype: 'int32', size: 4 },
  '<i8': { dtype: 'int64', size: 8 },
  '|u1': { dtype: 'uint8', size: 1 },
  '<u1': { dtype: 'uint8', size: 1 },
  '|b1': { dtype: 'bool', size: 1 },
};

/** Reads the fields of the header dict; a small parser rather than eval, tolerant of spacing. */
function parseHeader(h: string, file: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(h)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(h)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(h)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new DataError(`not a valid .npy header: ${JSON.stringify(h.trim())}`, { file });
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const v = Number(s.replace(/L$/, ''));
      if (!Number.isInteger(v) || v < 0) throw new DataError(`bad .npy shape (${shapeText})`, { file });
      return v;
    });
  return { descr, fortran: fortran === 'True', shape };
}

/** Parses a .npy file's bytes. `file` only names the source in errors. */
export function parseNpy(bytes: Uint8Array, file = '<npy>'): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw new DataError('not a .npy file (missing the \\x93NUMPY magic)', { file });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new DataError('truncated .npy header', { file });
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    throw new DataError(`unsupported .npy format version ${major}.${bytes[7]}`, { file });
  }
  if (start + headerLen > bytes.length) throw new DataError('truncated .npy header', { file });
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const { descr, fortran, shape } = parseHeader(header, file);
  const kind = DESCR[descr];
  if (!kind) {
    const hint = descr.startsWith('>') ? ' (big-endian data: save with arr.astype(arr.dtype.newbyteorder("<")))' : '';
    throw new DataError(`unsupported .npy dtype '${descr}'${hint}; expected float32, float64, int32, int64, uint8 or bool`, { file });
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (fortran && shape.length > 1) throw new DataError('Fortran-order .npy arrays are not supported (save np.ascontiguousarray(a))', { file });
  const offset = start + headerLen;
  const need = count * kind.size;
  if (bytes.length - offset < need) throw new DataError(`truncated .npy data: expected ${need} bytes for shape (${shape.join(', ')}), found ${bytes.length - offset}`, { file });
  return { dtype: kind.dtype, shape, data: decode(view, offset, count, kind.dtype) };
}

/** Copies the values out with explicit little-endian reads (the data offset need not be aligned). */
function decode(view: DataView, offset: number, count: number, dtype: NpyDtype): NpyArray['data'] {
  switch (dtype) {
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, true);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, true);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, true);
      return out;
    }
    case 'int64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(offset + 8 * i, true));
      return out;
    }
    case 'uint8':
    case 'bool':
      return new Uint8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count));
  }
}

/** The values as a Float32Array (a copy), whatever the dtype. */
export function npyToFloat32(a: NpyArray): Float32Array {
  return a.data instanceof Float32Array ? a.data.slice() : Float32Array.from(a.data);
}
