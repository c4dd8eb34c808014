// Saved weights round-trip, reject corruption, and restore a model that reproduces the trained
// outputs exactly and whose input gradients match finite differences.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/engine/tf/backend';
import { trainMember, type TrainedWeights } from '../../../src/engine/model/trainer';
import { deserializeWeights, restoreModel, serializeWeights } from '../../../src/engine/model/serialize';
import { L, linearToy, member } from './helpers';

before(async () => {
  await initBackend('wasm', { conv: true });
});

const bits = (a: ArrayLike<number>) => Buffer.from(Float32Array.from(a).buffer);

describe('serializeWeights / deserializeWeights', () => {
  const w: TrainedWeights = {
    spec: { layers: [L({ type: 'dense', units: 2, activation: 'softmax' })], inputShape: [3], numClasses: 2, featureIndices: [0, 2] },
    tensors: [
      { name: 'layers.0.kernel', shape: [2, 2], values: new Float32Array([1.5, -2, Number.MIN_VALUE, 3e38]) },
      { name: 'layers.0.bias', shape: [2], values: new Float32Array([0.25, -0]) },
    ],
  };

  it('round-trips spec, names, shapes and exact values; the output owns its buffer', () => {
    const bytes = serializeWeights(w);
    assert.equal(bytes.byteOffset, 0);
    assert.equal(bytes.buffer.byteLength, bytes.byteLength);
    const back = deserializeWeights(bytes);
    assert.deepEqual(back.spec, w.spec);
    assert.deepEqual(back.tensors.map((t) => [t.name, t.shape]), w.tensors.map((t) => [t.name, t.shape]));
    back.tensors.forEach((t, i) => assert.ok(bits(t.values).equals(bits(w.tensors[i].values))));
    // Also from a view at an odd offset inside a larger buffer.
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    assert.deepEqual(deserializeWeights(shifted.subarray(3)).tensors[0].values, w.tensors[0].values);
  });

  it('rejects corrupt and truncated bytes with a clear error', () => {
    const bytes = serializeWeights(w);
    assert.throws(() => deserializeWeights(bytes.subarray(0, 5)), /corrupt weights file: only 5 bytes/);
    assert.throws(() => deserializeWeights(bytes.subarray(0, bytes.length - 4)), /corrupt weights file: .*truncated/);
    assert.throws(() => deserializeWeights(bytes.subarray(0, 20)), /corrupt weights file: .*truncated/);
    const flipped = bytes.slice();
    flipped[flipped.length - 2] ^= 0x40;
    assert.throws(() => deserializeWeights(flipped), /checksum mismatch/);
    const magic = bytes.slice();
    magic[0] = 0x7b;
    assert.throws(() => deserializeWeights(magic), /bad magic/);
    const header = bytes.slice();
    header[9] = 0x00;
    assert.throws(() => deserializeWeights(header), /corrupt weights file/);
    assert.throws(() => serializeWeights({ ...w, tensors: [{ name: 'x', shape: [3], values: new Float32Array(2) }] }), /2 values for shape \[3\]/);
  });
});

describe('restoreModel', () => {
  it('reproduces the trained test outputs exactly (MLP with batch norm and dropout, CNN)', async () => {
    const tab = linearToy({ nTrain: 64, nTest: 300, inputShape: [5], numClasses: 3 });
    const img = linearToy({ nTrain: 32, nTest: 40, inputShape: [6, 6, 1], numClasses: 2 });
    const cases = [
      { d: tab, layers: [L({ type: 'dense', units: 8, activation: 'relu' }), L({ type: 'batchNormalization' }), L({ type: 'dropout', rate: 0.3 }), L({ type: 'dense', units: 3, activation: 'softmax' })], features: 0.8 },
      { d: img, layers: [L({ type: 'conv2d', filters: 3, kernelSize: 3, activation: 'relu', padding: 'same' }), L({ type: 'maxPooling2d' }), L({ type: 'flatten' }), L({ type: 'dense', units: 2 })] },
    ];
    for (const c of cases) {
      const r = await trainMember({ member: member(c.layers, { epochs: 2, features: c.features }), dataset: c.d });
      const m = restoreModel(deserializeWeights(serializeWeights(r.weights)));
      assert.deepEqual(m.inputShape, c.d.inputShape);
      const p = tf.tidy(() => m.predictProba(tf.tensor(c.d.xTest, [c.d.nTest, ...c.d.inputShape])).dataSync());
      assert.ok(bits(p).equals(bits(r.outputs)), 'restored outputs are bitwise the trained ones');
      m.dispose();
    }
  });

  it('gives input gradients of the logits that match central finite differences', async () => {
    const d = linearToy({ nTrain: 32, nTest: 4, inputShape: [4, 4, 1], numClasses: 3 });
    const layers = [
      L({ type: 'conv2d', filters: 2, kernelSize: 2, activation: 'tanh' }),
      L({ type: 'averagePooling2d', poolSize: 1 }),
      L({ type: 'flatten' }),
      L({ type: 'dense', units: 5, activation: 'softplus' }),
      L({ type: 'dense', units: 3, activation: 'softmax' }),
    ];
    const r = await trainMember({ member: member(layers, { epochs: 1 }), dataset: d });
    const m = restoreModel(r.weights);
    const x0 = Float32Array.from(d.xTest.subarray(0, 16));
    // f(x) = logits[0] - 0.5 * logits[2]: a fixed linear read-out of the logits.
    const f = (x: tf.Tensor) => tf.tidy(() => {
      const z = m.logits(x);
      return tf.sum(tf.mul(z, tf.tensor2d([[1, 0, -0.5]])));
    });
    const g = tf.tidy(() => tf.grad(f)(tf.tensor(x0, [1, 4, 4, 1])).dataSync());
    const eps = 1e-2;
    for (let i = 0; i < 16; i++) {
      const plus = Float32Array.from(x0);
      const minus = Float32Array.from(x0);
      plus[i] += eps;
      minus[i] -= eps;
      const fp = tf.tidy(() => f(tf.tensor(plus, [1, 4, 4, 1])).dataSync()[0]);
      const fm = tf.tidy(() => f(tf.tensor(minus, [1, 4, 4, 1])).dataSync()[0]);
      const fd = (fp - fm) / (2 * eps);
      assert.ok(Math.abs(g[i] - fd) <= 2e-3 + 2e-2 * Math.abs(fd), `d/dx${i}: autodiff ${g[i]} vs finite difference ${fd}`);
    }
    assert.ok(g.some((v) => Math.abs(v) > 1e-3), 'gradient is not trivially zero');
    m.dispose();
  });
});
