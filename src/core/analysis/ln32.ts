// Natural logarithm of float32 inputs straight from their bits (members' probabilities are float32):
// ln(2^(E-127) (m0 + low 2^-23)) = (E-127) ln 2 + ln m0 + ln(1 + r), with m0 from the top 11 mantissa
// bits (a 2048-entry table) and r < 2^-11 handled by 4 series terms (truncation < 6e-18). Absolute error
// <= 1e-14 against Math.log, about 3x faster; used for the M*N*C entropies.
import { EPS as CLIP } from './metrics.js';

// module-local copy: imported bindings can compile to getters in hot loops
const EPS = CLIP;

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

const F64 = new Float64Array(1);
const F64_WORDS = new Uint32Array(F64.buffer);
/** 1 / (2^52 m0): scales the 41 mantissa bits below the table index (float64 counterpart of TABLE_INV). */
const TABLE_INV64 = Float64Array.from(TABLE_INV, (v) => v / 536870912);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = 1 - HI;

/**
 * ln max(x, EPS) of a float64 x >= 0 from its bits, with the same table: the top 11 of the 52 mantissa bits
 * index it and the other 41 give r < 2^-11 (series truncation < 6e-18). Same accuracy as ln32 (<= 1e-14
 * absolute). Used for the M^2/2 * N * C mixture logarithms of the Jensen-Shannon divergence.
 */
export function lnClipped64(x: number): number {
  if (!(x > EPS)) return LN_EPS;
  F64[0] = x;
  const hi = F64_WORDS[HI];
  const i = (hi >>> 9) & 0x7ff;
  const r = ((hi & 0x1ff) * 4294967296 + F64_WORDS[LO]) * TABLE_INV64[i];
  return ((hi >>> 20) - 1023) * Math.LN2 + TABLE_LN[i] + r * (1 - r * (0.5 - r * (1 / 3 - r * 0.25)));
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

/**
 * Gathers rows idx[s0 .. s0 + cs) (c values each) of v, with u = float32Bits(v), into p from offset o and their
 * clipped logarithms (as clippedLogs) into lp; returns the sum of p ln p over them, added in order.
 */
export function gatherClippedLogs(v: Float32Array, u: Uint32Array, idx: Int32Array, s0: number, cs: number, c: number, p: Float64Array, lp: Float64Array, o: number): number {
  let h = 0;
  for (let s = 0, t = o; s < cs; s++) {
    const from = idx[s0 + s] * c;
    for (let k = from, e = from + c; k < e; k++, t++) {
      const b = u[k];
      const l = b >= CLIP_BITS ? ln32(b) : LN_EPS;
      const x = v[k];
      p[t] = x;
      lp[t] = l;
      h += x * l;
    }
  }
  return h;
}
