// Shared fixtures for the model tests: member specs, tiny datasets, a tensor tolerance check.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { LayerSpec, MemberSpec, SourceRange, TrainingSpec } from '../../../src/core/config/types';
import type { Dataset } from '../../../src/core/data/types';
import { createRng } from '../../../src/core/data/random';

const pos = { line: 0, character: 0, offset: 0 };
export const RANGE: SourceRange = { start: pos, end: pos };

/** A layer spec without the source range noise. */
export function L(spec: Omit<LayerSpec, 'range'>): LayerSpec {
  return { ...spec, range: RANGE };
}

export function member(layers: LayerSpec[], training: Partial<TrainingSpec> = {}, id = 'm'): MemberSpec {
  return {
    id, groupId: id, repeatIndex: 0, repeatCount: 1,
    source: { kind: 'layers', layers },
    training: {
      optimizer: 'adam', learningRate: 0.01, epochs: 2, batchSize: 16, seed: 1,
      bootstrap: false, labelSmoothing: 0, weightDecay: 0, ...training,
    },
    range: RANGE, idRange: RANGE, entryIndex: 0,
  };
}

/** Random inputs in [0, 1) with labels from a fixed random linear rule (linearly separable). */
export function linearToy(opts: { nTrain: number; nTest: number; inputShape: number[]; numClasses: number; seed?: number; task?: 'classification' | 'regression' }): Dataset {
  const { nTrain, nTest, inputShape, numClasses } = opts;
  const task = opts.task ?? 'classification';
  const rng = createRng(opts.seed ?? 7);
  const dim = inputShape.reduce((p, d) => p * d, 1);
  const C = task === 'classification' ? numClasses : 1;
  const w = Array.from({ length: dim * C }, () => rng.normal());
  const make = (n: number) => {
    const x = new Float32Array(n * dim);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const s = new Float64Array(C);
      for (let j = 0; j < dim; j++) {
        const v = rng.next();
        x[i * dim + j] = v;
        for (let c = 0; c < C; c++) s[c] += (v - 0.5) * w[j * C + c];
      }
      y[i] = task === 'regression' ? s[0] : s.indexOf(Math.max(...s));
    }
    return { x, y };
  };
  const tr = make(nTrain);
  const te = make(nTest);
  return {
    name: 'toy', task, inputShape, numClasses: C, xTrain: tr.x, yTrain: tr.y, xTest: te.x, yTest: te.y,
    nTrain, nTest, lower: new Float32Array(dim), upper: new Float32Array(dim).fill(1), isImage: inputShape.length === 3,
  };
}

/** Like tfjs's expectArraysClose: |a - b| <= atol + rtol * |b| elementwise, same shape. */
export function expectTensorsClose(actual: tf.Tensor | ArrayLike<number>, expected: tf.Tensor | ArrayLike<number>, atol = 1e-4, rtol = 1e-4): void {
  if (actual instanceof tf.Tensor && expected instanceof tf.Tensor) assert.deepEqual(actual.shape, expected.shape, 'shapes differ');
  const a = actual instanceof tf.Tensor ? actual.dataSync() : actual;
  const b = expected instanceof tf.Tensor ? expected.dataSync() : expected;
  assert.equal(a.length, b.length, 'sizes differ');
  for (let i = 0; i < a.length; i++) {
    const tol = atol + rtol * Math.abs(b[i]);
    if (!(Math.abs(a[i] - b[i]) <= tol)) assert.fail(`element ${i}: ${a[i]} vs ${b[i]} (tolerance ${tol})`);
  }
}
