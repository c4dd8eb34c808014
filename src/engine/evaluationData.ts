// The test split's labels and shape: from the dataset, or from the labels file of an ensemble made
// of prediction files only. Shared by the report builder and the workers that load members.
import { relative } from 'node:path';
import type { DataSpec, EnsembleConfig, Task } from '../core/config/types';
import type { ReportData } from '../core/report';
import { loadDataset, loadLabels } from './data/loadDataset';

/** True when `data` is just a labels file (an ensemble of prediction files). */
export function isLabelsOnly(d: DataSpec): d is DataSpec & { labels: string } {
  return Boolean(d.labels) && d.source === undefined && d.train === undefined;
}

/** Number of classes of a labels-only ensemble: the largest label + 1 (at least 2), or the class names. */
export function labelsOnlyClasses(labels: Float32Array, task: Task, classNames?: string[]): number {
  if (task !== 'classification') return 1;
  let max = 0;
  for (const v of labels) max = Math.max(max, v);
  return Math.max(classNames?.length ?? 0, max + 1, 2);
}

/** Labels and shape of the test split, without the training data. */
export interface EvaluationData {
  labels: Float32Array;
  data: ReportData;
}

/** The test labels of a config: from its dataset, or from the labels file of a prediction-only ensemble. */
export async function loadEvaluationData(config: EnsembleConfig, dataDir?: string): Promise<EvaluationData> {
  const d = config.data;
  if (isLabelsOnly(d)) {
    const l = await loadLabels(d.labels, config.task);
    const numClasses = labelsOnlyClasses(l.labels, config.task, l.classNames);
    return {
      labels: l.labels,
      data: { source: relative(config.dir, d.labels) || d.labels, nTest: l.labels.length, numClasses, classNames: l.classNames },
    };
  }
  const ds = await loadDataset(d, config.task, dataDir ? { dataDir } : undefined);
  const source = d.source ?? (typeof d.train === 'string' ? relative(config.dir, d.train) : 'data');
  return {
    labels: ds.yTest,
    data: {
      source,
      nTrain: ds.nTrain,
      nTest: ds.nTest,
      numClasses: ds.numClasses,
      inputShape: ds.inputShape,
      classNames: ds.classNames,
      isImage: ds.isImage,
    },
  };
}

