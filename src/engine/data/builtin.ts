// The bundled datasets: MNIST and iris from media/data (built by scripts/buildData.mjs) and the
// synthetic generators of core/data/synthetic.ts.
import { join } from 'node:path';
import type { DataSpec, Task } from '../../core/config/types';
import { DataError } from '../../core/data/errors';
import { decodeMnistBin } from '../../core/data/mnistBin';
import { createRng, deriveSeed, permutation } from '../../core/data/random';
import { resolveSplitCounts, splitIndices, stratifiedSplitIndices, takeRows, takeValues } from '../../core/data/split';
import { generateSynthetic, type SyntheticName } from '../../core/data/synthetic';
import { readBytes, readText } from './files';
import type { RawSplit } from './userData';

// Defaults when the spec leaves counts out. The config parser (core/config/datasets.ts) resolves the
// same 80/20 defaults and always fills `train`/`test`; these matter for specs built by hand.
/** Held-out share of mnist (10,000 -> 8000/2000) and iris (150 -> 120/30). */
export const BUNDLED_TEST_FRACTION = 0.2;
/** Synthetic sets without `samples`: 800 train + 200 test. */
export const SYNTHETIC_DEFAULT_TRAIN = 800;
export const SYNTHETIC_DEFAULT_TEST = 200;
/** Synthetic sets with `samples` but no counts hold out this share. */
export const SYNTHETIC_TEST_FRACTION = 0.2;

function count(spec: DataSpec, key: 'train' | 'test'): number | undefined {
  const v = spec[key];
  if (typeof v === 'string') throw new DataError(`data.${key}: '${spec.source}' is a bundled dataset, so ${key} is a sample count, not a file`);
  return v;
}

/**
 * MNIST: the 10,000 digits of mnist.bin (package order) are permuted by
 * `permutation(10000, createRng(seed))` (Fisher-Yates over the identity, core/data/random.ts); the
 * first `train` (default 8000) permuted indices are the training set, the next `test` (default 2000)
 * the test set (one count alone: the other is its default capped to what is left). Pixels are
 * byte / 255, inputShape [28, 28, 1].
 */
export async function loadMnist(spec: DataSpec, dataDir: string): Promise<RawSplit> {
  const file = join(dataDir, 'mnist.bin');
  const bin = decodeMnistBin(await readBytes(file, ' (it is generated at build time: run `npm run build` or `node scripts/buildData.mjs`)'), file);
  const train = count(spec, 'train');
  const test = count(spec, 'test');
  if (train !== undefined && test !== undefined && train + test > bin.count) {
    throw new DataError(`mnist: train + test = ${train + test} is more than the ${bin.count} digits available`);
  }
  const { nTrain, nTest } = resolveSplitCounts(bin.count, { train, test, testFraction: BUNDLED_TEST_FRACTION, what: 'mnist' });
  const p = permutation(bin.count, createRng(spec.seed));
  const d = bin.rows * bin.cols;
  const take = (from: number, n: number): { x: Float32Array; y: Float32Array } => {
    const x = new Float32Array(n * d);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const s = p[from + i];
      const px = bin.pixels.subarray(s * d, s * d + d);
      for (let j = 0; j < d; j++) x[i * d + j] = px[j] / 255;
      y[i] = bin.labels[s];
    }
    return { x, y };
  };
  const tr = take(0, nTrain);
  const te = take(nTrain, nTest);
  return {
    name: 'mnist',
    task: 'classification',
    inputShape: [bin.rows, bin.cols, 1],
    numClasses: 10,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    xTrain: tr.x, yTrain: tr.y, xTest: te.x, yTest: te.y, nTrain, nTest,
    isImage: true,
  };
}

interface IrisJson {
  featureNames: string[];
  classNames: string[];
  x: number[][];
  y: number[];
}

/**
 * Iris: a stratified split with `createRng(seed)` (core/data/split.ts stratifiedSplitIndices) into
 * `train`/`test` rows (default 120/30: 40 + 10 of each class).
 */
export async function loadIris(spec: DataSpec, dataDir: string): Promise<RawSplit> {
  const file = join(dataDir, 'iris.json');
  let iris: IrisJson;
  try {
    iris = JSON.parse(await readText(file)) as IrisJson;
  } catch (e) {
    if (e instanceof DataError) throw new DataError(`${e.message} (it is generated at build time: run \`npm run build\` or \`node scripts/buildData.mjs\`)`, { file });
    throw new DataError(`invalid iris.json: ${(e as Error).message}`, { file });
  }
  const n = iris.y.length;
  const d = iris.featureNames.length;
  const x = Float32Array.from(iris.x.flat());
  const y = Float32Array.from(iris.y);
  const counts = resolveSplitCounts(n, { train: count(spec, 'train'), test: count(spec, 'test'), testFraction: BUNDLED_TEST_FRACTION, what: 'iris' });
  const { train, test } = stratifiedSplitIndices(y, counts, createRng(spec.seed));
  return {
    name: 'iris',
    task: 'classification',
    inputShape: [d],
    numClasses: iris.classNames.length,
    classNames: iris.classNames,
    featureNames: iris.featureNames,
    xTrain: takeRows(x, d, train), yTrain: takeValues(y, train),
    xTest: takeRows(x, d, test), yTest: takeValues(y, test),
    nTrain: train.length, nTest: test.length,
    isImage: false,
  };
}

/**
 * Synthetic sets: `samples` rows generated with `createRng(seed)`, then split with
 * `createRng(deriveSeed(seed, 'split'))`: stratified by class for classification sets (so balanced
 * sets give balanced train and test sets), a plain permutation split for `regression`. Without
 * `samples`: train (default 800) + test (default 200) rows; with it, `train`/`test` or an 80/20 split.
 */
export function loadSynthetic(spec: DataSpec, name: SyntheticName, task: Task): RawSplit {
  const train = count(spec, 'train');
  const test = count(spec, 'test');
  const samples = spec.samples ?? (train ?? SYNTHETIC_DEFAULT_TRAIN) + (test ?? SYNTHETIC_DEFAULT_TEST);
  const { nTrain, nTest } = spec.samples === undefined
    ? resolveSplitCounts(samples, { train: train ?? SYNTHETIC_DEFAULT_TRAIN, test: test ?? SYNTHETIC_DEFAULT_TEST, testFraction: SYNTHETIC_TEST_FRACTION, what: name })
    : resolveSplitCounts(samples, { train, test, testFraction: SYNTHETIC_TEST_FRACTION, what: name });
  const s = generateSynthetic(name, { samples, noise: spec.noise, classes: spec.classes, features: spec.features }, createRng(spec.seed));
  const isReg = name === 'regression';
  if ((task === 'regression') !== isReg) {
    throw new DataError(`'${name}' is a ${isReg ? 'regression' : 'classification'} dataset but the task is '${task}'`);
  }
  const rng = createRng(deriveSeed(spec.seed, 'split'));
  const { train: tr, test: te } = isReg ? splitIndices(samples, { nTrain, nTest }, rng) : stratifiedSplitIndices(s.y, { nTrain, nTest }, rng);
  return {
    name,
    task: isReg ? 'regression' : 'classification',
    inputShape: [s.dim],
    numClasses: s.numClasses,
    classNames: isReg ? undefined : Array.from({ length: s.numClasses }, (_, k) => String(k)),
    featureNames: s.featureNames,
    xTrain: takeRows(s.x, s.dim, tr), yTrain: takeValues(s.y, tr),
    xTest: takeRows(s.x, s.dim, te), yTest: takeValues(s.y, te),
    nTrain, nTest,
    isImage: false,
  };
}
