// Seeded train/test splits and row selection on row-major Float32Arrays.
import { DataError } from './errors';
import { permutation, shuffle, type Rng } from './random';

/** Rows `idx` of a row-major n*dim matrix, in that order. */
export function takeRows(x: Float32Array, dim: number, idx: ArrayLike<number>): Float32Array {
  const out = new Float32Array(idx.length * dim);
  for (let i = 0; i < idx.length; i++) out.set(x.subarray(idx[i] * dim, idx[i] * dim + dim), i * dim);
  return out;
}

/** Values `idx` of a vector, in that order. */
export function takeValues(y: Float32Array, idx: ArrayLike<number>): Float32Array {
  const out = new Float32Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = y[idx[i]];
  return out;
}

export interface SplitCounts {
  nTrain: number;
  nTest: number;
}

/**
 * Train/test sizes out of `n` rows, the same rule as the config checks (core/config/datasets.ts
 * resolveSplit): the defaults are nTest = round(n * testFraction) and nTrain = n - nTest; when only one
 * count is given the other is its default capped to what is left (at least 1). Both must be >= 1 and
 * fit in `n`.
 */
export function resolveSplitCounts(n: number, opts: { train?: number; test?: number; testFraction: number; what?: string }): SplitCounts {
  const what = opts.what ?? 'dataset';
  const f = opts.testFraction;
  if (!(f > 0 && f < 1)) throw new DataError(`${what}: testFraction must be in (0, 1), got ${f}`);
  for (const [k, v] of [['train', opts.train], ['test', opts.test]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new DataError(`${what}: ${k} must be a positive integer, got ${v}`);
  }
  const defTest = Math.round(n * f);
  const defTrain = n - defTest;
  const nTest = opts.test ?? Math.max(1, Math.min(defTest, n - (opts.train ?? defTrain)));
  const nTrain = opts.train ?? Math.max(1, Math.min(defTrain, n - nTest));
  if (nTrain < 1 || nTest < 1 || nTrain + nTest > n) {
    throw new DataError(`${what}: cannot take ${nTrain} training and ${nTest} test rows out of ${n}`);
  }
  return { nTrain, nTest };
}

/**
 * A random split: one permutation of 0..n-1 (Fisher-Yates with `rng`); the first nTrain indices are
 * the training rows, the next nTest the test rows. Rows beyond nTrain + nTest are left out.
 */
export function splitIndices(n: number, { nTrain, nTest }: SplitCounts, rng: Rng): { train: Int32Array; test: Int32Array } {
  if (nTrain + nTest > n) throw new DataError(`cannot take ${nTrain} + ${nTest} rows out of ${n}`);
  const p = permutation(n, rng);
  return { train: p.slice(0, nTrain), test: p.slice(nTrain, nTrain + nTest) };
}

/** Splits `total` into parts proportional to `sizes` (largest remainder, ties to the lower index). */
export function proportionalCounts(sizes: number[], total: number): number[] {
  const n = sizes.reduce((s, v) => s + v, 0);
  const exact = sizes.map((s) => (n > 0 ? (s * total) / n : 0));
  const out = exact.map(Math.floor);
  let left = total - out.reduce((s, v) => s + v, 0);
  const order = exact.map((e, i) => ({ r: e - Math.floor(e), i })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    if (out[i] < sizes[i]) {
      out[i]++;
      left--;
    }
  }
  return out;
}

/**
 * A stratified split on integer class labels: each class's rows are shuffled (classes in index
 * order), the test set takes a share of each class proportional to its size (largest remainder), the
 * training set the same out of the rest; both are then shuffled so classes are interleaved.
 */
export function stratifiedSplitIndices(labels: ArrayLike<number>, { nTrain, nTest }: SplitCounts, rng: Rng): { train: Int32Array; test: Int32Array } {
  const n = labels.length;
  if (nTrain + nTest > n) throw new DataError(`cannot take ${nTrain} + ${nTest} rows out of ${n}`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const k = labels[i];
    const list = byClass.get(k);
    if (list) list.push(i);
    else byClass.set(k, [i]);
  }
  const groups = [...byClass.keys()].sort((a, b) => a - b).map((k) => shuffle<number, number[]>(byClass.get(k) as number[], rng));
  const sizes = groups.map((g) => g.length);
  const testCounts = proportionalCounts(sizes, nTest);
  const trainCounts = proportionalCounts(sizes.map((s, i) => s - testCounts[i]), nTrain);
  const test: number[] = [];
  const train: number[] = [];
  groups.forEach((g, i) => {
    test.push(...g.slice(0, testCounts[i]));
    train.push(...g.slice(testCounts[i], testCounts[i] + trainCounts[i]));
  });
  return { train: shuffle<number, Int32Array>(Int32Array.from(train), rng), test: shuffle<number, Int32Array>(Int32Array.from(test), rng) };
}
