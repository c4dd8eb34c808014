// The analysis of an ensemble on two threads: this one computes analyzeMain while a side worker
// computes analyzeSide (the divergence matrices and stacking, about half the work at small M) of the
// same outputs, shared through SharedArrayBuffers rather than copied per message. The result is
// analyzeEnsemble's, value for value (both parts are deterministic and independent). Used by the
// extension's report worker and the CLI; if the side worker fails, this thread computes the side too.
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeEnsemble, analyzeMain, analyzeSide, completeAnalysis, type AnalysisSide } from '../../core/analysis/analyze';
import type { AnalysisOptions, EnsembleAnalysis } from '../../core/analysis/types';
import type { EnsembleOutputs } from '../../core/outputs';
import type { FromSideWorker, ToSideWorker } from './sideProtocol';

/** Below this many output values (M x N x C) one thread is as fast as two (a message and a second context cost ~1 ms). */
export const PARALLEL_MIN_VALUES = 1 << 17;

/** dist/analysisWorker.js beside the running bundle or in the repo; else the TypeScript entry (tests from source). */
export function defaultSideWorkerScript(): string {
  const candidates = [join(__dirname, 'analysisWorker.js'), resolve(__dirname, '../../../dist/analysisWorker.js'), resolve(process.cwd(), 'dist/analysisWorker.js')];
  const found = candidates.find((c) => existsSync(c));
  if (found) return found;
  const source = join(__dirname, 'sideWorker.ts');
  if (existsSync(source)) return source;
  throw new Error(`Ensemble Lens analysis worker not found (looked in ${candidates.join(', ')}); run 'npm run build'`);
}

interface SideJob {
  id: number;
  message: ToSideWorker;
  resolve(r: { side: AnalysisSide; timings?: Record<string, number> }): void;
  reject(e: Error): void;
}

/** A long-lived worker thread for side parts, one at a time (it does not keep the process alive while idle). */
export class SideWorker {
  private worker?: Worker;
  private current?: SideJob;
  private queue: SideJob[] = [];
  private nextId = 1;
  private disposed = false;
  /** Threads started so far (a new one after a crash). */
  started = 0;

  constructor(private readonly script: string = defaultSideWorkerScript()) {}

  compute(outputs: EnsembleOutputs, options: AnalysisOptions): Promise<{ side: AnalysisSide; timings?: Record<string, number> }> {
    if (this.disposed) return Promise.reject(new Error('the analysis worker is disposed'));
    const { timings, ...rest } = options;
    return new Promise((resolvePromise, reject) => {
      const id = this.nextId++;
      this.queue.push({ id, message: { type: 'side', id, outputs, options: rest, timed: !!timings }, resolve: resolvePromise, reject });
      this.pump();
    });
  }

  dispose(): void {
    this.disposed = true;
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
    const pending = this.current ? [this.current, ...this.queue] : this.queue;
    this.current = undefined;
    this.queue = [];
    for (const j of pending) j.reject(new Error('the analysis worker is disposed'));
  }

  private pump(): void {
    if (this.current) return;
    const job = this.queue.shift();
    if (!job) {
      this.worker?.unref();
      return;
    }
    this.current = job;
    const w = this.spawn();
    w.ref();
    w.postMessage(job.message);
  }

  private spawn(): Worker {
    if (this.worker) return this.worker;
    const script = this.script;
    const w = script.endsWith('.ts') ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)});`, { eval: true }) : new Worker(script);
    w.on('message', (m: FromSideWorker) => {
      const job = this.current;
      if (w !== this.worker || !job || m.id !== job.id) return;
      this.current = undefined;
      if (m.type === 'done') job.resolve({ side: m.side, timings: m.timings });
      else job.reject(new Error(m.message));
      this.pump();
    });
    const fail = (err: Error) => {
      if (w !== this.worker) return;
      this.worker = undefined;
      const job = this.current;
      this.current = undefined;
      job?.reject(err);
      this.pump();
    };
    w.on('error', (e) => fail(new Error(`analysis worker crashed: ${e.message}`)));
    w.on('exit', (code) => fail(new Error(`analysis worker exited with code ${code}`)));
    this.worker = w;
    this.started++;
    return w;
  }
}

/** The same outputs in SharedArrayBuffer-backed arrays (arrays already shared are kept). */
export function shareOutputs(o: EnsembleOutputs): EnsembleOutputs {
  return { ...o, labels: shared(o.labels), members: o.members.map((m) => ({ ...m, values: shared(m.values) })) };
}

export function shared(a: Float32Array): Float32Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const s = new Float32Array(new SharedArrayBuffer(a.byteLength));
  s.set(a);
  return s;
}

/**
 * analyzeEnsemble(outputs, options) on this thread and `side`'s. Without a side worker, or for outputs smaller
 * than `minValues`, on this thread alone. Side timings join options.timings prefixed 'side:'.
 */
export async function analyzeParallel(
  outputs: EnsembleOutputs, options: AnalysisOptions, side: SideWorker | undefined, minValues = PARALLEL_MIN_VALUES,
): Promise<EnsembleAnalysis> {
  const size = outputs.members.length * outputs.nTest * (outputs.task === 'classification' ? outputs.numClasses : 1);
  if (!side || size < minValues || outputs.members.length === 0) return analyzeEnsemble(outputs, options);
  const o = shareOutputs(outputs);
  const pending = side.compute(o, options);
  pending.catch(() => undefined); // awaited below, unless analyzeMain throws first
  const main = analyzeMain(o, options);
  let part: AnalysisSide;
  try {
    const r = await pending;
    part = r.side;
    if (options.timings && r.timings) for (const [k, v] of Object.entries(r.timings)) options.timings[`side:${k}`] = v;
  } catch {
    part = analyzeSide(o, options); // the worker could not: this thread (an invalid input has thrown above already)
  }
  return completeAnalysis(main, part);
}
