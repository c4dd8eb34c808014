// A small layer library of pure functions over tf.Variables: one `BuiltLayer` per LayerSpec.
// Why not tfjs-layers: its Dense gradients go through transposed matMuls and model.fit adds per-batch
// overhead; here the graph is a few plain ops whose gradients hit the fast wasm kernels, dropout
// masks come from a seeded JS generator, and batch norm keeps running statistics explicitly.
//
// Semantics (Keras-like, NHWC): dense flattens a rank>1 input first; conv2d/pooling default to
// strides 1 / poolSize, padding 'valid'; conv2d kernelSize defaults to 3; batch norm normalises the
// last axis with momentum 0.99, epsilon 1e-3, biased batch variance; dropout is inverted dropout.
// Kernels start glorot-uniform (seeded), biases and betas 0, gammas and moving variances 1.
import * as tf from '@tensorflow/tfjs';
import type { LayerSpec } from '../../core/config/types';
import type { Rng } from '../../core/data/random';
import { activate } from './activations';

export const BN_MOMENTUM = 0.99;
export const BN_EPSILON = 1e-3;

/** One parameter or state tensor of a layer. */
export interface Param {
  /** Stable name used in saved weights: `layers.<i>.<kind>`. */
  name: string;
  variable: tf.Variable;
  /** Trained by the optimizer (false for batch-norm moving statistics). */
  trainable: boolean;
  /** Takes weight decay (kernels only). */
  decay: boolean;
}

/** How a forward pass runs. */
export interface ForwardMode {
  training: boolean;
  /** Dropout masks (training only). */
  rng?: Rng;
  /** Skip this layer's activation (the output layer's softmax or sigmoid when logits are wanted). */
  skipActivationAt?: number;
}

export interface BuiltLayer {
  spec: LayerSpec;
  index: number;
  /** Per-sample shapes. */
  inputShape: number[];
  outputShape: number[];
  params: Param[];
  apply(x: tf.Tensor, mode: ForwardMode): tf.Tensor;
}

/** Initial values of a layer's params: from saved weights, or drawn from `rng`. */
export type InitSource = { kind: 'random'; rng: Rng } | { kind: 'saved'; get(name: string, shape: number[]): Float32Array };

const size = (shape: number[]): number => shape.reduce((p, d) => p * d, 1);
const pair = (v: number | [number, number] | undefined, dflt: number): [number, number] =>
  v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : [v[0], v[1]];

let uid = 0;

function fail(spec: LayerSpec, index: number, msg: string): never {
  throw new Error(`layers[${index}] (${spec.type}): ${msg}`);
}

function makeParam(prefix: string, name: string, shape: number[], init: InitSource, fill: 'glorot' | 'zeros' | 'ones', fan: [number, number], trainable: boolean, decay: boolean): Param {
  let values: Float32Array;
  if (init.kind === 'saved') values = init.get(name, shape);
  else {
    values = new Float32Array(size(shape));
    if (fill === 'ones') values.fill(1);
    else if (fill === 'glorot') {
      const limit = Math.sqrt(6 / (fan[0] + fan[1]));
      for (let i = 0; i < values.length; i++) values[i] = (init.rng.next() * 2 - 1) * limit;
    }
  }
  // Variable names are global per engine: prefix with a unique id so models never collide.
  const initial = tf.tensor(values, shape);
  const variable = tf.variable(initial, trainable, `${prefix}/${name}`);
  initial.dispose(); // the variable holds its own reference to the data
  return { name, variable, trainable, decay };
}

function outSize(n: number, k: number, s: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;
}

/** Builds layer `index` of `spec` for per-sample input `inputShape`. */
export function buildLayer(spec: LayerSpec, index: number, inputShape: number[], init: InitSource): BuiltLayer {
  const prefix = `el${++uid}`;
  const p = (kind: string) => `layers.${index}.${kind}`;
  const useBias = spec.useBias ?? true;
  const base = { spec, index, inputShape };
  const act = (y: tf.Tensor, mode: ForwardMode) => (mode.skipActivationAt === index ? y : activate(y, spec.activation));

  switch (spec.type) {
    case 'dense': {
      const units = spec.units ?? fail(spec, index, 'units is required');
      const fanIn = size(inputShape);
      const kernel = makeParam(prefix, p('kernel'), [fanIn, units], init, 'glorot', [fanIn, units], true, true);
      const bias = useBias ? makeParam(prefix, p('bias'), [units], init, 'zeros', [0, 0], true, false) : undefined;
      return {
        ...base, outputShape: [units], params: bias ? [kernel, bias] : [kernel],
        apply(x, mode) {
          const x2 = x.rank === 2 ? x : tf.reshape(x, [x.shape[0], fanIn]);
          const y = tf.matMul(x2, kernel.variable);
          return act(bias ? tf.add(y, bias.variable) : y, mode);
        },
      };
    }
    case 'conv2d': {
      if (inputShape.length !== 3) fail(spec, index, `needs an input of shape [height, width, channels], got [${inputShape}] (add a reshape layer)`);
      const filters = spec.filters ?? fail(spec, index, 'filters is required');
      const [kh, kw] = pair(spec.kernelSize, 3);
      const strides = pair(spec.strides, 1);
      const padding = spec.padding ?? 'valid';
      const [h, w, c] = inputShape;
      const oh = outSize(h, kh, strides[0], padding);
      const ow = outSize(w, kw, strides[1], padding);
      if (oh < 1 || ow < 1) fail(spec, index, `kernel ${kh}x${kw} does not fit the input ${h}x${w}`);
      const kernel = makeParam(prefix, p('kernel'), [kh, kw, c, filters], init, 'glorot', [kh * kw * c, kh * kw * filters], true, true);
      const bias = useBias ? makeParam(prefix, p('bias'), [filters], init, 'zeros', [0, 0], true, false) : undefined;
      return {
        ...base, outputShape: [oh, ow, filters], params: bias ? [kernel, bias] : [kernel],
        apply(x, mode) {
          const y = tf.conv2d(x as tf.Tensor4D, kernel.variable as tf.Tensor4D, strides, padding);
          return act(bias ? tf.add(y, bias.variable) : y, mode);
        },
      };
    }
    case 'maxPooling2d':
    case 'averagePooling2d': {
      if (inputShape.length !== 3) fail(spec, index, `needs an input of shape [height, width, channels], got [${inputShape}]`);
      const pool = pair(spec.poolSize, 2);
      const strides = pair(spec.strides, pool[0]);
      if (spec.strides === undefined) strides[1] = pool[1];
      const padding = spec.padding ?? 'valid';
      const oh = outSize(inputShape[0], pool[0], strides[0], padding);
      const ow = outSize(inputShape[1], pool[1], strides[1], padding);
      if (oh < 1 || ow < 1) fail(spec, index, `pool ${pool[0]}x${pool[1]} does not fit the input ${inputShape[0]}x${inputShape[1]}`);
      const f = spec.type === 'maxPooling2d' ? tf.maxPool : tf.avgPool;
      return { ...base, outputShape: [oh, ow, inputShape[2]], params: [], apply: (x) => f(x as tf.Tensor4D, pool, strides, padding) };
    }
    case 'flatten':
      return { ...base, outputShape: [size(inputShape)], params: [], apply: (x) => tf.reshape(x, [x.shape[0], size(inputShape)]) };
    case 'reshape': {
      const target = spec.targetShape ?? fail(spec, index, 'targetShape is required');
      const known = target.filter((d) => d !== -1);
      const free = size(inputShape) / size(known);
      const out = target.map((d) => (d === -1 ? free : d));
      if (target.filter((d) => d === -1).length > 1 || size(out) !== size(inputShape) || !Number.isInteger(free)) {
        fail(spec, index, `cannot reshape [${inputShape}] (${size(inputShape)} values) to [${target}]`);
      }
      return { ...base, outputShape: out, params: [], apply: (x) => tf.reshape(x, [x.shape[0], ...out]) };
    }
    case 'activation':
      return { ...base, outputShape: inputShape, params: [], apply: (x, mode) => act(x, mode) };
    case 'dropout': {
      const rate = spec.rate ?? 0.5;
      if (!(rate >= 0 && rate < 1)) fail(spec, index, `rate must be in [0, 1), got ${rate}`);
      return {
        ...base, outputShape: inputShape, params: [],
        apply(x, mode) {
          if (!mode.training || rate === 0) return x;
          if (!mode.rng) throw new Error('dropout needs a seeded generator in training mode');
          const mask = new Float32Array(x.size);
          const keep = 1 / (1 - rate);
          for (let i = 0; i < mask.length; i++) mask[i] = mode.rng.next() >= rate ? keep : 0;
          return tf.mul(x, tf.tensor(mask, x.shape));
        },
      };
    }
    case 'batchNormalization': {
      const c = inputShape[inputShape.length - 1];
      const gamma = makeParam(prefix, p('gamma'), [c], init, 'ones', [0, 0], true, false);
      const beta = makeParam(prefix, p('beta'), [c], init, 'zeros', [0, 0], true, false);
      const mean = makeParam(prefix, p('movingMean'), [c], init, 'zeros', [0, 0], false, false);
      const variance = makeParam(prefix, p('movingVariance'), [c], init, 'ones', [0, 0], false, false);
      const axes = inputShape.map((_, i) => i); // every axis but the last of [n, ...inputShape]
      return {
        ...base, outputShape: inputShape, params: [gamma, beta, mean, variance],
        apply(x, mode) {
          let m: tf.Tensor, v: tf.Tensor;
          if (mode.training) {
            const mo = tf.moments(x, axes);
            m = mo.mean;
            v = mo.variance;
            // Running statistics: updated as a side effect of the training forward pass.
            mean.variable.assign(tf.add(tf.mul(mean.variable, BN_MOMENTUM), tf.mul(m, 1 - BN_MOMENTUM)));
            variance.variable.assign(tf.add(tf.mul(variance.variable, BN_MOMENTUM), tf.mul(v, 1 - BN_MOMENTUM)));
          } else {
            m = mean.variable;
            v = variance.variable;
          }
          const scale = tf.mul(tf.rsqrt(tf.add(v, BN_EPSILON)), gamma.variable);
          return tf.add(tf.mul(tf.sub(x, m), scale), beta.variable);
        },
      };
    }
    default:
      return fail(spec, index, `unknown layer type`);
  }
}
