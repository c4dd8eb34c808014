// Training losses and the optimizer factory.
import * as tf from '@tensorflow/tfjs';
import type { TrainingSpec } from '../../core/config/types';

/**
 * Targets for softmax cross-entropy with label smoothing `ls`: (1 - ls) * onehot + ls / C, as a
 * row-major n*C matrix (Keras' convention).
 */
export function smoothedTargets(labels: ArrayLike<number>, numClasses: number, ls: number): Float32Array {
  const t = new Float32Array(labels.length * numClasses).fill(ls / numClasses);
  for (let i = 0; i < labels.length; i++) t[i * numClasses + labels[i]] += 1 - ls;
  return t;
}

/** Mean softmax cross-entropy of logits [n, C] against target distributions [n, C] (stable log-softmax). */
export function softmaxCrossEntropy(logits: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1))) as tf.Scalar);
}

/** Mean squared error of predictions [n, 1] against targets [n, 1]. */
export function meanSquaredError(pred: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.squaredDifference(pred, targets)) as tf.Scalar);
}

/** The tf.train optimizer for a training spec (`momentum` = SGD with momentum 0.9): the reference the
 * tests hold LeanOptimizer (optimizers.ts, what training uses) to. */
export function makeOptimizer(t: Pick<TrainingSpec, 'optimizer' | 'learningRate'>): tf.Optimizer {
  const lr = t.learningRate;
  switch (t.optimizer) {
    case 'adam':
      return tf.train.adam(lr);
    case 'sgd':
      return tf.train.sgd(lr);
    case 'rmsprop':
      return tf.train.rmsprop(lr);
    case 'adagrad':
      return tf.train.adagrad(lr);
    case 'momentum':
      return tf.train.momentum(lr, 0.9);
    default:
      throw new Error(`unknown optimizer '${String(t.optimizer)}'`);
  }
}
