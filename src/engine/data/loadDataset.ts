// The one entry point from a resolved `data` spec to an in-memory Dataset: bundled, synthetic or the
// user's files, then normalisation (fitted on the training rows) and attack bounds.
import type { DataSpec, Task } from '../../core/config/types';
import { DataError } from '../../core/data/errors';
import { applyNormalizer, featureBounds, fitNormalizer, normalizeBounds } from '../../core/data/normalize';
import type { Dataset } from '../../core/data/types';
import { loadIris, loadMnist, loadSynthetic } from './builtin';
import { defaultDataDir } from './files';
import { loadUserData, type RawSplit } from './userData';

// loadLabels lives in its own file; callers import it from here too (engine/report.ts does).
export { loadLabels, type LoadedLabels } from './loadLabels';

export interface LoadDatasetOptions {
  /** Folder with mnist.bin and iris.json. Default: `defaultDataDir()` (media/data of the repo or bundle). */
  dataDir?: string;
}

/**
 * Loads the dataset a config describes. Every failure is a DataError (with file, line and column when
 * they are known). Deterministic: the same spec (including `seed`) gives identical arrays.
 * After the split, `normalize` ('standard' or 'minmax') is fitted on the training rows and applied to
 * both sets. Bounds: images [0, 1] per pixel, tabular data the training min/max per feature (both in
 * the normalised space); `spec.bounds` replaces them for every feature.
 */
export async function loadDataset(spec: DataSpec, task: Task, opts: LoadDatasetOptions = {}): Promise<Dataset> {
  const raw = await loadRaw(spec, task, opts.dataDir ?? defaultDataDir());
  if (raw.task !== task) {
    throw new DataError(`'${raw.name}' is a ${raw.task} dataset but the task is '${task}'`);
  }
  return finishDataset(raw, spec);
}

function loadRaw(spec: DataSpec, task: Task, dataDir: string): Promise<RawSplit> | RawSplit {
  switch (spec.source) {
    case undefined:
      return loadUserData(spec, task);
    case 'mnist':
      return loadMnist(spec, dataDir);
    case 'iris':
      return loadIris(spec, dataDir);
    case 'moons':
    case 'circles':
    case 'spirals':
    case 'blobs':
    case 'xor':
    case 'regression':
      return loadSynthetic(spec, spec.source, task);
    default:
      throw new DataError(`unknown dataset '${String(spec.source)}'`);
  }
}

/** Normalises a split dataset and attaches its bounds (exported for tests and in-memory data). */
export function finishDataset(raw: RawSplit, spec: Pick<DataSpec, 'normalize' | 'bounds'>): Dataset {
  const dim = raw.inputShape.reduce((a, b) => a * b, 1);
  const norm = fitNormalizer(raw.xTrain, raw.nTrain, dim, spec.normalize ?? 'none');
  const xTrain = norm.kind === 'none' ? raw.xTrain : applyNormalizer(raw.xTrain, dim, norm);
  const xTest = norm.kind === 'none' ? raw.xTest : applyNormalizer(raw.xTest, dim, norm);
  let bounds: { lower: Float32Array; upper: Float32Array };
  if (spec.bounds) {
    const [lo, hi] = spec.bounds;
    if (!(lo < hi)) throw new DataError(`data.bounds: expected [min, max] with min < max, got [${lo}, ${hi}]`);
    bounds = { lower: new Float32Array(dim).fill(lo), upper: new Float32Array(dim).fill(hi) };
  } else if (raw.isImage) {
    bounds = normalizeBounds(new Float32Array(dim), new Float32Array(dim).fill(1), norm);
  } else {
    bounds = featureBounds(xTrain, raw.nTrain, dim);
  }
  const out: Dataset = { ...raw, xTrain, xTest, lower: bounds.lower, upper: bounds.upper };
  if (norm.kind !== 'none') out.normalization = { kind: norm.kind, shift: norm.shift, scale: norm.scale };
  return out;
}
