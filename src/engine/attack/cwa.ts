// CWA, the Common Weakness Attack: Chen, Zhang, Dong, Yang, Su, Zhu, "Rethinking Model Ensemble in
// Transfer-based Adversarial Attacks" (ICLR 2024, arXiv:2303.09105; code github.com/huanranchen/AdversarialAttacks).
// A common weakness of an ensemble is a point where the loss landscape is flat and that lies close to
// each member's own optimum. Per iteration (their MI-CWA, Algorithm 1):
//   1. Sharpness-aware reverse step: x^0 = x_t - r * dir(grad of the ENS loss)  (flatness).
//   2. Cosine-similarity encourager: for each member k in turn, m = mu*m + g_k/||g_k||_2 and
//      x^k = x^{k-1} + beta*m; stepping through the members one by one maximises the inner
//      products of their gradients (closeness to every member's optimum).
//   3. Outer momentum on the pseudo-gradient G = x^K - x_t: M = mu*M + G/||G||_1, x_{t+1} = x_t + alpha*dir(M).
// Every intermediate point is projected onto the ball and clipped to the bounds.
// Defaults: mu = 1 (as the paper); r = epsilon/15 (the paper's 16/255/15 for epsilon 16/255);
// alpha = the step size; beta = stepSize*sqrt(d) for L-inf (a unit-L2 gradient spread over d
// features then moves each by about one step; the paper's 250 was tuned for 224x224x3 images) and
// beta = stepSize for L2. The paper sums logits in step 1; we use the ENS loss average, and normalise
// G per sample where the reference code normalises over the batch (docs/transferability.md).
import * as tf from '@tensorflow/tfjs';
import { constrain, direction, sampleNorm } from './ball';
import type { Crafter } from './craft';
import { ensembleGradient, modelGradient, type AttackLabels, type AttackModel } from './objective';

export interface CwaOptions {
  /** Momentum of the inner and outer updates. Default 1. */
  mu?: number;
  /** Reverse (flatness) step as a fraction of epsilon. Default 1/15. */
  reverseFraction?: number;
  /** Inner step; default stepSize*sqrt(d) (L-inf) or stepSize (L2). */
  innerStep?: number;
}

export function cwaCrafter(models: AttackModel[], labels: AttackLabels, o: CwaOptions = {}): Crafter {
  const mu = o.mu ?? 1;
  let inner: tf.Tensor | undefined;
  let outer: tf.Tensor | undefined;
  const reset = () => {
    inner?.dispose();
    outer?.dispose();
    inner = outer = undefined;
  };
  return {
    reset,
    dispose: reset,
    step(x, x0, opts, ctx) {
      const d = x.size / x.shape[0];
      const beta = o.innerStep ?? (opts.norm === 'linf' ? opts.stepSize * Math.sqrt(d) : opts.stepSize);
      const r = opts.epsilon * (o.reverseFraction ?? 1 / 15);
      const fit = (t: tf.Tensor) => constrain(t, x0, opts.epsilon, opts.norm, ctx.lower, ctx.upper);
      // 1. flatness: step against the ensemble gradient
      let xr = fit(tf.sub(x, tf.mul(direction(ensembleGradient(models, x, labels), opts.norm), r)));
      // 2. one normalised gradient step per member, with momentum
      let m = inner ?? tf.zerosLike(x);
      for (const model of models) {
        const g = modelGradient(model, xr, labels);
        m = tf.add(tf.mul(m, mu), tf.div(g, tf.add(sampleNorm(g), 1e-12)));
        xr = fit(tf.add(xr, tf.mul(m, beta)));
      }
      // 3. outer momentum on the pseudo-gradient
      const pseudo = tf.sub(xr, x);
      const base = outer ?? tf.zerosLike(x);
      const M = tf.add(tf.mul(base, mu), tf.div(pseudo, tf.add(sampleNorm(pseudo, 1), 1e-12)));
      inner?.dispose();
      outer?.dispose();
      inner = tf.keep(m);
      outer = tf.keep(M);
      return tf.add(x, tf.mul(direction(M, opts.norm), opts.stepSize));
    },
  };
}
