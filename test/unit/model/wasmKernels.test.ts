// Every kernel registered for wasm (src/engine/tf/wasmKernels.ts) against the cpu backend's, on
// random inputs over several shapes, strides and paddings; plus whole gradients through them.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend, missingKernels } from '../../../src/engine/tf/backend';
import { PATCHED_KERNELS } from '../../../src/engine/tf/wasmKernels';
import { createRng } from '../../../src/core/data/random';
import { trainMember } from '../../../src/engine/model/trainer';
import { L, expectTensorsClose, linearToy, member } from './helpers';

type Inputs = Record<string, { shape: number[]; values: Float32Array }>;

const rng = createRng(123);
function rand(shape: number[]): { shape: number[]; values: Float32Array } {
  const n = shape.reduce((p, d) => p * d, 1);
  return { shape, values: Float32Array.from({ length: n }, () => rng.normal()) };
}

/** Runs kernel `name` on `backend` with fresh tensors made from `inputs`; returns shape and values. */
function runOn(backend: string, name: string, inputs: Inputs, attrs: object): { shape: number[]; values: Float32Array } {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const ins: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(inputs)) ins[k] = tf.tensor(v.values, v.shape);
    const out = tf.engine().runKernel(name, ins, attrs as tf.NamedAttrMap) as tf.Tensor;
    return { shape: out.shape, values: Float32Array.from(out.dataSync() as Float32Array) };
  });
}

function sameAsCpu(name: string, inputs: Inputs, attrs: object, atol = 1e-4): void {
  const cpu = runOn('cpu', name, inputs, attrs);
  const wasm = runOn('wasm', name, inputs, attrs);
  assert.deepEqual(wasm.shape, cpu.shape, `${name}: shape`);
  expectTensorsClose(wasm.values, cpu.values, atol, 1e-4);
}

/** A conv2d's output shape, computed by tfjs (both backends agree on geometry). */
function convOut(x: number[], f: number[], strides: number, pad: 'same' | 'valid'): number[] {
  const i = tf.backend_util.computeConv2DInfo(x as [number, number, number, number], f as [number, number, number, number], strides, 1, pad);
  return [i.batchSize, i.outHeight, i.outWidth, i.outChannels];
}

before(async () => {
  await initBackend('wasm', { conv: true });
});

describe('wasm training kernels', () => {
  it('are all registered after initBackend', () => {
    assert.deepEqual(missingKernels('wasm', true), []);
    for (const k of PATCHED_KERNELS) assert.ok(tf.getKernel(k, 'wasm'), k);
  });

  it('BatchMatMul matches cpu with every transpose flag, batched and broadcast', () => {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      const a = rand(ta ? [1, 7, 5] : [1, 5, 7]);
      const b = rand(tb ? [1, 3, 7] : [1, 7, 3]);
      sameAsCpu('BatchMatMul', { a, b }, { transposeA: ta, transposeB: tb });
    }
    sameAsCpu('BatchMatMul', { a: rand([4, 6, 5]), b: rand([4, 5, 3]) }, { transposeA: false, transposeB: false });
    sameAsCpu('BatchMatMul', { a: rand([4, 5, 6]), b: rand([1, 5, 3]) }, { transposeA: true, transposeB: false });
    sameAsCpu('BatchMatMul', { a: rand([1, 6, 5]), b: rand([3, 4, 5]) }, { transposeA: false, transposeB: true });
    sameAsCpu('BatchMatMul', { a: rand([2, 3, 6, 5]), b: rand([2, 3, 5, 4]) }, { transposeA: false, transposeB: false });
  });

  it('_FusedMatMul matches cpu with transposes, bias and relu', () => {
    const a = rand([1, 9, 6]);
    const b = rand([1, 4, 9]);
    const bias = rand([4]);
    sameAsCpu('_FusedMatMul', { a, b, bias }, { transposeA: true, transposeB: true, activation: 'relu' });
  });

  it('Conv2DBackpropFilter matches cpu over shapes, strides and paddings (conv and im2col paths)', () => {
    const cases: [number[], number[], number, 'same' | 'valid'][] = [
      [[2, 7, 7, 1], [3, 3, 1, 4], 1, 'valid'],
      [[2, 8, 6, 3], [3, 3, 3, 5], 1, 'same'],
      [[3, 9, 9, 2], [3, 2, 2, 4], 2, 'valid'],
      [[2, 10, 7, 4], [5, 5, 4, 3], 2, 'same'],
      [[1, 6, 6, 2], [1, 1, 2, 3], 3, 'valid'],
      // K = KH*KW*CI <= CO: the im2col path.
      [[2, 9, 8, 1], [3, 3, 1, 12], 2, 'same'],
      [[2, 7, 7, 1], [2, 2, 1, 8], 1, 'valid'],
    ];
    for (const [xs, fs, s, pad] of cases) {
      const dy = rand(convOut(xs, fs, s, pad));
      sameAsCpu('Conv2DBackpropFilter', { x: rand(xs), dy }, { strides: [s, s], pad, dataFormat: 'NHWC', filterShape: fs }, 1e-3);
    }
  });

  it('Conv2DBackpropInput matches cpu over shapes, strides and paddings (conv and col2im paths)', () => {
    const cases: [number[], number[], number, 'same' | 'valid'][] = [
      [[2, 7, 7, 1], [3, 3, 1, 4], 1, 'valid'],
      [[2, 8, 6, 3], [3, 3, 3, 5], 1, 'same'],
      [[2, 8, 6, 3], [4, 2, 3, 2], 1, 'same'],
      [[3, 9, 9, 2], [3, 2, 2, 4], 2, 'valid'],
      [[2, 10, 7, 4], [5, 5, 4, 3], 2, 'same'],
    ];
    for (const [xs, fs, s, pad] of cases) {
      const dy = rand(convOut(xs, fs, s, pad));
      sameAsCpu('Conv2DBackpropInput', { dy, filter: rand(fs) }, { strides: [s, s], pad, dataFormat: 'NHWC', inputShape: xs }, 1e-3);
    }
  });

  it('MaxPoolGrad and AvgPoolGrad match cpu over pool sizes, strides and paddings', () => {
    const cases: [number[], [number, number], number, 'same' | 'valid'][] = [
      [[2, 8, 8, 3], [2, 2], 2, 'valid'],
      [[2, 7, 9, 2], [3, 3], 2, 'valid'],
      [[1, 7, 7, 4], [2, 2], 1, 'valid'],
      [[2, 6, 5, 2], [3, 2], 1, 'valid'],
      [[2, 7, 7, 2], [2, 2], 2, 'same'],
    ];
    for (const [xs, fs, s, pad] of cases) {
      const x = rand(xs);
      const y = runOn('cpu', 'MaxPool', { x }, { filterSize: fs, strides: [s, s], pad });
      const dy = rand(y.shape);
      const attrs = { filterSize: fs, strides: [s, s], pad };
      sameAsCpu('MaxPoolGrad', { dy, input: x, output: y }, attrs);
      // tfjs's AvgPoolGrad divides by the full window also where it overlaps 'same' padding; we copy it.
      sameAsCpu('AvgPoolGrad', { dy, input: x }, attrs);
    }
  });

  it('MaxPoolGrad sends a tied maximum to the first position only, like cpu', () => {
    const x = { shape: [1, 2, 2, 1], values: new Float32Array([0, 0, 0, 0]) };
    const dy = { shape: [1, 1, 1, 1], values: new Float32Array([5]) };
    const output = { shape: [1, 1, 1, 1], values: new Float32Array([0]) };
    const attrs = { filterSize: [2, 2], strides: [2, 2], pad: 'valid' };
    const w = runOn('wasm', 'MaxPoolGrad', { dy, input: x, output }, attrs);
    assert.deepEqual(Array.from(w.values), [5, 0, 0, 0]);
    sameAsCpu('MaxPoolGrad', { dy, input: x, output }, attrs);
  });

  it('whole conv/pool/dense gradients agree between wasm and cpu', () => {
    const x = rand([2, 9, 9, 2]);
    const f1 = rand([3, 3, 2, 3]);
    const f2 = rand([2, 2, 3, 2]);
    const grads = (backend: string) => {
      tf.setBackend(backend);
      return tf.tidy(() => {
        const xs = [x, f1, f2].map((t) => tf.tensor(t.values, t.shape));
        const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
          let h = tf.relu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'));
          h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
          h = tf.conv2d(h as tf.Tensor4D, c as tf.Tensor4D, 2, 'same');
          h = tf.avgPool(h as tf.Tensor4D, 2, 1, 'valid');
          return tf.sum(tf.square(h));
        };
        return tf.grads(loss)(xs).map((g) => Float32Array.from(g.dataSync() as Float32Array));
      });
    };
    const cpu = grads('cpu');
    const wasm = grads('wasm');
    cpu.forEach((g, i) => expectTensorsClose(wasm[i], g, 1e-3, 1e-3));
  });

  it('training a small CNN gives the same weights on wasm and cpu (to float rounding)', async () => {
    const d = linearToy({ nTrain: 48, nTest: 8, inputShape: [8, 8, 2], numClasses: 3 });
    const layers = [
      L({ type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu', padding: 'same' }),
      L({ type: 'maxPooling2d' }),
      L({ type: 'conv2d', filters: 6, kernelSize: 3, strides: 2, activation: 'elu' }),
      L({ type: 'batchNormalization' }),
      L({ type: 'flatten' }),
      L({ type: 'dense', units: 8, activation: 'tanh' }),
      L({ type: 'dense', units: 3, activation: 'softmax' }),
    ];
    const train = async (backend: string) => {
      tf.setBackend(backend);
      return trainMember({ member: member(layers, { epochs: 2, batchSize: 8, learningRate: 0.01 }), dataset: d });
    };
    const cpu = await train('cpu');
    const wasm = await train('wasm');
    wasm.weights.tensors.forEach((t, i) => expectTensorsClose(t.values, cpu.weights.tensors[i].values, 1e-4, 1e-3));
    expectTensorsClose(wasm.outputs, cpu.outputs, 1e-4, 1e-3);
  });
});
