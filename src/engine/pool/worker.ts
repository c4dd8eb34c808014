// The worker thread's entry (bundled to dist/worker.js): runs one member job at a time and streams
// progress back. Everything heavy (TensorFlow.js, onnxruntime, datasets) lives here, off the host thread.
import { parentPort } from 'node:worker_threads';
import type { FromWorker, MemberJob, ToWorker } from '../../core/protocol';
import type { Dataset } from '../../core/data/types';
import { loadDataset, loadLabels } from '../data/loadDataset';
import { isLabelsOnly, labelsOnlyClasses } from '../evaluationData';
import { initBackend } from '../tf/backend';
import { trainMember } from '../model/trainer';
import { serializeWeights } from '../model/serialize';
import { loadMemberOutputs } from '../members/loadMember';
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
    if (job.kind === 'load' && isLabelsOnly(job.data)) {
      // An ensemble of prediction files: only the labels say how many rows and classes to expect.
      const l = await loadLabels(job.data.labels);
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
