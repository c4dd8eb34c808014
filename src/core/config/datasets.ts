// Facts about the bundled datasets that the config checks need (input shape, classes, sizes), without
// loading any data. The engine's generators and loaders must agree with these numbers.
import type { BuiltinDataset, DataSpec, Task } from './types';

/** What a bundled dataset looks like, for a given `data` block. */
export interface BuiltinDatasetInfo {
  /** Shape of one input, e.g. [28, 28, 1]. */
  inputShape: number[];
  /** Number of classes, or 1 for regression. */
  numClasses: number;
  task: Task;
  /** The largest `train` allowed with the spec's (or the default) `test`. */
  maxTrain: number;
  /** The largest `test` allowed with the spec's (or the default) `train`. */
  maxTest: number;
  /** Examples available in all (mnist 10,000; iris 150; synthetic: `samples`, or the generator cap). */
  total: number;
  /** `train` and `test` when the spec leaves them out (see `resolveSplit`). */
  train: number;
  test: number;
}

/** The synthetic generators refuse to make more than this many examples. */
export const MAX_SYNTHETIC_SAMPLES = 1_000_000;
/** Synthetic sets without `samples`, `train` or `test` generate this many (80% train, 20% test). */
export const DEFAULT_SYNTHETIC_SAMPLES = 1000;

const FIXED: Partial<Record<BuiltinDataset, { total: number; inputShape: number[]; numClasses: number }>> = {
  mnist: { total: 10_000, inputShape: [28, 28, 1], numClasses: 10 },
  iris: { total: 150, inputShape: [4], numClasses: 3 },
};

/**
 * Resolves train/test sizes out of `total` examples: both given -> as given; one given -> the other is
 * the 80/20 default for `total`, capped to what is left (at least 1); none -> 80% / 20% of `total`.
 */
export function resolveSplit(total: number, train?: number, test?: number): { train: number; test: number } {
  const defTrain = Math.round(total * 0.8);
  const defTest = total - defTrain;
  if (train !== undefined && test !== undefined) return { train, test };
  if (train !== undefined) return { train, test: Math.max(1, Math.min(defTest, total - train)) };
  if (test !== undefined) return { train: Math.max(1, Math.min(defTrain, total - test)), test };
  return { train: defTrain, test: defTest };
}

/** Number of classes of a synthetic set (`classes` for blobs/spirals, 2 for the others). */
function syntheticClasses(source: BuiltinDataset, spec: DataSpec): number {
  if (source === 'blobs') return spec.classes ?? 3;
  if (source === 'spirals') return spec.classes ?? 2;
  return 2;
}

/** Shape, classes, task and size limits of a bundled dataset as configured by `spec`. */
export function builtinDatasetInfo(source: BuiltinDataset, spec: DataSpec): BuiltinDatasetInfo {
  const train = typeof spec.train === 'number' ? spec.train : undefined;
  const test = typeof spec.test === 'number' ? spec.test : undefined;
  const fixed = FIXED[source];
  let total: number;
  let split: { train: number; test: number };
  let inputShape: number[];
  let numClasses: number;
  let task: Task = 'classification';
  if (fixed) {
    total = fixed.total;
    split = resolveSplit(total, train, test);
    inputShape = [...fixed.inputShape];
    numClasses = fixed.numClasses;
  } else {
    if (spec.samples !== undefined) {
      total = spec.samples;
      split = resolveSplit(total, train, test);
    } else {
      total = MAX_SYNTHETIC_SAMPLES;
      const def = resolveSplit(DEFAULT_SYNTHETIC_SAMPLES);
      split = { train: train ?? def.train, test: test ?? def.test };
    }
    if (source === 'regression') {
      inputShape = [spec.features ?? 8];
      numClasses = 1;
      task = 'regression';
    } else {
      inputShape = [2];
      numClasses = syntheticClasses(source, spec);
    }
  }
  return {
    inputShape,
    numClasses,
    task,
    total,
    train: split.train,
    test: split.test,
    maxTrain: Math.max(0, total - split.test),
    maxTest: Math.max(0, total - split.train),
  };
}

/** True for the generated sets (moons ... regression), false for mnist and iris. */
export function isSynthetic(source: BuiltinDataset): boolean {
  return FIXED[source] === undefined;
}
