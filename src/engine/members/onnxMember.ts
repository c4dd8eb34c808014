// ONNX members through onnxruntime-node, loaded on first use so activation stays cheap.
//
// Input: the session's single input; its first dim is the batch (symbolic/-1 = any size; a fixed size B
// means batches of exactly B, the last one zero-padded). The other dims are matched to the dataset's
// samples by the rules in layout.ts (same / reshape, e.g. [N, 784] / NHWC -> NCHW transpose). float32 or
// float64 inputs. Output: the only tensor output, or among several the one whose name contains "prob"
// (sklearn-onnx style), else the first float tensor output. Outputs become probabilities by the row-sum
// rule of probabilities.ts (softmax for logits).
import { stat } from 'node:fs/promises';
import type * as OrtModule from 'onnxruntime-node';
import type { Dataset } from '../../core/data/types';
import { errorText, loadError } from './errors';
import type { SourceFile } from './sourceFile';
import { planLayout, shapeText, toModelDims, toModelLayout, type InputLayout } from './layout';
import { detectOutputKind, toProbabilities, type OutputKind } from './probabilities';
import type { BlackBoxPredictor } from './types';

type Ort = typeof OrtModule;

/** Samples per inference batch when the model's batch dim is dynamic. */
export const ONNX_BATCH = 256;

let ortModule: Promise<Ort> | undefined;

/** onnxruntime-node, imported once, on first use. */
function ort(): Promise<Ort> {
  ortModule ??= import('onnxruntime-node').then((m) => ('InferenceSession' in m ? m : (m as unknown as { default: Ort }).default));
  return ortModule;
}

interface OnnxModel {
  /** Raw outputs (n * width) for n samples in the dataset's layout. */
  run(x: Float32Array, n: number): Promise<Float32Array>;
  readonly width: number;
  release(): Promise<void>;
}

/** What the session expects, read from its metadata. */
interface SessionPlan {
  inputName: string;
  inputType: 'float32' | 'float64';
  layout: InputLayout;
  /** A fixed batch size, or null when the batch dim is dynamic. */
  fixedBatch: number | null;
  outputName: string;
}

async function openOnnx(src: SourceFile, dataset: Dataset): Promise<OnnxModel> {
  try {
    if (!(await stat(src.path)).isFile()) throw new Error('not a file');
  } catch {
    throw loadError(src, 'file not found');
  }
  let rt: Ort;
  try {
    rt = await ort();
  } catch (e) {
    ortModule = undefined; // let a later call try again
    throw loadError(src, `onnxruntime-node could not be loaded (ONNX members need its native binary): ${errorText(e)}`);
  }
  let session: OrtModule.InferenceSession;
  try {
    session = await rt.InferenceSession.create(src.path, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  } catch (e) {
    throw loadError(src, `onnxruntime could not load the model: ${errorText(e)}`);
  }
  const plan = planSession(session, dataset.inputShape);
  if (typeof plan === 'string') {
    await session.release();
    throw loadError(src, plan);
  }
  const sampleSize = dataset.inputShape.reduce((a, b) => a * b, 1);
  const runBatch = async (x: Float32Array, b: number): Promise<Float32Array> => {
    const rows = plan.fixedBatch ?? b;
    const data = toModelLayout(plan.layout, rows === b ? x : padded(x, rows * sampleSize), rows);
    const dims = [rows, ...plan.layout.dims];
    const tensor = new rt.Tensor(plan.inputType, plan.inputType === 'float64' ? Float64Array.from(data) : data, dims);
    let result: OrtModule.Tensor;
    try {
      result = (await session.run({ [plan.inputName]: tensor }))[plan.outputName];
    } catch (e) {
      throw loadError(src, `onnxruntime failed on a batch of shape ${shapeText(dims)}: ${errorText(e)}`);
    }
    const values = result.data instanceof Float32Array ? result.data : Float32Array.from(result.data as ArrayLike<number>);
    return values.subarray(0, b * (values.length / rows));
  };
  let width = -1;
  const run = async (x: Float32Array, n: number): Promise<Float32Array> => {
    const step = plan.fixedBatch ?? ONNX_BATCH;
    let out: Float32Array | undefined;
    for (let start = 0; start < n; start += step) {
      const end = Math.min(n, start + step);
      const y = await runBatch(x.subarray(start * sampleSize, end * sampleSize), end - start);
      const w = y.length / (end - start);
      if (width < 0) width = w;
      if (w !== width) throw loadError(src, `the model's output width changed between batches (${width} then ${w})`);
      out ??= new Float32Array(n * width);
      out.set(y, start * width);
    }
    return out ?? new Float32Array(0);
  };
  try {
    await run(new Float32Array(sampleSize), 1); // tells the output width; shape errors surface at load time
  } catch (e) {
    await session.release();
    throw e;
  }
  return {
    run,
    get width() {
      return width;
    },
    release: () => session.release(),
  };
}

/** Reads the session's input/output metadata against the dataset's sample shape; a string says why it does not fit. */
function planSession(session: OrtModule.InferenceSession, sampleShape: number[]): SessionPlan | string {
  if (session.inputNames.length !== 1) return `the model has ${session.inputNames.length} inputs (${session.inputNames.join(', ')}); members need exactly one`;
  const inputName = session.inputNames[0];
  const meta = session.inputMetadata?.[0];
  const declared = meta && meta.isTensor && meta.shape.length > 0 ? meta.shape : undefined;
  const inputType = meta && meta.isTensor ? meta.type : 'float32';
  if (inputType !== 'float32' && inputType !== 'float64') return `the model's input "${inputName}" is ${inputType}; members need a float32 or float64 input`;
  const dims = toModelDims(declared ?? [null, ...sampleShape]);
  const layout = planLayout(dims.slice(1), sampleShape);
  if (typeof layout === 'string') return layout;
  const outputName = pickOutput(session);
  if (!outputName) {
    return `the model has no float tensor output (outputs: ${session.outputNames.join(', ')}); for sklearn-onnx classifiers, convert with options={id(model): {'zipmap': False}}`;
  }
  return { inputName, inputType, layout, fixedBatch: dims[0], outputName };
}

function pickOutput(session: OrtModule.InferenceSession): string | undefined {
  const meta = session.outputMetadata ?? [];
  const floats = session.outputNames.filter((name, i) => {
    const m = meta[i];
    return !m || (m.isTensor && (m.type === 'float32' || m.type === 'float64'));
  });
  return floats.find((n) => /prob/i.test(n)) ?? floats[0];
}

function padded(x: Float32Array, length: number): Float32Array {
  const out = new Float32Array(length);
  out.set(x);
  return out;
}

function kindOf(src: SourceFile, raw: Float32Array, n: number, width: number, dataset: Dataset): OutputKind {
  const kind = detectOutputKind(raw, n, width, dataset.task, dataset.numClasses);
  if (typeof kind === 'object') throw loadError(src, kind.error);
  return kind;
}

/** Test-split outputs of an ONNX member: nTest * numClasses probabilities, or nTest regression values. */
export async function onnxOutputs(src: SourceFile, dataset: Dataset): Promise<Float32Array> {
  const model = await openOnnx(src, dataset);
  try {
    const raw = await model.run(dataset.xTest, dataset.nTest);
    return toProbabilities(raw, dataset.nTest, model.width, kindOf(src, raw, dataset.nTest, model.width, dataset));
  } finally {
    await model.release();
  }
}

/**
 * An ONNX member as a black box for evaluating adversarial examples. Whether its outputs are logits or
 * probabilities is decided once, on up to 256 test samples, so every later call is read the same way.
 */
export async function onnxPredictor(src: SourceFile, dataset: Dataset): Promise<BlackBoxPredictor> {
  const model = await openOnnx(src, dataset);
  let kind: OutputKind;
  try {
    const n = Math.min(dataset.nTest, 256);
    const d = dataset.inputShape.reduce((a, b) => a * b, 1);
    kind = kindOf(src, await model.run(dataset.xTest.subarray(0, n * d), n), n, model.width, dataset);
  } catch (e) {
    await model.release();
    throw e;
  }
  return {
    predictProba: async (x, n) => toProbabilities(await model.run(x, n), n, model.width, kind),
    dispose: () => model.release(),
  };
}
