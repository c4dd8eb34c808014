// Optimizers with the fewest tensor ops per parameter. Why not tf.train.*: its Adam runs ~14 ops per
// variable and uploads a new scalar tensor for most of them; here scalars are created once per step
// and Adam takes 12 ops. (A plain JS loop over the wasm heap was tried: sqrt and division per element
// made it no faster.) The update rules and defaults are tfjs's, so results match tf.train.* to float
// rounding (test/unit/model/optimizers.test.ts):
//   sgd       w -= lr * g
//   momentum  a = 0.9 a + g;                        w -= lr * a
//   adam      m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w -= lr * (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)
//   rmsprop   s = 0.9 s + 0.1 g^2;                  w -= lr * g / sqrt(s + eps)
//   adagrad   s = s + g^2 (s starts at 0.1);        w -= lr * g / sqrt(s + eps)
// with b1 = 0.9, b2 = 0.999, eps = 1e-7. Coupled weight decay (g += wd * w) is folded in.
import * as tf from '@tensorflow/tfjs';
import type { Optimizer } from '../../core/config/types';

const EPS = 1e-7;
const B1 = 0.9;
const B2 = 0.999;

export interface ParamUpdate {
  variable: tf.Variable;
  grad: tf.Tensor;
  /** Coupled L2 coefficient for this parameter (0 = none). */
  weightDecay: number;
}

/** An optimizer over our own parameters; `apply` runs inside the caller's tidy. */
export class LeanOptimizer {
  private readonly state = new Map<tf.Variable, tf.Variable[]>();
  private t = 0;

  constructor(readonly kind: Optimizer, readonly learningRate: number) {
    if (!['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad'].includes(kind)) throw new Error(`unknown optimizer '${kind}'`);
  }

  private slots(v: tf.Variable): tf.Variable[] {
    let s = this.state.get(v);
    if (!s) {
      const count = this.kind === 'adam' ? 2 : this.kind === 'sgd' ? 0 : 1;
      const init = this.kind === 'adagrad' ? 0.1 : 0;
      s = Array.from({ length: count }, () => tf.tidy(() => tf.variable(tf.fill(v.shape, init), false)));
      this.state.set(v, s);
    }
    return s;
  }

  /** Applies one step to every parameter. Call inside tf.tidy: intermediates are left to it. */
  apply(updates: ParamUpdate[]): void {
    this.t++;
    const lr = this.learningRate;
    const sc = (x: number) => tf.scalar(x);
    // Scalars once per step, shared by every parameter.
    const k = {
      lr: sc(lr), eps: sc(EPS), b1: sc(B1), nb1: sc(1 - B1), b2: sc(B2), nb2: sc(1 - B2), mom: sc(0.9), d: sc(0.9), nd: sc(0.1),
      // Adam with both bias corrections folded into one step size and a rescaled epsilon.
      adamLr: sc((lr * Math.sqrt(1 - B2 ** this.t)) / (1 - B1 ** this.t)),
      adamEps: sc(EPS * Math.sqrt(1 - B2 ** this.t)),
    };
    for (const u of updates) {
      const s = this.slots(u.variable);
      const w = u.variable;
      const g = u.weightDecay > 0 ? tf.add(u.grad, tf.mul(w, u.weightDecay)) : u.grad;
      switch (this.kind) {
        case 'sgd':
          w.assign(tf.sub(w, tf.mul(g, k.lr)));
          break;
        case 'momentum': {
          const a = tf.add(tf.mul(s[0], k.mom), g);
          s[0].assign(a);
          w.assign(tf.sub(w, tf.mul(a, k.lr)));
          break;
        }
        case 'adam': {
          const m = tf.add(tf.mul(s[0], k.b1), tf.mul(g, k.nb1));
          const v = tf.add(tf.mul(s[1], k.b2), tf.mul(tf.square(g), k.nb2));
          s[0].assign(m);
          s[1].assign(v);
          w.assign(tf.sub(w, tf.div(tf.mul(m, k.adamLr), tf.add(tf.sqrt(v), k.adamEps))));
          break;
        }
        case 'rmsprop': {
          const ms = tf.add(tf.mul(s[0], k.d), tf.mul(tf.square(g), k.nd));
          s[0].assign(ms);
          w.assign(tf.sub(w, tf.div(tf.mul(g, k.lr), tf.sqrt(tf.add(ms, k.eps)))));
          break;
        }
        case 'adagrad': {
          const acc = tf.add(s[0], tf.square(g));
          s[0].assign(acc);
          w.assign(tf.sub(w, tf.div(tf.mul(g, k.lr), tf.sqrt(tf.add(acc, k.eps)))));
          break;
        }
      }
    }
  }

  /** Frees the optimizer's state. */
  dispose(): void {
    for (const s of this.state.values()) for (const v of s) v.dispose();
    this.state.clear();
  }
}
