// A built model: the layers of a `layers` member over a dataset's input, with an optional fixed
// feature subset in front. Inputs to `forward` are in the model's own input space (selected
// columns); `logits`/`predictProba` take the dataset's input space and select the columns themselves.
// Classification heads: the last layer must output C values, whose softmax (if any) is skipped to get
// logits; any other final activation is kept and its output treated as logits. With 2 classes a
// single output unit also works: it is the logit of class 1 against class 0 (a final sigmoid is skipped).
// Regression: one output, final activation applied.
import * as tf from '@tensorflow/tfjs';
import type { LayerSpec } from '../../core/config/types';
import { buildLayer, type BuiltLayer, type ForwardMode, type InitSource, type Param } from './layers';

/** What a network is built from; the `spec` of saved weights. */
export interface ModelSpec {
  layers: LayerSpec[];
  /** The dataset's per-sample input shape. */
  inputShape: number[];
  /** Classes, or 1 for regression. */
  numClasses: number;
  /** Tabular feature subset (ascending column indices) the model sees; absent = all. */
  featureIndices?: number[];
  /** Absent in older weights: then numClasses === 1 means regression. */
  task?: 'classification' | 'regression';
}

const SHAPE_ONLY = new Set(['flatten', 'reshape', 'dropout']);

export class Network {
  readonly layers: BuiltLayer[] = [];
  readonly task: 'classification' | 'regression';
  /** Per-sample shape the first layer sees. */
  readonly modelInputShape: number[];
  /** Index of the layer whose softmax (or binary sigmoid) is dropped to get logits (-1: none). */
  readonly logitsAt: number;
  /** Two classes from one output unit: its value is the logit of class 1 against class 0. */
  readonly binaryLogit: boolean;
  /** [D, k] 0/1 matrix selecting the feature subset; a matMul keeps gradients w.r.t. the full input. */
  private selector?: tf.Tensor2D;

  constructor(readonly spec: ModelSpec, init: InitSource) {
    this.task = spec.task ?? (spec.numClasses === 1 ? 'regression' : 'classification');
    const cols = spec.featureIndices;
    if (cols && spec.inputShape.length !== 1) throw new Error(`features: a feature subset needs tabular input, got input shape [${spec.inputShape}]`);
    this.modelInputShape = cols ? [cols.length] : spec.inputShape;
    if (spec.layers.length === 0) throw new Error('layers: a model needs at least one layer');
    try {
      let shape = this.modelInputShape;
      spec.layers.forEach((l, i) => {
        const built = buildLayer(l, i, shape, init);
        this.layers.push(built);
        shape = built.outputShape;
      });
      const want = this.task === 'classification' ? spec.numClasses : 1;
      const got = shape.reduce((p, d) => p * d, 1);
      this.binaryLogit = this.task === 'classification' && spec.numClasses === 2 && got === 1;
      if (got !== want && !this.binaryLogit) {
        throw new Error(`layers: the last layer outputs ${got} value(s) per sample (shape [${shape}]) but the ${this.task} ${this.task === 'classification' ? `has ${want} classes` : 'needs 1 output'}`);
      }
      if (cols) {
        const d = spec.inputShape[0];
        const sel = new Float32Array(d * cols.length);
        cols.forEach((c, j) => (sel[c * cols.length + j] = 1));
        this.selector = tf.tensor2d(sel, [d, cols.length]);
      }
    } catch (e) {
      this.dispose();
      throw e;
    }
    let at = this.layers.length - 1;
    while (at > 0 && SHAPE_ONLY.has(this.layers[at].spec.type)) at--;
    const last = this.layers[at].spec.activation;
    this.logitsAt = this.task === 'classification' && (last === 'softmax' || (this.binaryLogit && last === 'sigmoid')) ? at : -1;
  }

  get params(): Param[] {
    return this.layers.flatMap((l) => l.params);
  }

  /** Output of the last layer as [n, C] (or [n, 1]); `logits` drops the final softmax. */
  forward(x: tf.Tensor, mode: ForwardMode, logits: boolean): tf.Tensor {
    let h = x;
    const m: ForwardMode = logits ? { ...mode, skipActivationAt: this.logitsAt } : mode;
    for (const l of this.layers) h = l.apply(h, m);
    const flat = h.rank === 2 ? h : tf.reshape(h, [h.shape[0], -1]);
    // softmax([0, l]) = [1 - sigmoid(l), sigmoid(l)]: the binary case in the multi-class machinery.
    return this.binaryLogit && logits ? tf.concat([tf.zerosLike(flat), flat], 1) : flat;
  }

  /** The model's input from the dataset's: [n, ...inputShape] (or flat [n, prod]) -> [n, ...modelInputShape]. */
  select(x: tf.Tensor): tf.Tensor {
    const n = x.shape[0];
    if (this.selector) return tf.matMul(tf.reshape(x, [n, this.spec.inputShape[0]]), this.selector);
    const same = x.rank === this.modelInputShape.length + 1 && x.shape.slice(1).every((d, i) => d === this.modelInputShape[i]);
    return same ? x : tf.reshape(x, [n, ...this.modelInputShape]);
  }

  /** Inference-mode logits (classification) or predictions (regression) for dataset-space input. */
  logits(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.forward(this.select(x), { training: false }, true));
  }

  predictProba(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const z = this.logits(x);
      return this.task === 'classification' ? tf.softmax(z) : z;
    });
  }

  dispose(): void {
    for (const l of this.layers) for (const p of l.params) p.variable.dispose();
    this.layers.length = 0;
    this.selector?.dispose();
    this.selector = undefined;
  }
}
