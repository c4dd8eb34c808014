// Members that are not trained here: saved models (TF.js model.json, ONNX) and prediction files.
// The public entry points; TF.js and onnxruntime are imported on first use.
import type { MemberSpec } from '../../core/config/types';
import type { Dataset } from '../../core/data/types';
import { loadError } from './errors';
import { sourceFile } from './sourceFile';
import { readPredictionFile } from './predictionFiles';
import type { BlackBoxPredictor, DifferentiableModel, MemberContext } from './types';

export { MemberLoadError } from './errors';
export type { BlackBoxPredictor, DifferentiableModel, MemberContext } from './types';

/**
 * A member's outputs on the test split: nTest * numClasses probabilities (row-major) for classification,
 * nTest values for regression. Model members need `ctx.dataset` (its test inputs). Throws MemberLoadError
 * (file, line, column) for missing or malformed files and for models or files that do not fit the dataset.
 * `layers` members are trained, not loaded: they go through src/engine/model.
 */
export async function loadMemberOutputs(member: MemberSpec, ctx: MemberContext): Promise<Float32Array> {
  const s = member.source;
  if (s.kind === 'layers') throw new Error(`member ${member.id} is trained from layers; loadMemberOutputs handles saved models and prediction files`);
  const src = sourceFile(s.path, ctx.baseDir);
  if (s.kind === 'predictions') {
    return readPredictionFile(src, s.format, {
      nTest: ctx.nTest,
      numClasses: ctx.task === 'regression' ? 1 : ctx.numClasses,
      task: ctx.task,
      classNames: ctx.classNames ?? ctx.dataset?.classNames,
    });
  }
  const dataset = ctx.dataset;
  if (!dataset) throw loadError(src, 'a saved-model member needs the dataset (its test inputs); none was given');
  if (dataset.nTest !== ctx.nTest) throw loadError(src, `the dataset's test split has ${dataset.nTest} samples, but ${ctx.nTest} were expected`);
  const out =
    s.format === 'onnx'
      ? await (await import('./onnxMember.js')).onnxOutputs(src, dataset)
      : await (await import('./tfjsMember.js')).tfjsOutputs(src, dataset);
  const width = ctx.task === 'regression' ? 1 : ctx.numClasses;
  if (out.length !== ctx.nTest * width) throw loadError(src, `the model produced ${out.length / ctx.nTest} values per sample, expected ${width}`);
  return out;
}

/**
 * A TF.js member as a differentiable model (white-box attacks). null for ONNX and prediction members:
 * ONNX models run in onnxruntime, which gives no gradients, so they are black-box transfer targets only
 * (use loadOnnxPredictor); prediction files have no model at all. `layers` members come from src/engine/model.
 */
export async function loadDifferentiableModel(member: MemberSpec, dataset: Dataset, baseDir?: string): Promise<DifferentiableModel | null> {
  const s = member.source;
  if (s.kind === 'layers') throw new Error(`member ${member.id} is trained from layers; build it with src/engine/model`);
  if (s.kind !== 'model' || s.format !== 'tfjs') return null;
  return (await import('./tfjsMember.js')).tfjsDifferentiable(sourceFile(s.path, baseDir), dataset);
}

/** An ONNX member as a black box: probabilities for arbitrary inputs in the dataset's layout (e.g. adversarial examples). */
export async function loadOnnxPredictor(member: MemberSpec, dataset: Dataset, baseDir?: string): Promise<BlackBoxPredictor> {
  const s = member.source;
  if (s.kind !== 'model' || s.format !== 'onnx') throw new Error(`member ${member.id} is not an ONNX model`);
  return (await import('./onnxMember.js')).onnxPredictor(sourceFile(s.path, baseDir), dataset);
}
