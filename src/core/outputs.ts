// Members' test-set outputs: the one data path every analysis uses.

/**
 * One member's outputs on the test split.
 * Classification: `values` is nTest * numClasses probabilities, row-major (each row sums to 1).
 * Regression: `values` is nTest predictions (numClasses = 1).
 */
export interface MemberOutputs {
  id: string;
  values: Float32Array;
}

/** Every member's outputs plus the labels: the input of `src/core/analysis`. */
export interface EnsembleOutputs {
  task: 'classification' | 'regression';
  /** nTest labels: class indices, or regression targets. */
  labels: Float32Array;
  numClasses: number;
  nTest: number;
  members: MemberOutputs[];
}
