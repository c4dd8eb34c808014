// The user's own tables: CSV or JSON files with a header / named columns, one row per sample.
import type { DataSpec, Task } from '../../core/config/types';
import { parseCsv } from '../../core/data/csv';
import type { Dataset } from '../../core/data/types';
import { DataError } from '../../core/data/errors';
import { createRng } from '../../core/data/random';
import { resolveSplitCounts, splitIndices, stratifiedSplitIndices, takeRows, takeValues } from '../../core/data/split';
import {
  csvTable,
  defaultLabelColumn,
  labelEncoding,
  parseJsonTable,
  readFeatures,
  readLabels,
  readRawLabels,
  resolveColumn,
  type DataTable,
} from '../../core/data/table';
import { fileKind, nameOf, readText } from './files';

/** A split dataset before normalisation and bounds. */
export type RawSplit = Omit<Dataset, 'lower' | 'upper'>;

export const USER_DEFAULT_TEST_FRACTION = 0.2;

/** Reads a .csv, .tsv (tab-separated, same quoting) or .json table. */
export async function readTable(file: string): Promise<DataTable> {
  const kind = fileKind(file);
  if (kind !== 'csv' && kind !== 'tsv' && kind !== 'json') throw new DataError(`unsupported data file type '.${kind}' (expected .csv, .tsv or .json)`, { file });
  const text = await readText(file);
  if (kind === 'json') return parseJsonTable(text, file);
  return csvTable(parseCsv(text, file, { delimiter: kind === 'tsv' ? '\t' : ',' }));
}

/** Column indices of the label and features in `t`, given refs resolved against the training table. */
function columnsOf(t: DataTable, labelRef: string | number, featureRefs: (string | number)[]): { label: number; features: number[] } {
  const label = resolveColumn(t, labelRef, 'label');
  const features = featureRefs.map((f) => resolveColumn(t, f, 'feature'));
  if (features.includes(label)) throw new DataError(`column '${t.columns[label]}' is both the label and a feature`, t.locateColumn(label));
  if (features.length === 0) throw new DataError('no feature columns (the file has only the label column)', { file: t.file });
  return { label, features };
}

/**
 * A dataset from `spec.train` (a .csv/.tsv/.json path): the label column is `spec.label` (name or 0-based
 * index; default 'label', 'target', 'y', 'class', else the last column), features `spec.featureColumns`
 * (default: every other column). The test rows come from `spec.test` when it is a path, else from a
 * seeded split with `createRng(seed)` (stratified for classification) of `test` rows or `testFraction`
 * (default 0.2). Class labels are encoded over train and test together (core/data/table.ts labelEncoding).
 */
export async function loadUserData(spec: DataSpec, task: Task): Promise<RawSplit> {
  if (typeof spec.train !== 'string') throw new DataError('data: give a bundled `source` or a `train` file (.csv, .tsv or .json)');
  const trainTable = await readTable(spec.train);
  const testTable = typeof spec.test === 'string' ? await readTable(spec.test) : undefined;
  const label = spec.label ?? trainTable.columns[defaultLabelColumn(trainTable)];
  const labelIdx = resolveColumn(trainTable, label, 'label');
  const labelName = trainTable.columns[labelIdx];
  const featureRefs = spec.featureColumns ?? trainTable.columns.filter((_, j) => j !== labelIdx);
  // Numeric refs are positions in the training file; the test file is matched by column name.
  const featureNames = featureRefs.map((f) => trainTable.columns[resolveColumn(trainTable, f, 'feature')]);
  const trCols = columnsOf(trainTable, labelIdx, featureNames);
  const teCols = testTable && columnsOf(testTable, labelName, featureNames);

  const enc = task === 'classification'
    ? labelEncoding([...readRawLabels(trainTable, trCols.label), ...(testTable && teCols ? readRawLabels(testTable, teCols.label) : [])])
    : undefined;
  const d = featureNames.length;
  const x = readFeatures(trainTable, trCols.features);
  const y = readLabels(trainTable, trCols.label, task, enc);
  const common = {
    name: nameOf(spec.train),
    task,
    inputShape: [d],
    numClasses: enc?.numClasses ?? 1,
    classNames: enc?.classNames,
    featureNames,
    isImage: false,
  };
  if (testTable && teCols) {
    const xTest = readFeatures(testTable, teCols.features);
    const yTest = readLabels(testTable, teCols.label, task, enc);
    return { ...common, xTrain: x, yTrain: y, xTest, yTest, nTrain: trainTable.nRows, nTest: testTable.nRows };
  }
  const counts = resolveSplitCounts(trainTable.nRows, {
    test: typeof spec.test === 'number' ? spec.test : undefined,
    testFraction: spec.testFraction ?? USER_DEFAULT_TEST_FRACTION,
    what: spec.train,
  });
  const rng = createRng(spec.seed);
  const { train, test } = task === 'classification' ? stratifiedSplitIndices(y, counts, rng) : splitIndices(trainTable.nRows, counts, rng);
  return {
    ...common,
    xTrain: takeRows(x, d, train), yTrain: takeValues(y, train),
    xTest: takeRows(x, d, test), yTest: takeValues(y, test),
    nTrain: train.length, nTest: test.length,
  };
}
