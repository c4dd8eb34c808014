// The worker thread's entry (bundled to dist/worker.js): runs one member job at a time and streams
// progress back. Everything heavy (TensorFlow.js, onnxruntime, datasets) lives here, off the host thread.
// Jobs: 'train' (a `layers` member), 'load' (a saved model's or a prediction file's test outputs), and
// 'grid' (a member's class probabilities on given inputs, e.g. the decision-boundary grid).
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import type { FromWorker, MemberJob, ToWorker } from '../../core/protocol';
import type { Dataset } from '../../core/data/types';
import { loadDataset, loadLabels } from '../data/loadDataset';
import { isLabelsOnly, labelsOnlyClasses } from '../evaluationData';
import { initBackend } from '../tf/backend';
import { trainMember } from '../model/trainer';
import { deserializeWeights, restoreModel, serializeWeights } from '../model/serialize';
import { PREDICT_BATCH } from '../model/evaluate';
import { loadDifferentiableModel, loadMemberOutputs, loadOnnxPredictor } from '../members/loadMember';
import { hashJson } from '../cache/hash';

if (!parentPort) throw new Error('worker.ts must run in a worker thread');
const port = parentPort;

let running: { jobId: number; abort: AbortController } | undefined;
let backend: { choice: string; name: string; reason: string } | undefined;
const datasets = new Map<string, Promise<Dataset>>();

function post(m: FromWorker, transfer?: ArrayBuffer[]): void {
  port.postMessage(m, transfer);
}

/** Datasets are loaded once per worker per data spec. */
function dataset(job: MemberJob): Promise<Dataset> {
  const key = hashJson({ data: job.data, task: job.task, dir: job.dataDir ?? null });
  let d = datasets.get(key);
  if (!d) {
    d = loadDataset(job.data, job.task, job.dataDir ? { dataDir: job.dataDir } : undefined);
    d.catch(() => datasets.delete(key));
    datasets.set(key, d);
  }
  return d;
}

function abortError(): Error {
  const e = new Error('cancelled');
  e.name = 'AbortError';
  return e;
}

/** Why a prediction-file member has no grid (the host omits such members before asking). */
const PREDICTIONS_CANNOT_EVALUATE = 'a prediction file holds fixed test-set outputs; it cannot be evaluated on other inputs';

/**
 * A 'grid' job: the member's class probabilities on `job.points` (n rows of the dataset's input space),
 * n * C values. Trained members are restored from `job.weights` and run exactly like the test pass after
 * training (same ops, same batches of PREDICT_BATCH rows), so on the test inputs they reproduce the cached
 * outputs. TF.js and ONNX models are loaded from their files (they need the dataset for their layout).
 */
async function gridOutputs(job: MemberJob, signal: AbortSignal): Promise<Float32Array> {
  const points = job.points;
  const src = job.member.source;
  if (!points) throw new Error(`member ${job.member.id}: a grid job needs points`);
  if (src.kind === 'predictions') throw new Error(PREDICTIONS_CANNOT_EVALUATE);
  if (src.kind === 'model' && src.format === 'onnx') {
    const data = await dataset(job);
    const dim = data.inputShape.reduce((a, b) => a * b, 1);
    if (points.length % dim !== 0) throw new Error(`grid points: ${points.length} values is not a whole number of ${dim}-feature rows`);
    const p = await loadOnnxPredictor(job.member, data, job.baseDir);
    try {
      const out = await p.predictProba(points, points.length / dim);
      if (signal.aborted) throw abortError();
      return out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out : out.slice();
    } finally {
      await p.dispose();
    }
  }
  let model: { numClasses: number; predictProba(x: tf.Tensor): tf.Tensor; dispose(): void } | null;
  let inputShape: number[];
  if (src.kind === 'layers') {
    if (!job.weights) throw new Error(`member ${job.member.id}: a grid job of a trained member needs its weights`);
    const w = deserializeWeights(job.weights);
    inputShape = w.spec.inputShape;
    model = restoreModel(w);
  } else {
    const data = await dataset(job);
    inputShape = data.inputShape;
    model = await loadDifferentiableModel(job.member, data, job.baseDir);
    if (!model) throw new Error(`member ${job.member.id}: its model cannot be evaluated on new inputs`);
  }
  try {
    const dim = inputShape.reduce((a, b) => a * b, 1);
    if (points.length % dim !== 0) throw new Error(`grid points: ${points.length} values is not a whole number of ${dim}-feature rows`);
    const n = points.length / dim;
    const C = model.numClasses;
    const out = new Float32Array(n * C);
    const m = model;
    for (let lo = 0; lo < n; lo += PREDICT_BATCH) {
      if (lo > 0) await new Promise<void>((r) => setImmediate(r)); // lets a cancel message in
      if (signal.aborted) throw abortError();
      const bs = Math.min(PREDICT_BATCH, n - lo);
      const p = tf.tidy(() => m.predictProba(tf.tensor(points.slice(lo * dim, (lo + bs) * dim), [bs, ...inputShape])));
      try {
        if (p.size !== bs * C) throw new Error(`member ${job.member.id}: ${p.size / bs} outputs per sample, expected ${C}`);
        out.set(p.dataSync(), lo * C);
      } finally {
        p.dispose();
      }
    }
    return out;
  } finally {
    model.dispose();
  }
}

async function run(job: MemberJob): Promise<void> {
  const abort = new AbortController();
  running = { jobId: job.jobId, abort };
  const t0 = Date.now();
  try {
    if (!backend || backend.choice !== job.backend) {
      const hasConv = job.member.source.kind === 'layers' && job.member.source.layers.some((l) => l.type === 'conv2d');
      const b = await initBackend(job.backend, { conv: hasConv });
      backend = { choice: job.backend, ...b };
    }
    post({ type: 'backend', jobId: job.jobId, name: backend.name, reason: backend.reason });
    if (job.kind === 'grid') {
      const outputs = await gridOutputs(job, abort.signal);
      post({ type: 'done', jobId: job.jobId, result: { outputs, history: [], backend: backend.name, millis: Date.now() - t0 } }, [outputs.buffer as ArrayBuffer]);
      return;
    }
    if (job.kind === 'load' && isLabelsOnly(job.data)) {
      // An ensemble of prediction files: only the labels say how many rows and classes to expect.
      const l = await loadLabels(job.data.labels, job.task);
      const outputs = await loadMemberOutputs(job.member, {
        nTest: l.labels.length,
        numClasses: labelsOnlyClasses(l.labels, job.task, l.classNames),
        task: job.task,
        classNames: l.classNames,
        baseDir: job.baseDir,
      });
      post({ type: 'done', jobId: job.jobId, result: { outputs, history: [], backend: backend.name, millis: Date.now() - t0 } }, [outputs.buffer as ArrayBuffer]);
      return;
    }
    const data = await dataset(job);
    if (job.kind === 'train') {
      let lastBatchPost = 0;
      const r = await trainMember({
        member: job.member,
        dataset: data,
        signal: abort.signal,
        onProgress: (progress) => post({ type: 'epoch', jobId: job.jobId, progress }),
        onBatch: (batch, batches) => {
          const now = Date.now();
          if (now - lastBatchPost < 200 && batch < batches) return; // throttle
          lastBatchPost = now;
          post({ type: 'batch', jobId: job.jobId, batch, batches });
        },
      });
      const weights = serializeWeights(r.weights);
      const outputs = r.outputs;
      post(
        { type: 'done', jobId: job.jobId, result: { outputs, weights, history: r.history, backend: backend.name, millis: Date.now() - t0 } },
        [outputs.buffer as ArrayBuffer, weights.buffer as ArrayBuffer],
      );
    } else {
      const outputs = await loadMemberOutputs(job.member, { nTest: data.nTest, numClasses: data.numClasses, task: job.task, dataset: data, classNames: data.classNames, baseDir: job.baseDir });
      post({ type: 'done', jobId: job.jobId, result: { outputs, history: [], backend: backend.name, millis: Date.now() - t0 } }, [
        outputs.buffer as ArrayBuffer,
      ]);
    }
  } catch (e) {
    const err = e as Error & { file?: string; line?: number; column?: number };
    const cancelled = abort.signal.aborted || err.name === 'AbortError';
    post({
      type: 'error',
      jobId: job.jobId,
      message: cancelled ? 'cancelled' : err.message || String(e),
      cancelled,
      location: err.file ? { file: err.file, line: err.line, column: err.column } : undefined,
    });
  } finally {
    running = undefined;
  }
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'run') void run(m.job);
  else if (m.type === 'cancel' && running?.jobId === m.jobId) running.abort.abort();
});
