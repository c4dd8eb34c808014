// The attack objective: what gradient ascent increases. Untargeted: the cross-entropy of the true
// label; targeted: minus the cross-entropy of the target class. Losses are summed over the batch so
// that each sample's gradient is its own (batch size does not scale it).
import * as tf from '@tensorflow/tfjs';

/**
 * What an attack needs of a model. Every differentiable model of the engine fits: trained members
 * (model/serialize.ts `restoreModel`) and TF.js members (members/types.ts `AttackModel`).
 */
export interface AttackModel {
  inputShape: number[];
  numClasses: number;
  /** Pre-softmax scores [n, C]; gradients flow to x. */
  logits(x: tf.Tensor): tf.Tensor;
  /** Probabilities [n, C]. */
  predictProba(x: tf.Tensor): tf.Tensor;
  dispose(): void;
}

/** One-hot labels of the pool, and the targets when the attack is targeted. */
export interface AttackLabels {
  /** [n, C] one-hot true labels. */
  y: tf.Tensor2D;
  /** [n, C] one-hot target classes (targeted attacks only). */
  t?: tf.Tensor2D;
}

/** Per-sample cross-entropy of logits against one-hot labels, [n]. */
export function crossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1)) as tf.Tensor1D;
}

/** Per-sample objective to ascend, [n]. */
export function objective(logits: tf.Tensor2D, labels: AttackLabels): tf.Tensor1D {
  return labels.t ? (tf.neg(crossEntropy(logits, labels.t)) as tf.Tensor1D) : crossEntropy(logits, labels.y);
}

/** Gradient of the batch-summed objective of one model at x. */
export function modelGradient(model: AttackModel, x: tf.Tensor, labels: AttackLabels): tf.Tensor {
  return tf.grad((xx: tf.Tensor) => tf.sum(objective(model.logits(xx) as tf.Tensor2D, labels)))(x);
}

/**
 * ENS: the gradient of the objective averaged over models (average of losses, not of logits: each
 * member's loss keeps its own scale, so an over-confident member cannot drown the others' logits).
 */
export function ensembleGradient(models: AttackModel[], x: tf.Tensor, labels: AttackLabels): tf.Tensor {
  return tf.grad((xx: tf.Tensor) => {
    const losses = models.map((m) => tf.sum(objective(m.logits(xx) as tf.Tensor2D, labels)));
    return tf.div(tf.addN(losses), models.length);
  })(x);
}
