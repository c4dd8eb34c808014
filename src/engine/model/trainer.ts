// Trains one `layers` member: a hand-written loop (no model.fit) over our own layers (layers.ts),
// seeded end to end, cancellable between batches, leak-free.
//
// - Loss: softmax cross-entropy on logits with label smoothing (a final softmax is treated as the
//   logits' normaliser and computed as a stable log-softmax), or MSE for regression.
// - Weight decay: coupled L2 on kernels (dense and conv2d, not biases or batch-norm parameters):
//   equivalent to adding wd * sum(w^2) / 2 to the loss; implemented as g += wd * w inside the
//   optimizer step (optimizers.ts). The reported `loss` is the data loss (with smoothing, without the L2 term).
// - Randomness: from `training.seed` through independent streams (init, shuffle, dropout, and the
//   data module's bootstrap / features streams). Same spec + same backend => bitwise-identical weights.
// - valLoss/valAccuracy are measured on the test set (plain cross-entropy, no smoothing) each epoch;
//   the last epoch's pass gives the returned outputs.
import * as tf from '@tensorflow/tfjs';
import type { LayerSpec, MemberSpec, TrainingSpec } from '../../core/config/types';
import type { Dataset } from '../../core/data/types';
import { createRng, deriveSeed, permutation, type Rng } from '../../core/data/random';
import { bootstrapIndices, featureSubset, selectColumns } from '../../core/data/resample';
import { Network, type ModelSpec } from './network';
import type { Param } from './layers';
import { meanSquaredError, smoothedTargets, softmaxCrossEntropy } from './losses';
import { LeanOptimizer } from './optimizers';
import { evaluate } from './evaluate';

export interface EpochProgress { epoch: number; epochs: number; loss: number; valLoss?: number; accuracy?: number; valAccuracy?: number; samplesPerSec: number; elapsedMs: number }

/** A trained model: how to rebuild it, and every parameter and batch-norm statistic by stable name. */
export interface TrainedWeights {
  spec: { layers: LayerSpec[]; inputShape: number[]; numClasses: number; featureIndices?: number[]; task?: 'classification' | 'regression' };
  tensors: { name: string; shape: number[]; values: Float32Array }[];
}

export interface TrainMemberOptions {
  member: MemberSpec;
  dataset: Dataset;
  /** Checked between batches; on abort everything is disposed and the promise rejects with an AbortError. */
  signal?: AbortSignal;
  onProgress?: (p: EpochProgress) => void;
  onBatch?: (batch: number, batches: number) => void;
}

export interface TrainMemberResult {
  weights: TrainedWeights;
  /** Test-set probabilities nTest*C (softmaxed), or predictions nTest for regression. Owns its buffer. */
  outputs: Float32Array;
  history: EpochProgress[];
}

function abortError(): Error {
  const e = new Error('training cancelled');
  e.name = 'AbortError';
  return e;
}

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/** The training rows (bootstrap-resampled when asked) and the feature subset, from the member's seed. */
function trainingView(d: Dataset, t: TrainingSpec): { rows: Int32Array; featureIndices?: number[]; x: Float32Array; dim: number } {
  const rows = t.bootstrap ? bootstrapIndices(d.nTrain, t.seed) : Int32Array.from({ length: d.nTrain }, (_, i) => i);
  const fullDim = d.inputShape.reduce((p, v) => p * v, 1);
  if (t.features === undefined || (t.features === 1 && d.inputShape.length === 1)) return { rows, x: d.xTrain, dim: fullDim };
  if (d.inputShape.length !== 1 || d.isImage) throw new Error(`features: random feature subsets need tabular data; ${d.name} has input shape [${d.inputShape}]`);
  const cols = Array.from(featureSubset(fullDim, t.features, t.seed));
  return { rows, featureIndices: cols, x: selectColumns(d.xTrain, d.nTrain, fullDim, cols), dim: cols.length };
}

interface StepContext {
  net: Network;
  optimizer: LeanOptimizer;
  trainable: Param[];
  dropoutRng: Rng;
  spec: TrainingSpec;
  classes: number;
  classification: boolean;
}

/** One optimizer step on a batch (rows of the model's input space); returns its loss and correct count. */
function step(c: StepContext, xb: Float32Array, yb: Float32Array): { loss: number; correct: number } {
  const bs = yb.length;
  const target = c.classification ? smoothedTargets(yb, c.classes, c.spec.labelSmoothing) : yb;
  const kept: tf.Tensor[] = [];
  try {
    const lossT = tf.tidy(() => {
      const x = tf.tensor(xb, [bs, ...c.net.modelInputShape]);
      const y = tf.tensor2d(target, [bs, c.classes]);
      const { value, grads } = tf.variableGrads(() => {
        const z = c.net.forward(x, { training: true, rng: c.dropoutRng }, true);
        kept.push(tf.keep(z));
        return c.classification ? softmaxCrossEntropy(z, y) : meanSquaredError(z, y);
      }, c.trainable.map((p) => p.variable));
      c.optimizer.apply(
        c.trainable
          .filter((p) => grads[p.variable.name])
          .map((p) => ({ variable: p.variable, grad: grads[p.variable.name], weightDecay: p.decay ? c.spec.weightDecay : 0 })),
      );
      return value;
    });
    kept.push(lossT);
    const loss = lossT.dataSync()[0];
    return { loss, correct: c.classification ? countCorrect(kept[0].dataSync() as Float32Array, yb, c.classes) : 0 };
  } finally {
    for (const k of kept) k.dispose();
  }
}

/** Trains `member` on `dataset` and returns its weights, test outputs and per-epoch history. */
export async function trainMember(opts: TrainMemberOptions): Promise<TrainMemberResult> {
  const { member, dataset: d, signal } = opts;
  if (member.source.kind !== 'layers' || !member.training) throw new Error(`member ${member.id}: only 'layers' members can be trained`);
  const t = member.training;
  if (!(t.batchSize >= 1) || !(t.epochs >= 0)) throw new Error(`member ${member.id}: batchSize and epochs must be positive`);
  if (d.nTrain < 1) throw new Error(`member ${member.id}: the dataset has no training rows`);
  if (signal?.aborted) throw abortError();
  const view = trainingView(d, t);
  const spec: ModelSpec = { layers: member.source.layers, inputShape: d.inputShape, numClasses: d.numClasses, task: d.task };
  if (view.featureIndices) spec.featureIndices = view.featureIndices;
  const classification = d.task === 'classification';
  const C = classification ? d.numClasses : 1;

  const net = new Network(spec, { kind: 'random', rng: createRng(deriveSeed(t.seed, 'init')) });
  let optimizer: LeanOptimizer | undefined;
  try {
    optimizer = new LeanOptimizer(t.optimizer, t.learningRate);
    const trainable = net.params.filter((p) => p.trainable);
    const shuffleRng = createRng(deriveSeed(t.seed, 'shuffle'));
    const ctx: StepContext = { net, optimizer, trainable, dropoutRng: createRng(deriveSeed(t.seed, 'dropout')), spec: t, classes: C, classification };
    const n = view.rows.length;
    const batches = Math.ceil(n / t.batchSize);
    const history: EpochProgress[] = [];
    const t0 = performance.now();
    let outputs: Float32Array = new Float32Array(0);
    if (t.epochs === 0) outputs = evaluate(net, d).outputs;

    for (let epoch = 1; epoch <= t.epochs; epoch++) {
      const order = permutation(n, shuffleRng);
      let lossSum = 0;
      let correct = 0;
      let trainMs = 0;
      for (let b = 0; b < batches; b++) {
        await yieldToEventLoop();
        if (signal?.aborted) throw abortError();
        const tb = performance.now();
        const lo = b * t.batchSize;
        const bs = Math.min(t.batchSize, n - lo);
        const xb = new Float32Array(bs * view.dim);
        const yb = new Float32Array(bs);
        for (let i = 0; i < bs; i++) {
          const r = view.rows[order[lo + i]];
          xb.set(view.x.subarray(r * view.dim, (r + 1) * view.dim), i * view.dim);
          yb[i] = d.yTrain[r];
        }
        const { loss, correct: c } = step(ctx, xb, yb);
        correct += c;
        lossSum += loss * bs;
        trainMs += performance.now() - tb;
        opts.onBatch?.(b + 1, batches);
      }
      if (signal?.aborted) throw abortError();
      const val = evaluate(net, d);
      if (epoch === t.epochs) outputs = val.outputs;
      const p: EpochProgress = {
        epoch,
        epochs: t.epochs,
        loss: lossSum / n,
        samplesPerSec: n / (trainMs / 1000),
        elapsedMs: performance.now() - t0,
      };
      if (d.nTest > 0) p.valLoss = val.loss;
      if (classification) {
        p.accuracy = correct / n;
        if (d.nTest > 0) p.valAccuracy = val.accuracy;
      }
      history.push(p);
      opts.onProgress?.(p);
    }
    return { weights: exportWeights(net), outputs, history };
  } finally {
    optimizer?.dispose();
    net.dispose();
  }
}

function countCorrect(z: Float32Array, labels: Float32Array, C: number): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (z[i * C + c] > z[i * C + best]) best = c;
    if (best === labels[i]) correct++;
  }
  return correct;
}

/** Copies every parameter and statistic of `net` out of the backend. */
export function exportWeights(net: Network): TrainedWeights {
  const spec: TrainedWeights['spec'] = { ...net.spec, layers: net.spec.layers.map((l) => ({ ...l })) };
  if (!spec.featureIndices) delete spec.featureIndices;
  return {
    spec,
    tensors: net.params.map((p) => ({ name: p.name, shape: [...p.variable.shape], values: Float32Array.from(p.variable.dataSync() as Float32Array) })),
  };
}
