// Targets: the columns of the matrix. A differentiable member (TF.js) and a black-box member (ONNX)
// look the same from here: probabilities for a batch of inputs in the dataset's layout.
import * as tf from '@tensorflow/tfjs';
import type { BlackBoxPredictor } from '../members/types';
import type { AttackModel } from './objective';

export interface Target {
  id: string;
  kind: 'differentiable' | 'black-box';
  /** n * numClasses probabilities for n samples of x (row-major, dataset layout). */
  predict(x: Float32Array, n: number): Promise<Float32Array>;
}

/** Predicts in chunks of `batch` samples, one tidy per chunk. */
export function differentiableTarget(id: string, model: AttackModel, inputShape: number[], batch = 2048): Target {
  const d = inputShape.reduce((a, b) => a * b, 1);
  return {
    id,
    kind: 'differentiable',
    async predict(x, n) {
      const out = new Float32Array(n * model.numClasses);
      for (let s = 0; s < n; s += batch) {
        const m = Math.min(batch, n - s);
        const p = tf.tidy(() => model.predictProba(tf.tensor(x.subarray(s * d, (s + m) * d), [m, ...inputShape])));
        out.set(await p.data(), s * model.numClasses);
        p.dispose();
      }
      return out;
    },
  };
}

export function blackBoxTarget(id: string, predictor: BlackBoxPredictor): Target {
  return { id, kind: 'black-box', predict: (x, n) => predictor.predictProba(x, n) };
}

/** Index of the largest of row i's C values. */
export function argmaxRow(p: Float32Array, i: number, c: number): number {
  let best = 0;
  for (let k = 1; k < c; k++) if (p[i * c + k] > p[i * c + best]) best = k;
  return best;
}

/** Rows `indices` of a row-major matrix with d columns. */
export function gatherRows(x: Float32Array, d: number, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * d);
  for (let i = 0; i < indices.length; i++) out.set(x.subarray(indices[i] * d, (indices[i] + 1) * d), i * d);
  return out;
}

/** Every target's probabilities on x, then the combined ensemble (mean of the members' probabilities). */
export async function predictColumns(targets: Target[], x: Float32Array, n: number, c: number): Promise<Float32Array[]> {
  const cols: Float32Array[] = [];
  for (const t of targets) cols.push(await t.predict(x, n));
  const ens = new Float32Array(n * c);
  for (const p of cols) for (let k = 0; k < ens.length; k++) ens[k] += p[k] / cols.length;
  cols.push(ens);
  return cols;
}

/** Per sample: 1 when fooled. Untargeted: predicted class != label; targeted: predicted class == target. */
export function fooledMask(p: Float32Array, n: number, c: number, labels: Int32Array, goals?: Int32Array): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const k = argmaxRow(p, i, c);
    out[i] = goals ? (k === goals[i] ? 1 : 0) : k !== labels[i] ? 1 : 0;
  }
  return out;
}
