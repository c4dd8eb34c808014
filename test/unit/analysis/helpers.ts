// Shared helpers of the analysis tests: tolerant deep comparison and small input builders.
import assert from 'node:assert/strict';
import type { EnsembleOutputs } from '../../../src/core/outputs.js';

/**
 * Asserts that `actual` matches `expected` recursively: numbers within tol * max(1, |expected|), nulls
 * equal, arrays of equal length; only the keys present in `expected` are checked.
 */
export function assertClose(actual: unknown, expected: unknown, tol = 1e-9, path = '$'): void {
  if (expected === null || expected === undefined) {
    assert.equal(actual ?? null, null, `${path}: expected null, got ${String(actual)}`);
    return;
  }
  if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', `${path}: expected a number ${expected}, got ${String(actual)}`);
    const a = actual as number;
    assert.ok(Math.abs(a - expected) <= tol * Math.max(1, Math.abs(expected)), `${path}: ${a} != ${expected} (tol ${tol})`);
    return;
  }
  if (typeof expected !== 'object') {
    assert.equal(actual, expected, path);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) || ArrayBuffer.isView(actual), `${path}: expected an array`);
    const arr = actual as ArrayLike<unknown>;
    assert.equal(arr.length, expected.length, `${path}: length ${arr.length} != ${expected.length}`);
    for (let i = 0; i < expected.length; i++) assertClose(arr[i], expected[i], tol, `${path}[${i}]`);
    return;
  }
  assert.ok(actual && typeof actual === 'object', `${path}: expected an object`);
  for (const [k, v] of Object.entries(expected)) assertClose((actual as Record<string, unknown>)[k], v, tol, `${path}.${k}`);
}

/** Classification outputs from plain nested arrays: probs[member][sample] = row. */
export function clsOutputs(labels: number[], probs: number[][][], ids?: string[]): EnsembleOutputs {
  const c = probs[0][0].length;
  return {
    task: 'classification', numClasses: c, nTest: labels.length, labels: Float32Array.from(labels),
    members: probs.map((rows, i) => ({ id: ids?.[i] ?? `m${i}`, values: Float32Array.from(rows.flat()) })),
  };
}

/** Regression outputs: preds[member][sample]. */
export function regOutputs(labels: number[], preds: number[][], ids?: string[]): EnsembleOutputs {
  return {
    task: 'regression', numClasses: 1, nTest: labels.length, labels: Float32Array.from(labels),
    members: preds.map((p, i) => ({ id: ids?.[i] ?? `r${i}`, values: Float32Array.from(p) })),
  };
}

/**
 * Random classification outputs (ids m0, m1, ...) whose rows sum to 1, with exact zeros and values below the
 * 1e-12 clipping threshold (drawn from `rng`, so a test's sequence of calls fixes its data).
 */
export function sparseRandomOutputs(rng: () => number, m: number, n: number, c: number): EnsembleOutputs {
  const labels = Float32Array.from({ length: n }, () => Math.floor(rng() * c));
  const members = Array.from({ length: m }, (_, i) => {
    const v = new Float32Array(n * c);
    for (let t = 0; t < n; t++) {
      let s = 0;
      for (let k = 0; k < c; k++) { const u = rng(); v[t * c + k] = u < 0.05 ? 0 : u < 0.08 ? 1e-14 : u * u; s += v[t * c + k]; }
      if (s === 0) { v[t * c] = 1; s = 1; } // every class drawn as 0 (rare at C = 4)
      for (let k = 0; k < c; k++) v[t * c + k] /= s;
    }
    return { id: `m${i}`, values: v };
  });
  return { task: 'classification', numClasses: c, nTest: n, labels, members };
}
