// trainMember: learning, determinism, seeded data views, cancellation and leaks.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/engine/tf/backend';
import { trainMember } from '../../../src/engine/model/trainer';
import { restoreModel } from '../../../src/engine/model/serialize';
import { L, linearToy, member } from './helpers';

before(async () => {
  await initBackend('wasm', { conv: true });
});

const mlp = (classes: number, extra = true) => [
  L({ type: 'dense', units: 16, activation: 'relu' }),
  ...(extra ? [L({ type: 'batchNormalization' }), L({ type: 'dropout', rate: 0.2 })] : []),
  L({ type: 'dense', units: classes, activation: 'softmax' }),
];

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('trainMember', () => {
  it('learns a linearly separable problem to high test accuracy, with decreasing loss', async () => {
    const d = linearToy({ nTrain: 400, nTest: 200, inputShape: [4], numClasses: 3 });
    const r = await trainMember({ member: member(mlp(3, false), { epochs: 25, batchSize: 32, learningRate: 0.03 }), dataset: d });
    const last = r.history[r.history.length - 1];
    assert.ok(last.valAccuracy! >= 0.9, `val accuracy ${last.valAccuracy}`);
    assert.ok(last.loss < r.history[0].loss * 0.6, `loss ${r.history[0].loss} -> ${last.loss}`);
    assert.equal(r.outputs.length, 200 * 3);
    // Outputs are probabilities whose argmax agrees with the reported accuracy.
    let correct = 0;
    for (let i = 0; i < 200; i++) {
      const p = Array.from(r.outputs.subarray(i * 3, i * 3 + 3));
      assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-5);
      if (p.indexOf(Math.max(...p)) === d.yTest[i]) correct++;
    }
    assert.equal(correct / 200, last.valAccuracy);
  });

  it('trains two classes from one sigmoid unit (logit of class 1) and outputs [1 - p, p]', async () => {
    const d = linearToy({ nTrain: 300, nTest: 100, inputShape: [3], numClasses: 2 });
    const layers = [L({ type: 'dense', units: 8, activation: 'tanh' }), L({ type: 'dense', units: 1, activation: 'sigmoid' })];
    const r = await trainMember({ member: member(layers, { epochs: 20, learningRate: 0.03 }), dataset: d });
    assert.ok(r.history[19].valAccuracy! >= 0.9, `val accuracy ${r.history[19].valAccuracy}`);
    assert.equal(r.outputs.length, 200);
    const m = restoreModel(r.weights);
    const x = tf.tensor2d(d.xTest.subarray(0, 3), [1, 3]);
    const z = m.logits(x).dataSync();
    assert.deepEqual(z.length, 2);
    assert.equal(z[0], 0);
    const p1 = 1 / (1 + Math.exp(-z[1]));
    assert.ok(Math.abs(r.outputs[1] - p1) < 1e-6 && Math.abs(r.outputs[0] - (1 - p1)) < 1e-6);
    x.dispose();
    m.dispose();
  });

  it('is bitwise deterministic for a seed, and the seed matters', async () => {
    const d = linearToy({ nTrain: 96, nTest: 20, inputShape: [4], numClasses: 3 });
    const spec = { epochs: 2, bootstrap: true, seed: 11 };
    const a = await trainMember({ member: member(mlp(3), spec), dataset: d });
    const b = await trainMember({ member: member(mlp(3), spec), dataset: d });
    const c = await trainMember({ member: member(mlp(3), { ...spec, seed: 12 }), dataset: d });
    assert.equal(a.weights.tensors.length, b.weights.tensors.length);
    a.weights.tensors.forEach((t, i) => assert.ok(bytes(t.values).equals(bytes(b.weights.tensors[i].values)), t.name));
    assert.ok(bytes(a.outputs).equals(bytes(b.outputs)));
    assert.ok(!bytes(a.outputs).equals(bytes(c.outputs)));
  });

  it('draws a seeded feature subset for tabular data and stores it with the weights', async () => {
    const d = linearToy({ nTrain: 64, nTest: 16, inputShape: [10], numClasses: 2 });
    const r1 = await trainMember({ member: member(mlp(2, false), { epochs: 1, features: 0.5, seed: 3 }), dataset: d });
    const r2 = await trainMember({ member: member(mlp(2, false), { epochs: 1, features: 0.5, seed: 3 }), dataset: d });
    const cols = r1.weights.spec.featureIndices!;
    assert.equal(cols.length, 5);
    assert.deepEqual(cols, [...cols].sort((x, y) => x - y));
    assert.deepEqual(r2.weights.spec.featureIndices, cols);
    const kernel = r1.weights.tensors.find((t) => t.name === 'layers.0.kernel')!;
    assert.deepEqual(kernel.shape, [5, 16]);
    // The restored model takes full-width input and ignores the other columns.
    const m = restoreModel(r1.weights);
    const x = tf.tensor2d(d.xTest, [16, 10]);
    const unused = [...Array(10).keys()].filter((c) => !cols.includes(c));
    const mask = tf.tensor1d(Array.from({ length: 10 }, (_, c) => (unused.includes(c) ? 0 : 1)));
    const p1 = m.predictProba(x);
    const p2 = m.predictProba(tf.mul(x, mask));
    assert.deepEqual(p1.dataSync(), p2.dataSync());
    tf.dispose([x, mask, p1, p2]);
    m.dispose();
    await assert.rejects(
      trainMember({ member: member([L({ type: 'flatten' }), L({ type: 'dense', units: 2 })], { features: 0.5 }), dataset: linearToy({ nTrain: 8, nTest: 2, inputShape: [2, 2, 1], numClasses: 2 }) }),
      /tabular/,
    );
  });

  it('trains regression with MSE and returns one prediction per test row', async () => {
    const d = linearToy({ nTrain: 200, nTest: 50, inputShape: [3], numClasses: 1, task: 'regression' });
    const r = await trainMember({ member: member([L({ type: 'dense', units: 16, activation: 'tanh' }), L({ type: 'dense', units: 1 })], { epochs: 15, learningRate: 0.02 }), dataset: d });
    assert.equal(r.outputs.length, 50);
    assert.equal(r.history[0].accuracy, undefined);
    assert.ok(r.history[14].loss < r.history[0].loss * 0.5, `${r.history[0].loss} -> ${r.history[14].loss}`);
    let mse = 0;
    for (let i = 0; i < 50; i++) mse += (r.outputs[i] - d.yTest[i]) ** 2;
    assert.ok(Math.abs(mse / 50 - r.history[14].valLoss!) < 1e-4);
  });

  it('cancels mid-epoch: rejects with AbortError at the next batch and leaks nothing', async () => {
    const d = linearToy({ nTrain: 640, nTest: 10, inputShape: [8], numClasses: 2 });
    const base = tf.memory().numTensors;
    const ac = new AbortController();
    let batches = 0;
    const run = trainMember({
      member: member(mlp(2), { epochs: 3, batchSize: 8 }),
      dataset: d,
      signal: ac.signal,
      onBatch: (b) => {
        batches++;
        if (b === 5) ac.abort();
      },
    });
    await assert.rejects(run, (e: Error) => e.name === 'AbortError');
    assert.equal(batches, 5, 'no batch runs after the abort');
    assert.equal(tf.memory().numTensors, base);
    await assert.rejects(trainMember({ member: member(mlp(2)), dataset: d, signal: AbortSignal.abort() }), { name: 'AbortError' });
  });

  it('leaks nothing after training, predicting, or an error', async () => {
    const d = linearToy({ nTrain: 64, nTest: 10, inputShape: [4, 4, 1], numClasses: 2 });
    const layers = [L({ type: 'conv2d', filters: 2, kernelSize: 3, activation: 'relu' }), L({ type: 'maxPooling2d' }), L({ type: 'batchNormalization' }), L({ type: 'flatten' }), L({ type: 'dense', units: 2 })];
    const base = tf.memory().numTensors;
    const r = await trainMember({ member: member(layers, { epochs: 1 }), dataset: d });
    assert.equal(tf.memory().numTensors, base, 'after train');
    const m = restoreModel(r.weights);
    tf.tidy(() => m.predictProba(tf.tensor(d.xTest, [10, 4, 4, 1])).dataSync());
    m.dispose();
    assert.equal(tf.memory().numTensors, base, 'after predict');
    await assert.rejects(trainMember({ member: member(layers), dataset: d, onBatch: (b) => { if (b === 2) throw new Error('boom'); } }), /boom/);
    assert.equal(tf.memory().numTensors, base, 'after an error in a callback');
    await assert.rejects(trainMember({ member: member([L({ type: 'dense', units: 3 })]), dataset: d }), /outputs 3 value/);
    assert.equal(tf.memory().numTensors, base, 'after a build error');
  });
});
