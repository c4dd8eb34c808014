// Seeded randomness: mulberry32, one independent stream per purpose so that changing one analysis
// never shifts another's random choices. scripts/fixtures/analysis_reference.py reimplements it.

/** Stream offsets added to the user seed (documented in docs/metrics.md). */
export const STREAM = { orders: 1, split: 2, folds: 3, rankTies: 4, divergence: 5, stacking: 6, sizeCurve: 7 } as const;

/** mulberry32: returns floats in [0, 1) with 32 bits of state. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Stream for one purpose. */
export function streamFor(seed: number, purpose: keyof typeof STREAM): () => number {
  return mulberry32((Math.imul(seed | 0, 0x9e3779b1) + STREAM[purpose]) >>> 0);
}

/** Fisher-Yates permutation of 0..n-1: for i from n-1 down to 1, swap i with floor(rng() * (i + 1)). */
export function permutation(n: number, rng: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = p[i]; p[i] = p[j]; p[j] = t;
  }
  return p;
}

/** Sorted indices of a seeded subset of size k (the first k of a permutation), or all when k >= n. */
export function subsample(n: number, k: number, rng: () => number): Int32Array {
  if (k >= n) return Int32Array.from({ length: n }, (_, i) => i);
  return permutation(n, rng).slice(0, k).sort();
}

/** Fold id per sample: permutation position modulo k. */
export function foldIds(n: number, k: number, rng: () => number): Int32Array {
  const p = permutation(n, rng);
  const f = new Int32Array(n);
  for (let i = 0; i < n; i++) f[p[i]] = i % k;
  return f;
}
