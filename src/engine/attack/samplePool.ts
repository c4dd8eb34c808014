// The pool of DVERGE's protocol: test samples every evaluable member classifies correctly, drawn in a
// seeded random order until the pool is full (so a pool of 500 does not predict all 10,000 samples).
import type { Dataset } from '../../core/data/types';
import { createRng } from '../../core/data/random';
import { argmaxRow, gatherRows, type Target } from './targets';

export interface PoolOptions {
  /** Maximum pool size. */
  size: number;
  seed: number;
  /** Targeted attacks with a fixed target class leave out samples of that class. */
  excludeLabel?: number;
  /** Samples predicted per round. Default 512. */
  chunk?: number;
  signal?: AbortSignal;
}

export interface Pool {
  /** Test indices, in draw order. */
  indices: number[];
  /** Test samples examined. */
  candidates: number;
}

/** A seeded permutation of 0..n-1 (Fisher-Yates). */
export function shuffled(n: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

export async function selectPool(targets: Target[], data: Dataset, o: PoolOptions): Promise<Pool> {
  const d = data.inputShape.reduce((a, b) => a * b, 1);
  const c = data.numClasses;
  const order = shuffled(data.nTest, o.seed);
  const chunk = o.chunk ?? 512;
  const indices: number[] = [];
  let candidates = 0;
  for (let s = 0; s < order.length && indices.length < o.size; s += chunk) {
    o.signal?.throwIfAborted();
    const ids = Array.from(order.subarray(s, s + chunk)).filter((i) => data.yTest[i] !== o.excludeLabel);
    candidates += Math.min(chunk, order.length - s);
    if (ids.length === 0) continue;
    const x = gatherRows(data.xTest, d, ids);
    const ok = new Uint8Array(ids.length).fill(1);
    for (const t of targets) {
      const p = await t.predict(x, ids.length);
      for (let i = 0; i < ids.length; i++) if (argmaxRow(p, i, c) !== data.yTest[ids[i]]) ok[i] = 0;
    }
    for (let i = 0; i < ids.length && indices.length < o.size; i++) if (ok[i]) indices.push(ids[i]);
  }
  return { indices, candidates };
}
