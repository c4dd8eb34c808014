// Natural logarithm of float32 inputs straight from their bits (members' probabilities are float32):
// ln(2^(E-127) (m0 + low 2^-23)) = (E-127) ln 2 + ln m0 + ln(1 + r), with m0 from the top 11 mantissa
// bits (a 2048-entry table) and r < 2^-11 handled by 4 series terms (truncation < 6e-18). Absolute error
// <= 1e-14 against Math.log, about 3x faster; used for the M*N*C entropies.
import { EPS } from './metrics.js';

const TABLE_LN = new Float64Array(2048);
const TABLE_INV = new Float64Array(2048);
for (let i = 0; i < 2048; i++) {
  const m0 = 1 + i / 2048;
  TABLE_LN[i] = Math.log(m0);
  TABLE_INV[i] = 1 / (8388608 * m0);
}
const LN_EPS = Math.log(EPS);

/** Bits of the smallest float32 strictly above EPS: values below are clipped to EPS before the log. */
const CLIP_BITS = (() => {
  const f = new Float32Array([EPS]);
  const u = new Uint32Array(f.buffer);
  return f[0] > EPS ? u[0] : u[0] + 1;
})();

/** ln of the positive normal float32 whose bit pattern is b. */
function ln32(b: number): number {
  const i = (b >>> 12) & 0x7ff;
  const r = (b & 0xfff) * TABLE_INV[i];
  return ((b >>> 23) - 127) * Math.LN2 + TABLE_LN[i] + r * (1 - r * (0.5 - r * (1 / 3 - r * 0.25)));
}

/** out[t] += weight * H(row t) with H(p) = -sum_c p_c ln max(p_c, EPS), for an n x c float32 matrix. */
export function addRowEntropies(v: Float32Array, n: number, c: number, weight: number, out: Float64Array): void {
  const u = new Uint32Array(v.buffer, v.byteOffset, v.length);
  for (let t = 0; t < n; t++) {
    let h = 0;
    for (let k = t * c, e = k + c; k < e; k++) {
      const b = u[k];
      if (b >= CLIP_BITS) h -= v[k] * ln32(b);
      else if (b !== 0) h -= v[k] * LN_EPS;
    }
    out[t] += weight * h;
  }
}

/** The bit patterns of a float32 array (a view, no copy). */
export function float32Bits(v: Float32Array): Uint32Array {
  return new Uint32Array(v.buffer, v.byteOffset, v.length);
}

/** out[outOffset + k] = ln max(v[from + k], EPS) for k < count; pass `u = float32Bits(v)` to reuse a view. */
export function clippedLogs(v: Float32Array, out: Float64Array, from = 0, count = v.length, outOffset = 0, u = float32Bits(v)): void {
  for (let k = 0; k < count; k++) {
    const b = u[from + k];
    out[outOffset + k] = b >= CLIP_BITS ? ln32(b) : LN_EPS;
  }
}
