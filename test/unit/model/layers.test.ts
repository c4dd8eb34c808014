// Each layer type builds, has the right output shape, and trains a step on wasm.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { Activation, LayerSpec } from '../../../src/core/config/types';
import { createRng } from '../../../src/core/data/random';
import { initBackend } from '../../../src/engine/tf/backend';
import { Network } from '../../../src/engine/model/network';
import { LeanOptimizer } from '../../../src/engine/model/optimizers';
import { softmaxCrossEntropy, smoothedTargets } from '../../../src/engine/model/losses';
import { activate } from '../../../src/engine/model/activations';
import { L, expectTensorsClose } from './helpers';

before(async () => {
  await initBackend('wasm', { conv: true });
});

/** Builds `layers` + a dense head, checks the body's output shape, runs one training step. */
function buildAndStep(body: LayerSpec[], inputShape: number[], bodyOut: number[]): void {
  const layers = [...body, L({ type: 'flatten' }), L({ type: 'dense', units: 3, activation: 'softmax' })];
  const before = tf.memory().numTensors;
  const net = new Network({ layers, inputShape, numClasses: 3 }, { kind: 'random', rng: createRng(5) });
  try {
    assert.deepEqual(net.layers[body.length - 1].outputShape, bodyOut);
    const n = 4;
    const x = tf.randomUniform([n, ...inputShape], 0, 1, 'float32', 3);
    const out = tf.tidy(() => net.forward(x, { training: false }, true));
    assert.deepEqual(out.shape, [n, 3]);
    const firstBody = tf.tidy(() => net.layers[0].apply(x, { training: false }));
    assert.deepEqual(firstBody.shape, [n, ...net.layers[0].outputShape]);
    const params = net.params.filter((p) => p.trainable);
    const beforeValues = params.map((p) => Float32Array.from(p.variable.dataSync() as Float32Array));
    const opt = new LeanOptimizer('sgd', 0.1);
    const y = tf.tensor2d(smoothedTargets([0, 1, 2, 0], 3, 0), [n, 3]);
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => softmaxCrossEntropy(net.forward(x, { training: true, rng: createRng(1) }, true), y), params.map((p) => p.variable));
      opt.apply(params.map((p) => ({ variable: p.variable, grad: grads[p.variable.name], weightDecay: 0 })));
      return value;
    });
    assert.ok(Number.isFinite(loss.dataSync()[0]));
    // The kernel of the head always receives a gradient and moves.
    const head = params.length - 2;
    assert.notDeepEqual(params[head].variable.dataSync(), beforeValues[head]);
    tf.dispose([x, out, firstBody, y, loss]);
    opt.dispose();
  } finally {
    net.dispose();
  }
  assert.equal(tf.memory().numTensors, before, 'no tensors leaked');
}

describe('layers', () => {
  it('dense flattens rank>1 input and has [units] output', () => buildAndStep([L({ type: 'dense', units: 5, activation: 'relu' })], [2, 3], [5]));
  it('conv2d valid/same with strides', () => {
    buildAndStep([L({ type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu' })], [8, 8, 2], [6, 6, 4]);
    buildAndStep([L({ type: 'conv2d', filters: 2, kernelSize: [3, 2], strides: 2, padding: 'same' })], [7, 8, 1], [4, 4, 2]);
  });
  it('maxPooling2d and averagePooling2d', () => {
    buildAndStep([L({ type: 'conv2d', filters: 2, kernelSize: 1 }), L({ type: 'maxPooling2d', poolSize: 2 })], [7, 6, 1], [3, 3, 2]);
    buildAndStep([L({ type: 'conv2d', filters: 2, kernelSize: 1 }), L({ type: 'averagePooling2d', poolSize: 3, strides: 1, padding: 'same' })], [5, 4, 1], [5, 4, 2]);
  });
  it('flatten, reshape (with -1), dropout, activation, batchNormalization', () => {
    buildAndStep([L({ type: 'reshape', targetShape: [-1, 4] }), L({ type: 'dense', units: 2 })], [8], [2]);
    buildAndStep([L({ type: 'dense', units: 6 }), L({ type: 'reshape', targetShape: [2, 3, 1] }), L({ type: 'conv2d', filters: 2, kernelSize: 2 })], [4], [1, 2, 2]);
    buildAndStep([L({ type: 'dense', units: 6 }), L({ type: 'dropout', rate: 0.5 })], [4], [6]);
    buildAndStep([L({ type: 'dense', units: 6 }), L({ type: 'activation', activation: 'tanh' })], [4], [6]);
    buildAndStep([L({ type: 'dense', units: 6 }), L({ type: 'batchNormalization' })], [4], [6]);
    buildAndStep([L({ type: 'conv2d', filters: 3, kernelSize: 2 }), L({ type: 'batchNormalization' })], [4, 4, 1], [3, 3, 3]);
  });

  it('every activation trains a step', () => {
    const names: Activation[] = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'gelu', 'softplus', 'leakyRelu'];
    for (const a of names) buildAndStep([L({ type: 'dense', units: 4, activation: a })], [3], [4]);
  });

  it('activations compute the right values (gelu exact form, leakyRelu slope 0.2)', () => {
    const x = tf.tensor1d([-2, -0.5, 0, 1.5]);
    // gelu(x) = x * Phi(x); Phi(-2) = 0.0227501, Phi(-0.5) = 0.3085375, Phi(1.5) = 0.9331928.
    expectTensorsClose(activate(x, 'gelu'), [-0.0455003, -0.1542688, 0, 1.3997892], 1e-5);
    expectTensorsClose(activate(x, 'leakyRelu'), [-0.4, -0.1, 0, 1.5], 1e-6);
    expectTensorsClose(activate(x, 'softplus'), [Math.log1p(Math.exp(-2)), Math.log1p(Math.exp(-0.5)), Math.LN2, Math.log1p(Math.exp(1.5))], 1e-5);
    x.dispose();
  });

  it('relu passes gradient only where x > 0 (none at 0), like tfjs', () => {
    const x = tf.tensor1d([-1, 0, 2, 3]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(activate(t, 'relu'), tf.tensor1d([1, 2, 3, 4]))))(x);
    expectTensorsClose(g, [0, 0, 3, 4], 0);
    expectTensorsClose(activate(x, 'relu'), [0, 0, 2, 3], 0);
    tf.dispose([x, g]);
  });

  it('relu on large tensors (custom gradient) has exactly the stock gradient', () => {
    const x = tf.tidy(() => tf.mul(tf.round(tf.randomNormal([70000], 0, 2, 'float32', 4)), 0.5)); // many exact zeros
    const w = tf.randomNormal([70000], 0, 1, 'float32', 5);
    const ours = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(activate(t, 'relu'), w)))(x);
    const stock = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), w)))(x);
    assert.deepEqual(ours.dataSync(), stock.dataSync());
    expectTensorsClose(activate(x, 'relu'), tf.relu(x), 0);
    tf.dispose([x, w, ours, stock]);
  });

  it('batchNormalization updates running statistics in training and uses them in inference', () => {
    const net = new Network({ layers: [L({ type: 'batchNormalization' })], inputShape: [1], numClasses: 1, task: 'regression' }, { kind: 'random', rng: createRng(1) });
    const x = tf.tensor2d([[1], [3]]); // batch mean 2, biased variance 1
    const trained = net.forward(x, { training: true }, true);
    // (x - 2) / sqrt(1 + 1e-3)
    expectTensorsClose(trained, [-1 / Math.sqrt(1.001), 1 / Math.sqrt(1.001)], 1e-5);
    const [, , mean, variance] = net.params;
    expectTensorsClose(mean.variable, [0.02], 1e-6); // 0.99 * 0 + 0.01 * 2
    expectTensorsClose(variance.variable, [1], 1e-6); // 0.99 * 1 + 0.01 * 1
    const inferred = net.forward(x, { training: false }, true);
    expectTensorsClose(inferred, [(1 - 0.02) / Math.sqrt(1.001), (3 - 0.02) / Math.sqrt(1.001)], 1e-5);
    tf.dispose([x, trained, inferred]);
    net.dispose();
  });

  it('dropout is identity in inference and a seeded inverted mask in training', () => {
    const net = new Network({ layers: [L({ type: 'dropout', rate: 0.5 })], inputShape: [1000], numClasses: 1000 }, { kind: 'random', rng: createRng(1) });
    const x = tf.ones([1, 1000]);
    const inf = net.forward(x, { training: false }, true);
    assert.ok((inf.dataSync() as Float32Array).every((v) => v === 1));
    const a = net.forward(x, { training: true, rng: createRng(9) }, true).dataSync();
    const b = net.forward(x, { training: true, rng: createRng(9) }, true).dataSync();
    assert.deepEqual(a, b);
    assert.ok(a.every((v) => v === 0 || v === 2));
    const kept = a.filter((v) => v === 2).length;
    assert.ok(kept > 430 && kept < 570, `kept ${kept} of 1000 at rate 0.5`);
    net.dispose();
    tf.disposeVariables();
  });

  it('rejects bad specs with the layer index in the message', () => {
    assert.throws(() => new Network({ layers: [L({ type: 'conv2d', filters: 2 })], inputShape: [10], numClasses: 2 }, { kind: 'random', rng: createRng(1) }), /layers\[0\] \(conv2d\)/);
    assert.throws(() => new Network({ layers: [L({ type: 'dense', units: 4 })], inputShape: [10], numClasses: 3 }, { kind: 'random', rng: createRng(1) }), /outputs 4 value\(s\).*3 classes/);
    assert.throws(() => new Network({ layers: [L({ type: 'reshape', targetShape: [3, 3] })], inputShape: [10], numClasses: 3 }, { kind: 'random', rng: createRng(1) }), /cannot reshape/);
  });
});
