// Batched inference over a dataset's test set (dropout off, batch norm on running statistics).
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../core/data/types';
import type { Network } from './network';

/** Rows per inference batch: large enough to amortise per-op overhead, small enough for the heap. */
export const PREDICT_BATCH = 256;

export interface Evaluation {
  /** Probabilities nTest*C (classification) or predictions nTest (regression). Owns its buffer. */
  outputs: Float32Array;
  /** Mean cross-entropy (no label smoothing) or mean squared error; NaN when there are no test rows. */
  loss: number;
  /** Classification only. */
  accuracy: number;
}

/** `net`'s outputs on x (n rows of the dataset's input space), batch by batch. */
export function predictRows(net: Network, x: Float32Array, n: number, onLogits?: (z: Float32Array, row0: number, rows: number) => void): Float32Array {
  const shape = net.spec.inputShape;
  const dim = shape.reduce((p, v) => p * v, 1);
  const C = net.task === 'classification' ? net.spec.numClasses : 1;
  const outputs = new Float32Array(n * C);
  for (let lo = 0; lo < n; lo += PREDICT_BATCH) {
    const bs = Math.min(PREDICT_BATCH, n - lo);
    const [z, p] = tf.tidy(() => {
      const xb = tf.tensor(x.slice(lo * dim, (lo + bs) * dim), [bs, ...shape]);
      const logits = net.logits(xb);
      return [logits, net.task === 'classification' ? tf.softmax(logits) : tf.clone(logits)];
    });
    try {
      outputs.set(p.dataSync(), lo * C);
      onLogits?.(z.dataSync() as Float32Array, lo, bs);
    } finally {
      z.dispose();
      p.dispose();
    }
  }
  return outputs;
}

/** Test-set outputs, loss and accuracy of `net`. Loss is computed in float64 from the logits. */
export function evaluate(net: Network, d: Dataset): Evaluation {
  const C = net.task === 'classification' ? net.spec.numClasses : 1;
  let lossSum = 0;
  let correct = 0;
  const outputs = predictRows(net, d.xTest, d.nTest, (z, row0, rows) => {
    for (let i = 0; i < rows; i++) {
      const y = d.yTest[row0 + i];
      if (C === 1 && net.task === 'regression') {
        lossSum += (z[i] - y) ** 2;
        continue;
      }
      let max = -Infinity;
      let best = 0;
      for (let c = 0; c < C; c++) {
        if (z[i * C + c] > max) {
          max = z[i * C + c];
          best = c;
        }
      }
      let s = 0;
      for (let c = 0; c < C; c++) s += Math.exp(z[i * C + c] - max);
      lossSum += Math.log(s) + max - z[i * C + y];
      if (best === y) correct++;
    }
  });
  return { outputs, loss: d.nTest ? lossSum / d.nTest : NaN, accuracy: d.nTest ? correct / d.nTest : NaN };
}
