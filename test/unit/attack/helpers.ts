// Shared fixtures of the attack tests: the wasm backend, hand-made linear models, small MLPs trained
// here with TensorFlow.js, and synthetic datasets (2-D blobs, tiny 4x4 "images").
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../../src/core/data/types';
import { createRng } from '../../../src/core/data/random';
import type { DifferentiableModel } from '../../../src/engine/members/types';
import { initBackend } from '../../../src/engine/tf/backend';

let ready: Promise<void> | undefined;

/** The engine's wasm backend, with its patched kernels (the cpu backend is ~50x slower). */
export function useWasm(): Promise<void> {
  ready ??= initBackend('wasm').then(() => undefined);
  return ready;
}

/** Softmax regression: logits = x W + b, W [d, C]. */
export function linearModel(W: number[][], b: number[]): DifferentiableModel {
  const w = tf.tensor2d(W);
  const bias = tf.tensor1d(b);
  const logits = (x: tf.Tensor) => tf.add(tf.matMul(x.reshape([x.shape[0], -1]), w), bias) as tf.Tensor2D;
  return {
    inputShape: [W.length],
    numClasses: b.length,
    logits,
    predictProba: (x) => tf.softmax(logits(x)),
    dispose: () => tf.dispose([w, bias]),
  };
}

/** A layers model with linear outputs, as the attack engine sees it. */
export function wrapLayers(m: tf.LayersModel, inputShape: number[], numClasses: number): DifferentiableModel {
  const logits = (x: tf.Tensor) => m.apply(x) as tf.Tensor2D;
  return { inputShape, numClasses, logits, predictProba: (x) => tf.softmax(logits(x)), dispose: () => m.dispose() };
}

/** A dense net (tanh hidden layers, linear output) trained briefly on the dataset's training split. */
export async function trainMlp(data: Dataset, hidden: number[], seed: number, epochs = 30): Promise<DifferentiableModel> {
  const d = data.inputShape.reduce((a, b) => a * b, 1);
  const m = tf.sequential();
  m.add(tf.layers.reshape({ inputShape: data.inputShape, targetShape: [d] }));
  hidden.forEach((h, i) => m.add(tf.layers.dense({ units: h, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 10 + i }) })));
  m.add(tf.layers.dense({ units: data.numClasses, kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 10 + 9 }) }));
  m.compile({ optimizer: tf.train.adam(0.03), loss: (y: tf.Tensor, z: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, z) });
  const x = tf.tensor(data.xTrain, [data.nTrain, ...data.inputShape]);
  const y = tf.oneHot(tf.tensor1d(Array.from(data.yTrain), 'int32'), data.numClasses);
  await m.fit(x, y, { epochs, batchSize: 64, shuffle: false, verbose: 0 });
  tf.dispose([x, y]);
  return wrapLayers(m, data.inputShape, data.numClasses);
}

/** A random (untrained) smooth net, for gradient and geometry checks. */
export function randomMlp(d: number, hidden: number, c: number, seed: number): DifferentiableModel {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [d], units: hidden, activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({ seed }) }));
  m.add(tf.layers.dense({ units: c, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) }));
  return wrapLayers(m, [d], c);
}

function finish(name: string, x: number[][], y: number[], nTrain: number, inputShape: number[], c: number, isImage: boolean, lo?: number[], hi?: number[]): Dataset {
  const d = inputShape.reduce((a, b) => a * b, 1);
  const lower = new Float32Array(d).fill(Infinity);
  const upper = new Float32Array(d).fill(-Infinity);
  for (let i = 0; i < nTrain; i++) for (let k = 0; k < d; k++) {
    lower[k] = Math.min(lower[k], x[i][k]);
    upper[k] = Math.max(upper[k], x[i][k]);
  }
  if (lo) lower.set(lo);
  if (hi) upper.set(hi);
  return {
    name, task: 'classification', inputShape, numClasses: c,
    xTrain: Float32Array.from(x.slice(0, nTrain).flat()), yTrain: Float32Array.from(y.slice(0, nTrain)),
    xTest: Float32Array.from(x.slice(nTrain).flat()), yTest: Float32Array.from(y.slice(nTrain)),
    nTrain, nTest: x.length - nTrain, lower, upper, isImage,
  };
}

/** Three overlapping 2-D Gaussian blobs (centres on a triangle), bounds = training min/max. */
export function blobs(n = 600, nTrain = 400, seed = 1): Dataset {
  const rng = createRng(seed);
  const centres = [[0, 1], [0.87, -0.5], [-0.87, -0.5]];
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    x.push([centres[k][0] + 0.45 * rng.normal(), centres[k][1] + 0.45 * rng.normal()]);
    y.push(k);
  }
  return finish('blobs', x, y, nTrain, [2], 3, false);
}

/** 4x4 one-channel "images" in [0,1]: class k is a bright row k plus noise. */
export function tinyImages(n = 400, nTrain = 300, seed = 2): Dataset {
  const rng = createRng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 4;
    const img: number[] = [];
    for (let r = 0; r < 4; r++) for (let col = 0; col < 4; col++) img.push(Math.min(1, Math.max(0, (r === k ? 0.7 : 0.2) + 0.25 * rng.normal())));
    x.push(img);
    y.push(k);
  }
  return finish('tiny-images', x, y, nTrain, [4, 4, 1], 4, true, new Array(16).fill(0), new Array(16).fill(1));
}
