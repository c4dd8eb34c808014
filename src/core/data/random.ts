// Seeded randomness for everything data-related: generation, shuffles, splits, bootstrap samples.
//
// Generator: xoshiro128** 1.1 (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c),
// 128-bit state, period 2^128 - 1, output 32 bits. The state is filled from the 32-bit seed by
// SplitMix32 (the 32-bit variant of SplitMix64 with Murmur3's fmix32 finaliser constants), so
// neighbouring seeds give unrelated streams. Uniforms are out / 2^32 in [0, 1).
// Gaussians: Box-Muller (both values of each pair are used, the second is cached).
// All results depend only on the seed and the sequence of calls, never on the platform.

/** A seeded source of random numbers. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n), n >= 1 (rejection sampling: no modulo bias). */
  int(n: number): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Raw 32-bit output (unsigned). */
  nextUint32(): number;
}

function splitMix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/**
 * A xoshiro128** generator for `seed`. Non-integer or out-of-range seeds are reduced to 32 bits
 * (`seed >>> 0` after truncation), so 0 and 2^32 are the same stream.
 */
export function createRng(seed: number): Rng {
  const sm = splitMix32(Math.trunc(seed));
  let a = sm(), b = sm(), c = sm(), d = sm();
  if ((a | b | c | d) === 0) a = 1; // the all-zero state is a fixed point
  let spare: number | undefined;

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    return result;
  };
  const next = (): number => nextUint32() / 4294967296;

  return {
    nextUint32,
    next,
    int(n: number): number {
      if (!(n >= 1) || n > 4294967296) throw new RangeError(`Rng.int: n must be in [1, 2^32], got ${n}`);
      const bound = Math.floor(n);
      // Largest multiple of bound below 2^32; values at or above it are rejected.
      const limit = 4294967296 - (4294967296 % bound);
      for (;;) {
        const r = nextUint32();
        if (r < limit) return r % bound;
      }
    },
    normal(): number {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      // u1 in (0, 1] so log(u1) is finite.
      const u1 = 1 - next();
      const u2 = next();
      const r = Math.sqrt(-2 * Math.log(u1));
      spare = r * Math.sin(2 * Math.PI * u2);
      return r * Math.cos(2 * Math.PI * u2);
    },
  };
}

/**
 * A seed for an independent sub-stream, e.g. `deriveSeed(seed, 'split')`: FNV-1a over the tag,
 * mixed with the seed. Lets one user seed drive several uses without their draws interfering.
 */
export function deriveSeed(seed: number, tag: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < tag.length; i++) {
    h ^= tag.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h ^ Math.imul(Math.trunc(seed) >>> 0, 0x9e3779b1)) >>> 0;
}

/** Fisher-Yates (Durstenfeld) shuffle in place: for i = n-1 .. 1, swap a[i] with a[rng.int(i + 1)]. */
export function shuffle<T, A extends { length: number; [i: number]: T }>(a: A, rng: Rng): A {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/** A random permutation of 0..n-1: `shuffle` applied to the identity. */
export function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return shuffle<number, Int32Array>(p, rng);
}

/** `k` indices drawn uniformly with replacement from 0..n-1 (n >= 1). */
export function sampleWithReplacement(n: number, k: number, rng: Rng): Int32Array {
  if (n < 1 && k > 0) throw new RangeError('sampleWithReplacement: cannot draw from an empty set');
  const out = new Int32Array(k);
  for (let i = 0; i < k; i++) out[i] = rng.int(n);
  return out;
}
