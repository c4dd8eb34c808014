// Shapes shared by the loaders of members that are not trained here.
import type * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../core/data/types';

/** What `loadMemberOutputs` needs to know about the test split. */
export interface MemberContext {
  nTest: number;
  /** Classes (classification) or 1 (regression). */
  numClasses: number;
  task: 'classification' | 'regression';
  /** Needed for model members (their inputs); prediction files only use its `classNames`. */
  dataset?: Dataset;
  /** Class names for prediction-file headers; default `dataset.classNames`. */
  classNames?: string[];
  /** Files are named relative to this folder in messages (the config's folder). Default: the working directory. */
  baseDir?: string;
}

/**
 * A model the attack engine can differentiate through (TF.js members).
 * Inputs are in the dataset's layout (`inputShape`, e.g. NHWC [28, 28, 1]); any layout change the model
 * needs (flatten, NHWC -> NCHW) happens inside, with ops that pass gradients.
 */
export interface DifferentiableModel {
  /** Shape of one input sample, the dataset's. */
  inputShape: number[];
  /** Classes (1 for regression). */
  numClasses: number;
  /** Pre-softmax scores [batch, numClasses]; gradients flow to `x`. Regression: the predictions [batch, 1]. */
  logits(x: tf.Tensor): tf.Tensor2D;
  /** Probabilities [batch, numClasses] (softmax of `logits`); regression: the predictions. */
  predictProba(x: tf.Tensor): tf.Tensor2D;
  /** Frees the model's weights. */
  dispose(): void;
}

/** A black-box model (ONNX) evaluated on arbitrary inputs, e.g. adversarial examples. */
export interface BlackBoxPredictor {
  /** `x`: n samples in the dataset's layout, row-major. Returns n * numClasses probabilities (regression: n values). */
  predictProba(x: Float32Array, n: number): Promise<Float32Array>;
  /** Releases the session. */
  dispose(): Promise<void>;
}
