// TF.js saved models (layers or graph model.json) as members: test-split outputs, and a differentiable
// model for attacks. Inputs arrive in the dataset's layout and are adapted with tf ops (see layout.ts), so
// gradients reach the dataset-shaped input.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../core/data/types';
import { errorText, loadError } from './errors';
import type { SourceFile } from './sourceFile';
import { readModelArtifacts } from './fsIoHandler';
import { planLayout, shapeText, toModelDims, type InputLayout } from './layout';
import { detectOutputKind, toProbabilities, type OutputKind } from './probabilities';
import { graphLogitsNode, stripLayersHead, type Head } from './tfjsHead';
import type { DifferentiableModel } from './types';

/** Samples per inference batch. */
export const TFJS_BATCH = 256;

/** A loaded TF.js member. `raw(x)` is the model's output with the head removed (logits unless head is 'none'). */
interface TfjsModel {
  head: Head;
  layout: InputLayout;
  width: number;
  raw(x: tf.Tensor): tf.Tensor2D;
  dispose(): void;
}

/** Loads model.json (layers or graph) for the dataset's inputs; throws MemberLoadError. */
async function loadTfjs(given: SourceFile, dataset: Dataset): Promise<TfjsModel> {
  const src = await modelJsonIn(given);
  const artifacts = await readModelArtifacts(src);
  const topo = artifacts.modelTopology as Record<string, unknown> | undefined;
  const isGraph = artifacts.format === 'graph-model' || (topo !== undefined && Array.isArray(topo.node));
  let head: Head;
  let run: (x: tf.Tensor) => tf.Tensor;
  let inputShape: ReadonlyArray<number | null | undefined>;
  let dispose: () => void;
  try {
    if (isGraph) {
      const model = await tf.loadGraphModel({ load: async () => artifacts });
      if (model.inputs.length !== 1 || model.outputs.length !== 1) {
        model.dispose();
        throw loadError(src, `the graph model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; members need exactly one of each`);
      }
      // Regression models keep their final op: a sigmoid there is part of the prediction.
      const found = dataset.task === 'classification' ? graphLogitsNode(artifacts, model.outputNodes[0]) : { node: model.outputNodes[0], head: 'none' as const };
      head = found.head;
      run = (x) => model.execute(x, found.node) as tf.Tensor;
      inputShape = model.inputs[0].shape ?? [];
      dispose = () => model.dispose();
    } else {
      const stripped = dataset.task === 'classification' ? stripLayersHead(artifacts) : { artifacts, head: 'none' as const };
      const model = await tf.loadLayersModel({ load: async () => stripped.artifacts });
      if (model.inputs.length !== 1 || model.outputs.length !== 1) {
        model.dispose();
        throw loadError(src, `the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; members need exactly one of each`);
      }
      head = stripped.head;
      run = (x) => model.apply(x, { training: false }) as tf.Tensor;
      inputShape = model.inputs[0].shape;
      dispose = () => model.dispose();
    }
  } catch (e) {
    if (e instanceof Error && e.name === 'MemberLoadError') throw e;
    throw loadError(src, `TF.js could not load the model: ${errorText(e)}`);
  }
  const layout = planLayout(toModelDims(inputShape.slice(1)), dataset.inputShape);
  if (typeof layout === 'string') {
    dispose();
    throw loadError(src, layout);
  }
  const raw = (x: tf.Tensor): tf.Tensor2D =>
    tf.tidy(() => {
      const out = run(toLayout(x, layout));
      return out.reshape([out.shape[0], -1]) as tf.Tensor2D;
    });
  // One sample tells the output width (graph models do not always declare it).
  let width: number;
  try {
    width = tf.tidy(() => raw(tf.zeros([1, ...dataset.inputShape])).shape[1]);
  } catch (e) {
    dispose();
    throw loadError(src, `the model fails on an input of shape ${shapeText([null, ...dataset.inputShape])}: ${errorText(e)}`);
  }
  return { head, layout, width, raw, dispose };
}

/** A folder stands for the model.json inside it (what the TF.js converter writes). */
async function modelJsonIn(src: SourceFile): Promise<SourceFile> {
  const isDir = await stat(src.path).then((st) => st.isDirectory(), () => false);
  return isDir ? { path: join(src.path, 'model.json'), display: `${src.display.replace(/\/$/, '')}/model.json` } : src;
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Dataset layout -> model layout, differentiably. */
function toLayout(x: tf.Tensor, layout: InputLayout): tf.Tensor {
  if (layout.kind === 'same') return x;
  if (layout.kind === 'reshape') return x.reshape([-1, ...layout.dims]);
  return x.transpose([0, 3, 1, 2]);
}

/** Raw outputs (head removed) on n samples of `x` (dataset layout), in batches. */
async function rawOutputs(m: TfjsModel, x: Float32Array, n: number, inputShape: number[]): Promise<Float32Array> {
  const d = size(inputShape);
  const out = new Float32Array(n * m.width);
  for (let start = 0; start < n; start += TFJS_BATCH) {
    const end = Math.min(n, start + TFJS_BATCH);
    const y = tf.tidy(() => m.raw(tf.tensor(x.subarray(start * d, end * d), [end - start, ...inputShape])));
    out.set(await y.data(), start * m.width);
    y.dispose();
  }
  return out;
}

/** How the (head-stripped) outputs are read: known logits for a stripped head, else the row-sum rule on `sample`. */
function outputKind(src: SourceFile, m: TfjsModel, sample: Float32Array, task: Dataset['task'], numClasses: number): OutputKind {
  const n = sample.length / m.width;
  const detected = detectOutputKind(sample, n, m.width, task, numClasses);
  if (typeof detected === 'object') throw loadError(src, detected.error);
  let kind: OutputKind = detected;
  if (task === 'classification' && m.head === 'softmax') kind = 'logits';
  if (task === 'classification' && m.head === 'sigmoid') kind = m.width === 1 ? 'binaryLogit' : 'logits';
  return kind;
}

/** Test-split outputs of a TF.js member: nTest * numClasses probabilities, or nTest regression values. */
export async function tfjsOutputs(src: SourceFile, dataset: Dataset): Promise<Float32Array> {
  const m = await loadTfjs(src, dataset);
  try {
    const raw = await rawOutputs(m, dataset.xTest, dataset.nTest, dataset.inputShape);
    const kind = outputKind(src, m, raw, dataset.task, dataset.numClasses);
    return toProbabilities(raw, dataset.nTest, m.width, kind);
  } finally {
    m.dispose();
  }
}

/**
 * A TF.js member as a differentiable model. Logits are the model's pre-softmax outputs (the final softmax is
 * removed from the topology, see tfjsHead.ts); a one-unit sigmoid head gives logits [0, z]. When the model has
 * no softmax/sigmoid head and its outputs look like probabilities (row-sum rule on up to 256 test samples),
 * logits are log(max(p, 1e-12)). Regression: logits and predictProba are the predictions [batch, 1].
 */
export async function tfjsDifferentiable(src: SourceFile, dataset: Dataset): Promise<DifferentiableModel> {
  const m = await loadTfjs(src, dataset);
  const probeN = Math.min(dataset.nTest, 256);
  let kind: OutputKind;
  try {
    kind = outputKind(src, m, await rawOutputs(m, dataset.xTest, probeN, dataset.inputShape), dataset.task, dataset.numClasses);
  } catch (e) {
    m.dispose();
    throw e;
  }
  const numClasses = dataset.task === 'regression' ? 1 : dataset.numClasses;
  const logits = (x: tf.Tensor): tf.Tensor2D =>
    tf.tidy(() => {
      const z = m.raw(x);
      if (kind === 'binaryLogit') return tf.concat([tf.zerosLike(z), z], 1);
      if (kind === 'binaryProbability') return tf.log(tf.maximum(tf.concat([tf.sub(1, z), z], 1), 1e-12)) as tf.Tensor2D;
      if (kind === 'probabilities') return tf.log(tf.maximum(z, 1e-12)) as tf.Tensor2D;
      return z;
    });
  return {
    inputShape: dataset.inputShape.slice(),
    numClasses,
    logits,
    predictProba: (x) => tf.tidy(() => (kind === 'regression' ? logits(x) : tf.softmax(logits(x)))),
    dispose: () => m.dispose(),
  };
}
