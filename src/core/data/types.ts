// In-memory datasets: dense row-major Float32Arrays, shared by the engine, the analyses and the CLI.

/** A loaded dataset, split into train and test. */
export interface Dataset {
  name: string;
  task: 'classification' | 'regression';
  /** Shape of one input, e.g. [28, 28, 1] for MNIST, [4] for iris, [2] for moons. */
  inputShape: number[];
  /** Number of classes (classification) or 1 (regression). */
  numClasses: number;
  classNames?: string[];
  featureNames?: string[];
  /** nTrain * prod(inputShape) values. */
  xTrain: Float32Array;
  /** nTrain values: class index (classification) or target (regression). */
  yTrain: Float32Array;
  xTest: Float32Array;
  yTest: Float32Array;
  nTrain: number;
  nTest: number;
  /** Valid input range per feature (length prod(inputShape)): [0,1] for images, training min/max for tabular. */
  lower: Float32Array;
  upper: Float32Array;
  /** True for image data (the dashboard draws it). */
  isImage: boolean;
  /**
   * The scaling applied to xTrain/xTest (fitted on the training rows): stored x = (raw - shift) / scale
   * per feature. Absent when `normalize` is 'none'.
   */
  normalization?: { kind: 'standard' | 'minmax'; shift: Float32Array; scale: Float32Array };
}
