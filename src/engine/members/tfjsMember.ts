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

/**
 * A loaded TF.js member. `raw(x)` is the model's output with the head removed (logits unless head is 'none'),
 * flattened to [batch, width]. Graph models with control-flow or dynamic-shape ops only run through
 * `executeAsync`: they have `asyncOnly` set, `raw` throws, and only `rawAsync` works (no gradients).
 */
interface TfjsModel {
  head: Head;
  width: number;
  asyncOnly: boolean;
  raw(x: tf.Tensor): tf.Tensor2D;
  rawAsync(x: tf.Tensor): Promise<tf.Tensor2D>;
  dispose(): void;
}

/** The model as TF.js loaded it, before the dataset's layout is applied. */
interface Opened {
  head: Head;
  inputShape: ReadonlyArray<number | null | undefined>;
  run(x: tf.Tensor): tf.Tensor;
  runAsync(x: tf.Tensor): Promise<tf.Tensor>;
  dispose(): void;
}

async function openGraph(src: SourceFile, artifacts: tf.io.ModelArtifacts, task: Dataset['task']): Promise<Opened> {
  const model = await tf.loadGraphModel({ load: async () => artifacts });
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    model.dispose();
    throw loadError(src, `the graph model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; members need exactly one of each`);
  }
  // Regression models keep their final op: a sigmoid there is part of the prediction.
  const found = task === 'classification' ? graphLogitsNode(artifacts, model.outputNodes[0]) : { node: model.outputNodes[0], head: 'none' as const };
  return {
    head: found.head,
    inputShape: model.inputs[0].shape ?? [],
    run: (x) => model.execute(x, found.node) as tf.Tensor,
    runAsync: async (x) => (await model.executeAsync(x, found.node)) as tf.Tensor,
    dispose: () => model.dispose(),
  };
}

async function openLayers(src: SourceFile, artifacts: tf.io.ModelArtifacts, task: Dataset['task']): Promise<Opened> {
  const stripped = task === 'classification' ? stripLayersHead(artifacts) : { artifacts, head: 'none' as const };
  const model = await tf.loadLayersModel({ load: async () => stripped.artifacts });
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    model.dispose();
    throw loadError(src, `the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; members need exactly one of each`);
  }
  const run = (x: tf.Tensor): tf.Tensor => model.apply(x, { training: false }) as tf.Tensor;
  return { head: stripped.head, inputShape: model.inputs[0].shape, run, runAsync: async (x) => run(x), dispose: () => model.dispose() };
}

/** Loads model.json (layers or graph) for the dataset's inputs; throws MemberLoadError. */
async function loadTfjs(given: SourceFile, dataset: Dataset): Promise<TfjsModel> {
  const src = await modelJsonIn(given);
  const artifacts = await readModelArtifacts(src);
  const topo = artifacts.modelTopology as Record<string, unknown> | undefined;
  const isGraph = artifacts.format === 'graph-model' || (topo !== undefined && Array.isArray(topo.node));
  let opened: Opened;
  try {
    opened = await (isGraph ? openGraph : openLayers)(src, artifacts, dataset.task);
  } catch (e) {
    if (e instanceof Error && e.name === 'MemberLoadError') throw e;
    throw loadError(src, `TF.js could not load the model: ${errorText(e)}`);
  }
  const layout = planLayout(toModelDims(opened.inputShape.slice(1)), dataset.inputShape);
  if (typeof layout === 'string') {
    opened.dispose();
    throw loadError(src, layout);
  }
  const flat = (out: tf.Tensor): tf.Tensor2D => out.reshape([out.shape[0], -1]);
  const raw = (x: tf.Tensor): tf.Tensor2D => tf.tidy(() => flat(opened.run(toLayout(x, layout))));
  const rawAsync = async (x: tf.Tensor): Promise<tf.Tensor2D> => {
    const input = toLayout(x, layout);
    try {
      const out = await opened.runAsync(input);
      const result = tf.tidy(() => flat(out));
      out.dispose();
      return result;
    } finally {
      if (input !== x) input.dispose();
    }
  };
  // One sample tells the output width (graph models do not always declare it) and whether sync execution works.
  let width: number;
  let asyncOnly = false;
  const probe = tf.zeros([1, ...dataset.inputShape]);
  try {
    try {
      width = tf.tidy(() => raw(probe).shape[1]);
    } catch (e) {
      if (!isGraph || !/executeAsync/.test(errorText(e))) throw e;
      asyncOnly = true;
      const y = await rawAsync(probe);
      width = y.shape[1];
      y.dispose();
    }
  } catch (e) {
    opened.dispose();
    throw loadError(src, `the model fails on an input of shape ${shapeText([null, ...dataset.inputShape])}: ${errorText(e)}`);
  } finally {
    probe.dispose();
  }
  return { head: opened.head, width, asyncOnly, raw, rawAsync, dispose: () => opened.dispose() };
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
    const batch = tf.tensor(x.subarray(start * d, end * d), [end - start, ...inputShape]);
    let y: tf.Tensor2D;
    try {
      y = m.asyncOnly ? await m.rawAsync(batch) : tf.tidy(() => m.raw(batch));
    } finally {
      batch.dispose();
    }
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
  if (m.asyncOnly) {
    m.dispose();
    throw loadError(src, 'the graph model has control-flow or dynamic-shape ops, which TF.js runs only with executeAsync (no gradients): it cannot be a white-box attack source');
  }
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
