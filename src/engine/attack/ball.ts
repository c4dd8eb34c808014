// The geometry of an attack: step directions, projection onto the epsilon ball around the clean
// input, clipping to the data's bounds, and random starts. Every function returns a new tensor and
// is meant to be called inside `tf.tidy`.
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../core/data/random';
import type { Norm } from './spec';

const TINY = 1e-12;

/** Per-sample L2 norm of a batch, shaped [n, 1, ..., 1] so it broadcasts against the batch. */
export function sampleNorm(t: tf.Tensor, p: 1 | 2 = 2): tf.Tensor {
  const n = t.shape[0];
  const flat = t.reshape([n, -1]);
  const v = p === 2 ? tf.sqrt(tf.sum(tf.square(flat), 1)) : tf.sum(tf.abs(flat), 1);
  return v.reshape([n, ...t.shape.slice(1).map(() => 1)]);
}

/** The steepest-ascent direction of unit size in the norm: sign(g) for L-inf, g/||g||2 for L2. */
export function direction(g: tf.Tensor, norm: Norm): tf.Tensor {
  return norm === 'linf' ? tf.sign(g) : tf.div(g, tf.add(sampleNorm(g), TINY));
}

/** Projects x onto the ball of radius eps around x0 (per sample). */
export function projectBall(x: tf.Tensor, x0: tf.Tensor, eps: number, norm: Norm): tf.Tensor {
  const delta = tf.sub(x, x0);
  if (norm === 'linf') return tf.add(x0, tf.clipByValue(delta, -eps, eps));
  const scale = tf.minimum(1, tf.div(eps, tf.add(sampleNorm(delta), TINY)));
  return tf.add(x0, tf.mul(delta, scale));
}

/** Clips every feature to [lower, upper] (bounds shaped like one sample, broadcast over the batch). */
export function clipBounds(x: tf.Tensor, lower: tf.Tensor, upper: tf.Tensor): tf.Tensor {
  return tf.minimum(tf.maximum(x, lower), upper);
}

/**
 * Projection then clipping. Clipping after projection stays in the ball: x0 lies inside the bounds,
 * so clipping only moves a coordinate towards x0 and never lengthens delta in either norm.
 */
export function constrain(x: tf.Tensor, x0: tf.Tensor, eps: number, norm: Norm, lower: tf.Tensor, upper: tf.Tensor): tf.Tensor {
  return clipBounds(projectBall(x, x0, eps, norm), lower, upper);
}

/**
 * A uniform random point of the ball (seeded, platform independent): L-inf uniform per feature;
 * L2 a Gaussian direction with radius eps * u^(1/d).
 */
export function randomDelta(shape: number[], eps: number, norm: Norm, seed: number): Float32Array {
  const rng = createRng(seed);
  const n = shape[0];
  const d = shape.slice(1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(n * d);
  if (norm === 'linf') {
    for (let i = 0; i < out.length; i++) out[i] = (2 * rng.next() - 1) * eps;
    return out;
  }
  for (let s = 0; s < n; s++) {
    let ss = 0;
    for (let k = 0; k < d; k++) {
      const v = rng.normal();
      out[s * d + k] = v;
      ss += v * v;
    }
    const r = (eps * Math.pow(rng.next(), 1 / d)) / Math.sqrt(ss || 1);
    for (let k = 0; k < d; k++) out[s * d + k] *= r;
  }
  return out;
}
