// AdaEA, the adaptive ensemble attack: Chen, Yin, Chen, Chen, Liu, "An Adaptive Model Ensemble
// Adversarial Attack for Boosting Adversarial Transferability" (ICCV 2023, arXiv:2308.02897;
// code github.com/CHENBIN99/AdaEA). Per iteration (their AdaEA-IFGSM):
//   1. Adaptive gradient modulation (AGM): each member k proposes a one-step adversarial example
//      x_k = x + alpha*dir(g_k); its contribution is how much that example raises the other members'
//      losses relative to its own, w_k = beta * sum_{i != k} L_i(x_k) / L_k(x_k) (batch-mean
//      cross-entropy), and the weights are softmax(w). The fused logits sum_k w_k z_k(x) give the loss.
//   2. Disparity-reduced filter (DRF): per pixel, the mean pairwise cosine similarity of the members'
//      gradients across channels; the fused gradient is zeroed where it is below a threshold (members
//      disagree there), so the update follows directions they share.
// Defaults as the paper: beta = 10, threshold = -0.3. For single-channel or tabular inputs the
// cosine over one channel is the sign agreement of two gradients. Targeted attacks invert the ratio
// (a member's example that lowers the others' target loss relative to its own contributes more).
import * as tf from '@tensorflow/tfjs';
import { constrain, direction } from './ball';
import type { Crafter } from './craft';
import { crossEntropy, modelGradient, objective, type AttackLabels, type AttackModel } from './objective';

export interface AdaEaOptions {
  /** Temperature of the AGM softmax. Default 10. */
  beta?: number;
  /** DRF threshold on the mean cosine similarity. Default -0.3. */
  threshold?: number;
}

/** AGM weights [K] (sums to 1). */
export function agmWeights(
  models: AttackModel[],
  grads: tf.Tensor[],
  x: tf.Tensor,
  propose: (x: tf.Tensor, g: tf.Tensor) => tf.Tensor,
  labels: AttackLabels,
  beta: number,
): tf.Tensor1D {
  const aim = labels.t ?? labels.y;
  const scores = models.map((mk, k) => {
    const xk = propose(x, grads[k]);
    const self = tf.mean(crossEntropy(mk.logits(xk) as tf.Tensor2D, aim));
    const ratios = models.filter((_, i) => i !== k).map((mi) => {
      const other = tf.mean(crossEntropy(mi.logits(xk) as tf.Tensor2D, aim));
      return labels.t ? tf.div(self, tf.add(other, 1e-12)) : tf.div(other, tf.add(self, 1e-12));
    });
    return ratios.length ? tf.mul(tf.addN(ratios), beta) : tf.scalar(0);
  });
  return tf.softmax(tf.stack(scores) as tf.Tensor1D) as tf.Tensor1D;
}

/** DRF mask, shaped like x: 1 where the members' gradients agree (mean pairwise cosine >= threshold). */
export function drfMask(grads: tf.Tensor[], threshold: number): tf.Tensor {
  const shape = grads[0].shape;
  if (grads.length < 2) return tf.onesLike(grads[0]);
  const n = shape[0];
  const channels = shape.length === 4 ? shape[3] : 1;
  const unit = grads.map((g) => {
    const v = g.reshape([n, -1, channels]);
    return tf.div(v, tf.add(tf.sqrt(tf.sum(tf.square(v), -1, true)), 1e-12));
  });
  const sims: tf.Tensor[] = [];
  for (let i = 0; i < unit.length; i++) for (let j = i + 1; j < unit.length; j++) sims.push(tf.sum(tf.mul(unit[i], unit[j]), -1, true));
  const mean = tf.div(tf.addN(sims), sims.length);
  const mask = tf.cast(tf.greaterEqual(mean, threshold), 'float32');
  return tf.mul(tf.onesLike(unit[0]), mask).reshape(shape);
}

export function adaEaCrafter(models: AttackModel[], labels: AttackLabels, o: AdaEaOptions = {}): Crafter {
  const beta = o.beta ?? 10;
  const threshold = o.threshold ?? -0.3;
  return {
    step(x, x0, opts, ctx) {
      const grads = models.map((m) => modelGradient(m, x, labels));
      const propose = (xx: tf.Tensor, g: tf.Tensor) =>
        constrain(tf.add(xx, tf.mul(direction(g, opts.norm), opts.stepSize)), x0, opts.epsilon, opts.norm, ctx.lower, ctx.upper);
      const w = agmWeights(models, grads, x, propose, labels, beta);
      const ws = tf.unstack(w);
      const fused = tf.grad((xx: tf.Tensor) => {
        const z = tf.addN(models.map((m, k) => tf.mul(m.logits(xx), ws[k]))) as tf.Tensor2D;
        return tf.sum(objective(z, labels));
      })(x);
      const g = tf.mul(fused, drfMask(grads, threshold));
      return tf.add(x, tf.mul(direction(g, opts.norm), opts.stepSize));
    },
  };
}
