// Losses against hand-computed values; our optimizers against tf.train.* step by step.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { Optimizer } from '../../../src/core/config/types';
import { initBackend } from '../../../src/engine/tf/backend';
import { makeOptimizer, meanSquaredError, smoothedTargets, softmaxCrossEntropy } from '../../../src/engine/model/losses';
import { LeanOptimizer } from '../../../src/engine/model/optimizers';
import { expectTensorsClose } from './helpers';

before(async () => {
  await initBackend('wasm');
});

describe('losses', () => {
  it('smoothed targets put 1 - ls + ls/C on the label and ls/C elsewhere', () => {
    assert.deepEqual(Array.from(smoothedTargets([2, 0], 4, 0.2)), [0.05, 0.05, 0.85, 0.05, 0.85, 0.05, 0.05, 0.05].map(Math.fround));
  });

  it('cross-entropy with label smoothing on a hand-computed case', () => {
    // logits [2, 0, 0], label 0. softmax denominator e^2 + 2 = 9.389056; log p = [-0.239543, -2.239543, -2.239543].
    // ls = 0: loss = 0.239543. ls = 0.3 (targets [0.8, 0.1, 0.1]): 0.8 * 0.239543 + 0.2 * 2.239543 = 0.639543.
    const z = tf.tensor2d([[2, 0, 0]]);
    const plain = softmaxCrossEntropy(z, tf.tensor2d(smoothedTargets([0], 3, 0), [1, 3]));
    const smooth = softmaxCrossEntropy(z, tf.tensor2d(smoothedTargets([0], 3, 0.3), [1, 3]));
    expectTensorsClose(plain, [0.239543], 1e-5);
    expectTensorsClose(smooth, [0.639543], 1e-5);
    // Smoothing pulls a confident correct prediction's loss up; a uniform prediction's loss (ln 3) is unchanged.
    const u = tf.zeros([1, 3]);
    expectTensorsClose(softmaxCrossEntropy(u, tf.tensor2d(smoothedTargets([1], 3, 0.3), [1, 3])), [Math.log(3)], 1e-5);
  });

  it('cross-entropy is stable for huge logits and averages over the batch', () => {
    const z = tf.tensor2d([[1000, 0], [0, 1000]]);
    // Row 0 correct (loss 0), row 1 wrong (loss 1000): mean 500.
    expectTensorsClose(softmaxCrossEntropy(z, tf.tensor2d(smoothedTargets([0, 0], 2, 0), [2, 2])), [500], 1e-3);
  });

  it('mean squared error', () => {
    expectTensorsClose(meanSquaredError(tf.tensor2d([[1], [2]]), tf.tensor2d([[0], [4]])), [2.5], 1e-6);
  });
});

describe('LeanOptimizer', () => {
  const kinds: Optimizer[] = ['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad'];
  for (const kind of kinds) {
    it(`${kind} follows tf.train's ${kind} for several steps`, () => {
      const init = [0.5, -1.5, 2, 0.1, -0.3, 0.7];
      const grads = [0, 1, 2, 3, 4].map((s) => init.map((_, i) => Math.sin(3 * s + i) * (i + 1)));
      const ours = tf.variable(tf.tensor2d(init, [2, 3]), true, `ours-${kind}`);
      const theirs = tf.variable(tf.tensor2d(init, [2, 3]), true, `theirs-${kind}`);
      const lean = new LeanOptimizer(kind, 0.05);
      const ref = makeOptimizer({ optimizer: kind, learningRate: 0.05 });
      for (const g of grads) {
        tf.tidy(() => {
          const gt = tf.tensor2d(g, [2, 3]);
          lean.apply([{ variable: ours, grad: gt, weightDecay: 0 }]);
          ref.applyGradients({ [theirs.name]: gt });
        });
      }
      expectTensorsClose(ours, theirs, 1e-5, 1e-4);
      assert.notDeepEqual(Array.from(ours.dataSync()), init);
      lean.dispose();
      ref.dispose();
      tf.dispose([ours, theirs]);
    });
  }

  it('weight decay acts as wd * w added to the gradient (L2 of wd * sum(w^2) / 2)', () => {
    const w = tf.variable(tf.tensor1d([1, -2]), true, 'wd-w');
    const lean = new LeanOptimizer('sgd', 0.1);
    tf.tidy(() => lean.apply([{ variable: w, grad: tf.tensor1d([0.5, 0]), weightDecay: 0.2 }]));
    // w - 0.1 * (g + 0.2 w) = [1 - 0.1 * 0.7, -2 - 0.1 * -0.4]
    expectTensorsClose(w, [0.93, -1.96], 1e-6);
    lean.dispose();
    w.dispose();
  });
});
